"""Document numbers (发文字号, 决定文书号) as compared, searched and deduplicated: one normalising function for the
whole project (issue 10).

GB/T 9704-2012 writes the year inside 六角括号 〔〕 (rules-china §7.2), but numbers arrive typed with every bracket a
keyboard offers — [2026], ［2026］, (2026), （2026）, 【2026】, ﹝2026﹞ — in full or half width and with stray spaces.
`normalise_document_number` maps all of them to one form, so 示政办罚[2026]13号 and 示政办罚〔2026〕13号 are the same
number wherever numbers are stored, searched or checked for duplicates.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_document_number"]

# After NFKC (which folds full-width （）［］｛｝ and the small ﹝﹞ to their plain forms), every opening and closing
# bracket a document number is typed with.
_OPENING = "([{【〖〘〚〔⦅｟"
_CLOSING = ")]}】〗〙〛〕⦆｠"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPENING, "〔"), **dict.fromkeys(_CLOSING, "〕")})
_SPACE = re.compile(r"\s+")


def normalise_document_number(text: str | None) -> str:
    """示政办罚 [2026] 13号, 示政办罚（2026）13号, 示政办罚【２０２６】１３号 -> 示政办罚〔2026〕13号.

    Width is folded (full-width digits and letters become ASCII: NFKC), every bracket becomes 〔 or 〕, and all
    white space (the ideographic space too) is removed. Nothing else changes: letters keep their case and
    serials their zeros. None and "" give ""."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", folded).translate(_BRACKETS)
