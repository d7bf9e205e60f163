"""The annual report (政府信息公开工作年度报告) from draft to publication, as data (no Flask, no database).

draft --submit--> submitted          the office submits the draft; every check of the format (勾稽关系) must pass
submitted --approve--> approved      the disclosure office head approves it
submitted --return_report--> draft   ... or returns it with a comment
approved --publish--> published      publishing freezes the numbers and the PDF (SHA-256), never recomputed
approved --return_report--> draft    the head may still send an approved report back, with a comment
published --supersede--> superseded  a correction was published as a new version (the old one stays readable)

A correction starts as a new draft version of the same agency and year; publishing it supersedes the published
version (the operation fires `supersede` on the old one). The engine is `workflows.engine`; the README keeps the
diagram (`mermaid()`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from workflows.engine import Transition, TransitionRefused, Workflow, transition

__all__ = ["TransitionRefused"]

REGISTRAR = "registrar"  # the disclosure office's staff, who compile the report
OFFICE_HEAD = "office_head"
SYSTEM = "system"


class States(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"  # a corrected version replaced it on the platform


@dataclass(frozen=True)
class Facts:
    checks_pass: bool = False  # every hard check of tables 2–4 holds
    has_comment: bool = False  # a return says why
    has_frozen_copy: bool = False  # the numbers and the PDF are stored with their SHA-256


def checks_pass(f: Facts) -> bool:
    """国办公开办函〔2021〕30号: the 勾稽关系 of table 3 and the sums of table 4 hold before submission."""
    return f.checks_pass


def has_comment(f: Facts) -> bool:
    return f.has_comment


def has_frozen_copy(f: Facts) -> bool:
    """Publishing stores the numbers and the PDF first: what the public reads never changes afterwards."""
    return f.has_frozen_copy


S = States


def _t(trigger, source, dest, roles, guards=()) -> Transition:
    sources = (source,) if isinstance(source, States) else source
    return transition(trigger, [s.value for s in sources], dest.value, roles, guards)


TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", S.DRAFT, S.SUBMITTED, [REGISTRAR, OFFICE_HEAD], [checks_pass]),
    _t("approve", S.SUBMITTED, S.APPROVED, [OFFICE_HEAD], [checks_pass]),
    _t("return_report", (S.SUBMITTED, S.APPROVED), S.DRAFT, [OFFICE_HEAD], [has_comment]),
    _t("publish", S.APPROVED, S.PUBLISHED, [OFFICE_HEAD], [has_frozen_copy]),
    _t("supersede", S.PUBLISHED, S.SUPERSEDED, [SYSTEM]),
)

FINAL = (S.SUPERSEDED,)

WORKFLOW = Workflow("report", States, TRANSITIONS, initial=S.DRAFT, final=FINAL)
