"""The key grammar of ``premium-calc rates set`` and the TOML literals of the values it writes.

The grammar itself (:class:`KeySpec`, :func:`parse_key`, :data:`KEY_HELP`) lives in
:mod:`premium_calc.ratefiles.change_keys` (reform files use it too) and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from ..errors import EditError
from ..messages import Note
from ..ratefiles.change_keys import _ID as _ID
from ..ratefiles.change_keys import _KEY_FORMS as _KEY_FORMS
from ..ratefiles.change_keys import FORMULA_PARTS as FORMULA_PARTS
from ..ratefiles.change_keys import KEY_HELP as KEY_HELP
from ..ratefiles.change_keys import KeySpec as KeySpec
from ..ratefiles.change_keys import parse_key as parse_key
from ..ratefiles.model import MAX_AMOUNT
from ..units import FEN, exact_text

CONFIDENCES = ("high", "medium", "low")

DEFAULT_CONFIDENCE = "medium"


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
