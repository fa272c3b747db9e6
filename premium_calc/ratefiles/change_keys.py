"""The key grammar of ``premium-calc rates set`` (and of reform files): which value of a
coverage year a key such as ``subsidy``, ``category.ID.individual`` or ``assisted.ID.pays_share``
names, and the kind of that value. Pure parsing, below the rate book, so that analyses (reforms)
and upkeep (edits) share one grammar and one set of messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import EditError
from ..messages import Note

#: The parts of an amount given as base x rate x months (``category.ID.individual.base``).
FORMULA_PARTS = ("base", "rate", "months")


KEY_HELP = (
    "KEY is one of: subsidy; collection.start, collection.end (YYYY-MM-DD); late.amount,"
    " late.start, late.end, late.waiting_days; category.ID.individual,"
    " category.ID.individual.base, .rate, .months (an amount of base x rate x months),"
    " category.ID.tiers.TIER, category.ID.subsidy, category.ID.includes.NAME,"
    " category.ID.below_minimum (true/false); assisted.ID.pays, assisted.ID.pays_share"
    " (e.g. 50%), assisted.ID.assistance; notes: note, collection.note, late.note,"
    " category.ID.note, assisted.ID.note. Amounts are yuan (400 or 538.36); a VALUE of +30,"
    " -30, +5% or -5% changes the value in force. The --source"
    " is recorded where the value's source is kept: subsidy_source, collection.source,"
    " late.source, or the category's / assisted rule's source."
)


@dataclass(frozen=True)
class KeySpec:
    """A parsed ``rates set`` key."""

    raw: str
    section: str  # "year", "collection", "late", "category", "assisted"
    ident: str | None  # category / assisted id
    field: str
    sub: str | None  # tier id (tiers) or component (includes)
    kind: str  # money, rate, date, int, bool, text

    @property
    def sourced(self) -> bool:
        return self.kind != "text" and self.field != "below_minimum"


_ID = r"[a-z][a-z0-9_]*"


_KEY_FORMS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"^(subsidy)$"), "year", "money"),
    (re.compile(r"^(note)$"), "year", "text"),
    (re.compile(r"^collection\.(start|end)$"), "collection", "date"),
    (re.compile(r"^collection\.(note)$"), "collection", "text"),
    (re.compile(r"^late\.(amount)$"), "late", "money"),
    (re.compile(r"^late\.(start|end)$"), "late", "date"),
    (re.compile(r"^late\.(waiting_days)$"), "late", "int"),
    (re.compile(r"^late\.(note)$"), "late", "text"),
    (re.compile(rf"^category\.({_ID})\.(individual|subsidy)$"), "category", "money"),
    (re.compile(rf"^category\.({_ID})\.(tiers|includes)\.({_ID})$"), "category", "money"),
    (re.compile(rf"^category\.({_ID})\.(individual)\.(base)$"), "category", "money"),
    (re.compile(rf"^category\.({_ID})\.(individual)\.(rate)$"), "category", "rate"),
    (re.compile(rf"^category\.({_ID})\.(individual)\.(months)$"), "category", "int"),
    (re.compile(rf"^category\.({_ID})\.(below_minimum)$"), "category", "bool"),
    (re.compile(rf"^category\.({_ID})\.(note)$"), "category", "text"),
    (re.compile(rf"^assisted\.({_ID})\.(pays|assistance)$"), "assisted", "money"),
    (re.compile(rf"^assisted\.({_ID})\.(pays_share)$"), "assisted", "rate"),
    (re.compile(rf"^assisted\.({_ID})\.(note)$"), "assisted", "text"),
]


def parse_key(key: str) -> KeySpec:
    """Parse a ``rates set`` key (see :data:`KEY_HELP`)."""
    text = key.strip()
    for pattern, section, kind in _KEY_FORMS:
        m = pattern.match(text)
        if not m:
            continue
        groups = m.groups()
        if section in ("year", "collection", "late"):
            return KeySpec(text, section, None, groups[0], None, kind)
        sub = groups[2] if len(groups) > 2 else None
        return KeySpec(text, section, groups[0], groups[1], sub, kind)
    raise EditError(Note("edit.not_a_key", key=repr(key), keys=KEY_HELP[len("KEY is ") :]))


__all__ = ["FORMULA_PARTS", "KEY_HELP", "KeySpec", "parse_key"]
