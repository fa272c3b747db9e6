"""Growth arithmetic of a series: ratio, index, year-on-year change, multiple, CAGR, gap in
percentage points. Exact decimals, each rounded once, half-up (see analyses.history).
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from ..household.burden import RATIO_PLACES
from ..units import half_up

INDEX_PLACES = Decimal("0.01")


GROWTH_PLACES = Decimal("0.0001")


MULTIPLE_PLACES = Decimal("0.0001")


PP_PLACES = Decimal("0.01")


HUNDRED = Decimal(100)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator to 4 decimals (the burden rule), or None."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return half_up(numerator / denominator, RATIO_PLACES)


def index(value: Decimal | None, base: Decimal | None) -> Decimal | None:
    """value / base x 100 to 2 decimals, or None."""
    if value is None or base is None or base == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return half_up(value / base * HUNDRED, INDEX_PLACES)


def growth(value: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """value / previous - 1 to 4 decimals, or None."""
    if value is None or previous is None or previous == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return half_up(value / previous - 1, GROWTH_PLACES)


def multiple(last: Decimal | None, first: Decimal | None) -> Decimal | None:
    """last / first to 4 decimals, or None."""
    if last is None or first is None or first == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return half_up(last / first, MULTIPLE_PLACES)


def cagr(first: Decimal | None, last: Decimal | None, years: int) -> Decimal | None:
    """Compound annual growth rate (last / first) ** (1 / years) - 1, to 4 decimals.

    ``None`` when it is not defined (no span, a missing or zero end point).
    """
    if first is None or last is None or years <= 0 or first <= 0 or last < 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        if last == 0:
            return half_up(Decimal(-1), GROWTH_PLACES)
        return half_up((last / first) ** (Decimal(1) / Decimal(years)) - 1, GROWTH_PLACES)


def gap_pp(premium_cagr: Decimal | None, income_cagr: Decimal | None) -> Decimal | None:
    """(premium CAGR - income CAGR) in percentage points a year, from the rounded CAGRs."""
    if premium_cagr is None or income_cagr is None:
        return None
    return half_up((premium_cagr - income_cagr) * HUNDRED, PP_PLACES)
