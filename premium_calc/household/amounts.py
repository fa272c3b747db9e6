"""Amounts in yuan the way people write them, parsed exactly.

:func:`parse_yuan` accepts ``8000``, ``8,000``, ``8，000``, ``８０００``, ``8000.5``, ``1.2万``,
``1.2万元``, ``12000元``, ``8000块``, ``¥8000``, ``￥8,000``, ``RMB 8000``, ``3千``, ``3千万``:
digits (half- or full-width), commas only as thousands separators, at most one of the
multipliers 百, 千, 万, 百万, 千万, 亿 (and 万亿, always too large), a currency sign or unit
around it. The
result is an exact :class:`~decimal.Decimal` (``1.2万`` is ``Decimal("12000")``, not a float).
It refuses negative amounts, NaN and infinities, exponents (``1e5``), amounts of 10^12 yuan or
more and amounts with more than two decimals (fen) after the multiplier, each with its own
message (a :class:`~premium_calc.errors.HouseholdError`).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, localcontext

from ..errors import HouseholdError
from ..messages import Note

#: Amounts must be below this (no household earns a trillion yuan a year; it also keeps
#: every amount within the 14 digits the household model stores).
LIMIT = Decimal(10) ** 12

_MULTIPLIERS = {  # longest first
    "万亿": Decimal(10) ** 12, "百万": Decimal(10) ** 6, "千万": Decimal(10) ** 7,
    "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(10) ** 8,
}
_PREFIXES = ("¥", "rmb", "cny")
_SUFFIXES = ("元", "块", "yuan", "rmb", "cny")
_MINUS = ("-", "\u2212", "负")

_PLAIN = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+")
_COMMAS = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_EXPONENT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)e[-+]?[0-9]+", re.IGNORECASE)
_HEAD = re.compile(r"[-+\u2212负¥.0-9]|rmb|cny", re.IGNORECASE)


def _normal(text: str) -> str:
    """Stripped, with full-width forms (``８``, ``，``, ``￥``) as their half-width ones."""
    text = text.strip()
    return text if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def looks_like_yuan(text: str) -> bool:
    """Whether ``text`` is meant as an amount rather than a name (a statistic such as
    ``rural`` or ``q1``): it starts with a digit, a sign, a decimal point, ``¥`` or RMB/CNY."""
    return _HEAD.match(_normal(text)) is not None


def parse_yuan(text: str, *, field: str | None = None) -> Decimal:
    """The amount ``text`` writes, in yuan, exactly (see the module docstring for the forms).

    Amounts come back without trailing zeros (``Decimal("12000")``, ``Decimal("8000.5")``),
    at most two decimals. ``field`` names the value in the error (``income``); raises
    :class:`~premium_calc.errors.HouseholdError`."""
    t = _normal(text)
    # The common cases, fast (survey files have a row per member): 8000, 8000.50
    if t.isdigit() and len(t) <= 12 and t.isascii():
        return Decimal(t)
    if _PLAIN.fullmatch(t):
        return _integral(Decimal(t))

    def fail(key: str, **fields: object) -> HouseholdError:
        return HouseholdError(Note(key, value=repr(text), **fields), field=field)

    negative = False
    for _ in range(2):  # a sign and a currency sign, in either order: -¥8000, ¥-8000
        if t.startswith(_MINUS):
            negative, t = True, t[1:].lstrip()
        elif t.startswith("+"):
            t = t[1:].lstrip()
        for prefix in _PREFIXES:
            if t.lower().startswith(prefix):
                t = t[len(prefix):].lstrip()
    for suffix in _SUFFIXES:
        if t.lower().endswith(suffix):
            t = t[: -len(suffix)].rstrip()
            break
    factor: Decimal | None = None
    for unit, size in _MULTIPLIERS.items():
        if t.endswith(unit):
            factor, t = size, t[: -len(unit)].rstrip()
            break
    if not _NUMBER.fullmatch(t):
        if _EXPONENT.fullmatch(t):
            raise fail("error.amount_exponent")
        if "," in t and _COMMAS.fullmatch(t):
            raise fail("error.amount_grouping")
        raise fail("error.amount_not_an_amount")
    with localcontext() as exact:  # enough digits that nothing below rounds
        exact.prec = len(t) + 30
        value = Decimal(t.replace(",", ""))
        if factor is not None:
            value *= factor
        if negative and value:
            raise fail("error.amount_negative")
        if value >= LIMIT:
            raise fail("error.amount_too_large")
        if value != value.quantize(Decimal("0.01")):
            shown_yuan = format(value.normalize(), "f")
            converted = Note("error.amount_is", yuan=shown_yuan) if factor is not None else ""
            raise fail("error.amount_too_many_decimals", converted=converted)
        return _integral(value)


def check_yuan(value: Decimal, *, field: str | None = None) -> Decimal:
    """An amount given as a number (not text), held to the rules of :func:`parse_yuan`."""
    shown = repr(format(value, "f")) if value.is_finite() else repr(str(value))
    if not value.is_finite():
        raise HouseholdError(Note("error.amount_not_an_amount", value=shown), field=field)
    if value < 0:
        raise HouseholdError(Note("error.amount_negative", value=shown), field=field)
    if value >= LIMIT:
        raise HouseholdError(Note("error.amount_too_large", value=shown), field=field)
    if value != value.quantize(Decimal("0.01")):
        raise HouseholdError(
            Note("error.amount_too_many_decimals", value=shown, converted=""), field=field
        )
    return _integral(value)


def _integral(value: Decimal) -> Decimal:
    """The same number without trailing zeros: ``12000.0`` -> ``12000``, ``12345.60000`` ->
    ``12345.6`` (amounts come back the same whatever the form they were written in)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1)) if value.as_tuple().exponent != 0 else value
    return value.normalize()


__all__ = ["LIMIT", "check_yuan", "looks_like_yuan", "parse_yuan"]
