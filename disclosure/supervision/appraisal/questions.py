"""The satisfaction survey's questions and scale, as data (社会评议: 浙江 2016 circular §4(3) — "the provincial
office runs a satisfaction evaluation"; 条例 Art. 50(4) — governments report the results of public appraisal).

One overall question that every answer must give, and a few aspect questions a visitor may leave out (someone who
never asked for information has no view of the replies' timeliness). Each is answered on the five-point scale
government satisfaction surveys use (非常满意 … 非常不满意); "satisfied" means 满意 or 非常满意. A question's key is
stored with each answer: never rename one; a new question is a new key.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

MAX_COMMENT = 1000  # characters: a short survey's comment, not a letter
SATISFIED_FROM = 4  # 满意 (4) and 非常满意 (5) are "satisfied"

# The five points, best first, as the form lists them. The Chinese words are those of the published tables.
SCALE: dict[int, tuple[object, str]] = {
    5: (_l("Very satisfied"), "非常满意"),
    4: (_l("Satisfied"), "满意"),
    3: (_l("Neither satisfied nor dissatisfied"), "一般"),
    2: (_l("Dissatisfied"), "不满意"),
    1: (_l("Very dissatisfied"), "非常不满意"),
}


@dataclass(frozen=True)
class Question:
    key: str
    label: object  # the question, in the interface language
    short: object  # its column heading on the staff pages
    zh: str  # its short name in generated Chinese text
    required: bool = False


OVERALL = Question(
    "overall",
    _l("Overall, how satisfied are you with this agency's government information disclosure?"),
    _l("Overall"),
    "总体评价",
    required=True,
)
ASPECTS: tuple[Question, ...] = (
    Question(
        "finding",
        _l("How satisfied are you with how easily you find the information you look for?"),
        _l("Finding information"),
        "信息查找便利程度",
    ),
    Question(
        "timeliness",
        _l("How satisfied are you with the timeliness of the replies to requests for disclosure?"),
        _l("Timeliness of replies"),
        "依申请公开答复及时性",
    ),
    Question(
        "clarity",
        _l("How satisfied are you with the clarity of the policy interpretations?"),
        _l("Clarity of interpretations"),
        "政策解读清晰程度",
    ),
)
QUESTIONS: tuple[Question, ...] = (OVERALL, *ASPECTS)
ASPECT_KEYS = tuple(q.key for q in ASPECTS)


def scale_label(score: int | None):
    """The words for a point of the scale in the interface language ('' for none)."""
    return SCALE[score][0] if score in SCALE else ""


def is_satisfied(score: int | None) -> bool:
    return score is not None and score >= SATISFIED_FROM
