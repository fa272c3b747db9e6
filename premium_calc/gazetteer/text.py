"""How a typed name is compared: one normal form for queries and for every stored name.

>>> normalize("  Wei Ning ")
'weining'
>>> normalize("Ｇｕｉｙａｎｇ"), normalize("Xi'an"), normalize("Lüliang")
('guiyang', 'xian', 'lvliang')
>>> normalize("贵州省·毕节市 / 威宁县")
'贵州省毕节市威宁县'
"""

from __future__ import annotations

import unicodedata

#: ü (and a typed u: or a decomposed u + diaeresis) is written v, as in pinyin without tones.
_UMLAUT = {"ü": "v", "u:": "v"}


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, no spaces, punctuation
    or symbols; ü as v."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    for before, after in _UMLAUT.items():
        folded = folded.replace(before, after)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def is_han(text: str) -> bool:
    """Whether the text has a Chinese character (then it is matched as Chinese)."""
    return any("\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f" for ch in text)
