"""The key grammar of ``premium-calc rates set`` and the TOML literals of the values it writes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..errors import EditError
from ..messages import Note
from ..ratefiles.model import MAX_AMOUNT
from ..units import FEN, exact_text

CONFIDENCES = ("high", "medium", "low")

#: The parts of an amount given as base x rate x months (``category.ID.individual.base``).
FORMULA_PARTS = ("base", "rate", "months")


DEFAULT_CONFIDENCE = "medium"


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


def toml_literal(kind: str, value: str, key: str = "value") -> str:
    """The TOML text of a value given on the command line, checked for its kind."""
    raw = value.strip()
    if kind == "money":
        try:
            amount = Decimal(raw.replace(",", "")[:40])
        except InvalidOperation:
            amount = Decimal(-1)
        if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(FEN):
            raise EditError(Note("edit.not_an_amount", key=key, value=repr(value[:40])))
        return exact_text(amount)
    if kind == "rate":
        percent = raw.endswith("%")
        try:
            share = Decimal((raw[:-1] if percent else raw)[:40]) / (100 if percent else 1)
        except ArithmeticError:  # InvalidOperation, Overflow
            share = Decimal(-1)
        if not share.is_finite() or not 0 <= share <= 1:
            raise EditError(Note("edit.not_a_share", key=key, value=repr(value)))
        return toml_string(raw.replace(" ", "")) if percent else exact_text(share)
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise EditError(Note("edit.not_a_date", key=key, value=repr(value))) from None
    if kind == "int":
        if not raw.isdigit() or len(raw) > 4 or int(raw) > 3650:
            raise EditError(Note("edit.not_days", key=key, value=repr(value[:40])))
        return str(int(raw))
    if kind == "bool":
        if raw.lower() not in ("true", "false"):
            raise EditError(Note("edit.not_a_bool", key=key, value=repr(value)))
        return raw.lower()
    return toml_string(value)


def toml_string(text: str) -> str:
    import tomlkit

    return tomlkit.string(text).as_string()


def source_literal(url: str, title: str | None, confidence: str | None) -> str:
    """``{ title = ..., url = ..., confidence = ... }`` for a value's source."""
    conf = confidence or DEFAULT_CONFIDENCE
    if conf not in CONFIDENCES:
        raise EditError(Note("edit.not_a_confidence", value=repr(conf)))
    if not re.match(r"^https?://\S+$", url.strip()):
        raise EditError(Note("edit.not_a_url", value=repr(url)))
    shown = (title or url).strip()
    pairs = (("title", shown), ("url", url.strip()), ("confidence", conf))
    return "{ " + ", ".join(f"{k} = {toml_string(v)}" for k, v in pairs) + " }"
