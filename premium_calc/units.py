"""Exact money and its text: the fen, zero, half-up rounding done once, amounts as people read them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:

    pass


FEN = Decimal("0.01")


ZERO = Decimal(0)


def _q(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def money(value: Decimal | None) -> str:
    """``1234.5`` -> ``1,234.50``; whole yuan stay whole (``400``)."""
    if value is None:
        return "-"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def percent(ratio: Decimal | None) -> str:
    return "-" if ratio is None else f"{ratio * 100:.2f}%"
