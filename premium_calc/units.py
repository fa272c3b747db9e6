"""Exact money and its text: the fen, zero, half-up rounding done once, amounts as people read them.

Money is :class:`~decimal.Decimal` yuan (or integer fen in vectorised code). Rounding rule: a
value a formula produces with more digits than its unit holds is rounded half-up, once, where
it is produced (:func:`half_up`); sums of rounded values are exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: One fen (分), the smallest amount of money.
FEN = Decimal("0.01")
ZERO = Decimal(0)


def half_up(value: Decimal, places: Decimal) -> Decimal:
    """``value`` rounded half-up to ``places`` (``Decimal("0.01")`` for fen, ``"0.0001"`` for a ratio).

    >>> half_up(Decimal("0.11425"), Decimal("0.0001"))
    Decimal('0.1143')
    """
    return value.quantize(places, rounding=ROUND_HALF_UP)


def money(value: Decimal | None) -> str:
    """An amount as people read it: thousands separated, whole yuan whole, else two decimals.

    >>> money(Decimal("1234.5")), money(Decimal(400)), money(None)
    ('1,234.50', '400', '-')
    """
    if value is None:
        return "-"
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def exact_text(value: Decimal) -> str:
    """An exact decimal string for files and snapshots: whole amounts without decimals, others
    without trailing zeros.

    >>> exact_text(Decimal("400.00")), exact_text(Decimal("538.360")), exact_text(Decimal("0.5"))
    ('400', '538.36', '0.5')
    """
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")


def short_percent(ratio: Decimal) -> str:
    """A ratio as a percentage without needless decimals (``0.05`` -> ``5%``, ``0.075`` -> ``7.5%``)."""
    return f"{(ratio * 100).normalize():f}%"


def percent(ratio: Decimal | None) -> str:
    """A ratio as a percentage with two decimals (``0.1143`` -> ``11.43%``)."""
    return "-" if ratio is None else f"{ratio * 100:.2f}%"
