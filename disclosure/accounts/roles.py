"""Staff roles and applicant categories."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    REGISTRAR = "registrar"  # 登记
    HANDLER = "handler"  # 承办
    OFFICE_HEAD = "office_head"  # 公开办负责人
    LEGAL_REVIEWER = "legal_reviewer"  # 法制审核
    CATALOG_EDITOR = "catalog_editor"  # 目录编辑
    SECRECY_REVIEWER = "secrecy_reviewer"  # 保密审查
    PUBLICITY_CLERK = "publicity_clerk"  # 双公示录入
    CREDIT_SUPERVISOR = "credit_supervisor"  # 信用监管
    SUPERVISOR = "supervisor"  # 政务公开监督 (the competent department's staff, 条例 Art. 47)
    AGENCY_ADMIN = "agency_admin"  # 机关管理员
    SYS_ADMIN = "sys_admin"  # 系统管理员


ROLE_LABELS = {
    Role.REGISTRAR: _l("Registrar"),
    Role.HANDLER: _l("Handler"),
    Role.OFFICE_HEAD: _l("Disclosure office head"),
    Role.LEGAL_REVIEWER: _l("Legal reviewer"),
    Role.CATALOG_EDITOR: _l("Catalogue editor"),
    Role.SECRECY_REVIEWER: _l("Secrecy reviewer"),
    Role.PUBLICITY_CLERK: _l("Publicity clerk"),
    Role.CREDIT_SUPERVISOR: _l("Credit supervisor"),
    Role.SUPERVISOR: _l("Disclosure supervisor"),
    Role.AGENCY_ADMIN: _l("Agency administrator"),
    Role.SYS_ADMIN: _l("System administrator"),
}


def role_label(role: str):
    """The words for a staff role value ("handler" → 承办人)."""
    return ROLE_LABELS.get(Role(role), role)


class UserKind(enum.StrEnum):
    STAFF = "staff"
    APPLICANT = "applicant"  # a citizen or an organisation filing applications


class ApplicantType(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class ApplicantCategory(enum.StrEnum):
    """The columns of annual-report table 3 (国办公开办函〔2021〕30号; rules-china §3.3)."""

    NATURAL_PERSON = "natural_person"  # 自然人
    COMMERCIAL = "commercial"  # 商业企业
    RESEARCH = "research"  # 科研机构
    SOCIAL_WELFARE = "social_welfare"  # 社会公益组织
    LEGAL_SERVICE = "legal_service"  # 法律服务机构
    OTHER = "other"  # 其他


APPLICANT_CATEGORY_LABELS = {
    ApplicantCategory.NATURAL_PERSON: _l("Natural person"),
    ApplicantCategory.COMMERCIAL: _l("Commercial enterprise"),
    ApplicantCategory.RESEARCH: _l("Research institution"),
    ApplicantCategory.SOCIAL_WELFARE: _l("Social welfare organisation"),
    ApplicantCategory.LEGAL_SERVICE: _l("Legal service agency"),
    ApplicantCategory.OTHER: _l("Other organisation"),
}

ORGANISATION_CATEGORIES = [c for c in ApplicantCategory if c is not ApplicantCategory.NATURAL_PERSON]
