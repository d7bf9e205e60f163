"""A catalogue entry (政府信息公开目录条目) from draft to the catalogue, as data (no Flask, no database).

draft --submit--> attribute_review      the drafter fixed the disclosure attribute (国办发〔2016〕80号 一(一))
attribute_review --confirm_attribute--> secrecy_review   the disclosure office confirms the attribute and its basis
attribute_review --return_attribute--> draft             ... or returns the draft (退文) with its comment
secrecy_review --pass_secrecy--> approval     保密法 Art. 35, 实施条例 Art. 42: each item reviewed, 先审查、后公开
secrecy_review --return_secrecy--> draft      the secrecy reviewer returns it with comments
approval --publish--> published               the office head approves a 主动公开 entry: it is public (条例 Art. 26)
approval --record--> recorded                 ... or a 依申请公开 / 不予公开 entry: catalogued, never public
approval --return_approval--> draft
published|recorded --revise--> draft          a change is a new version; the published one stays public meanwhile
(any with a published version) --withdraw--> withdrawn   with a reason; the public page then says so
(never published) --abandon--> abandoned
draft --import_published / import_recorded--> published / recorded   an old website's entry passed its reviews
                                                                          there (issue 11 §6, the import)
draft --publish_generated--> published        a document the system writes from content approved elsewhere (the
                                              guide from the agency's data, a cleanup's result, adoption feedback)

Actors are staff role values of `disclosure.accounts.roles.Role` and `system` (imports, the API). The engine is
`workflows.engine`; this module is the table, with the README keeping its diagram.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from workflows.engine import Transition, TransitionRefused, Workflow, transition

__all__ = ["TransitionRefused"]

CATALOG_EDITOR = "catalog_editor"
REGISTRAR = "registrar"  # the disclosure office's staff
OFFICE_HEAD = "office_head"
SECRECY_REVIEWER = "secrecy_reviewer"
LEGAL_REVIEWER = "legal_reviewer"
AGENCY_ADMIN = "agency_admin"
SYSTEM = "system"


class States(enum.StrEnum):
    DRAFT = "draft"
    ATTRIBUTE_REVIEW = "attribute_review"
    SECRECY_REVIEW = "secrecy_review"
    APPROVAL = "approval"
    PUBLISHED = "published"
    RECORDED = "recorded"  # 依申请公开 / 不予公开: in the catalogue with its index number, never public
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"


class Attribute(enum.StrEnum):
    """公开属性 (国办发〔2016〕80号)."""

    PROACTIVE = "proactive"  # 主动公开
    ON_REQUEST = "on_request"  # 依申请公开
    NOT_DISCLOSED = "not_disclosed"  # 不予公开


@dataclass(frozen=True)
class Facts:
    """What the guards need, computed by the operation at the moment of the action."""

    attribute: str = Attribute.PROACTIVE.value
    has_basis: bool = False  # an article of the 条例 chosen for a 依申请公开 / 不予公开 attribute
    has_comment: bool = False  # a return says why
    has_reason: bool = False  # a withdrawal or abandonment says why
    needs_legality_review: bool = False  # 规章 and 行政规范性文件 (国办发〔2018〕115号)
    legality_reviewed: bool = False
    was_published: bool = False  # a version was published (or recorded) before


# --- Guards: pure functions of Facts ---


def is_proactive(f: Facts) -> bool:
    return f.attribute == Attribute.PROACTIVE.value


def is_not_proactive(f: Facts) -> bool:
    return f.attribute != Attribute.PROACTIVE.value


def basis_when_withheld(f: Facts) -> bool:
    """依申请公开 and 不予公开 need a written basis in law (80号 一(一); 郑州 2020 plan §4(2))."""
    return is_proactive(f) or f.has_basis


def has_comment(f: Facts) -> bool:
    return f.has_comment


def has_reason(f: Facts) -> bool:
    return f.has_reason


def legality_review_recorded(f: Facts) -> bool:
    """A normative document is approved only after its legality review (合法性审核, 国办发〔2018〕115号)."""
    return not f.needs_legality_review or f.legality_reviewed


def was_published(f: Facts) -> bool:
    return f.was_published


def never_published(f: Facts) -> bool:
    return not f.was_published


S = States
EDITING = (S.DRAFT, S.ATTRIBUTE_REVIEW, S.SECRECY_REVIEW, S.APPROVAL)
OFFICE = (REGISTRAR, OFFICE_HEAD)


def _t(trigger, source, dest, roles, guards=()) -> Transition:
    sources = (source,) if isinstance(source, States) else source
    return transition(trigger, [s.value for s in sources], None if dest is None else dest.value, roles, guards)


TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", S.DRAFT, S.ATTRIBUTE_REVIEW, [CATALOG_EDITOR, OFFICE_HEAD], [basis_when_withheld]),
    _t("confirm_attribute", S.ATTRIBUTE_REVIEW, S.SECRECY_REVIEW, OFFICE, [basis_when_withheld]),
    _t("return_attribute", S.ATTRIBUTE_REVIEW, S.DRAFT, OFFICE, [has_comment]),
    _t("pass_secrecy", S.SECRECY_REVIEW, S.APPROVAL, [SECRECY_REVIEWER]),
    _t("return_secrecy", S.SECRECY_REVIEW, S.DRAFT, [SECRECY_REVIEWER], [has_comment]),
    _t("publish", S.APPROVAL, S.PUBLISHED, [OFFICE_HEAD], [is_proactive, legality_review_recorded]),
    _t("record", S.APPROVAL, S.RECORDED, [OFFICE_HEAD], [is_not_proactive, basis_when_withheld]),
    _t("return_approval", S.APPROVAL, S.DRAFT, [OFFICE_HEAD], [has_comment]),
    _t("revise", (S.PUBLISHED, S.RECORDED), S.DRAFT, [CATALOG_EDITOR, OFFICE_HEAD, SYSTEM]),
    _t("withdraw", (S.PUBLISHED, S.RECORDED, *EDITING), S.WITHDRAWN, [OFFICE_HEAD], [was_published, has_reason]),
    _t("abandon", EDITING, S.ABANDONED, [CATALOG_EDITOR, OFFICE_HEAD], [never_published, has_reason]),
    _t("import_published", S.DRAFT, S.PUBLISHED, [SYSTEM], [is_proactive]),
    _t("import_recorded", S.DRAFT, S.RECORDED, [SYSTEM], [is_not_proactive]),
    # Documents the system writes from content approved elsewhere: the disclosure guide generated from the
    # agency's data, a cleanup's result list, a consultation's adoption feedback.
    _t("publish_generated", S.DRAFT, S.PUBLISHED, [SYSTEM], [is_proactive]),
)

FINAL = (S.WITHDRAWN, S.ABANDONED)

WORKFLOW = Workflow("catalog", States, TRANSITIONS, initial=S.DRAFT, final=FINAL)


def fire(state: States | str, trigger: str, actors: Iterable[str], facts: Facts) -> States:
    """The state after `trigger`, or TransitionRefused naming why not (state, role or the failed guard)."""
    return WORKFLOW.fire(state, trigger, facts, actors)


def allowed_triggers(state: States | str, actors: Iterable[str], facts: Facts) -> list[str]:
    """The actions an actor may take now, in table order (the entry page shows exactly these)."""
    return WORKFLOW.allowed_triggers(state, facts, actors)


def mermaid() -> str:
    return WORKFLOW.mermaid()
