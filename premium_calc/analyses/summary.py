"""The summary of a history: premium and income growth over the span, compared over the same
years, the premium-income gap and the year of the heaviest burden (see
:mod:`premium_calc.analyses.history` for the definitions and the rounding)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from .growth import cagr, multiple
from .series import HistoryRow, Segment, SeriesBreak, Summary


class Growth(NamedTuple):
    """A value's first and last year and amount, multiple and CAGR over a span."""

    first_year: int | None = None
    last_year: int | None = None
    first: Decimal | None = None
    last: Decimal | None = None
    multiple: Decimal | None = None
    cagr: Decimal | None = None


def growth_over(
    first: HistoryRow | None, last: HistoryRow | None, value: Callable[[HistoryRow], Decimal | None]
) -> Growth:
    """The growth of ``value`` from row ``first`` to row ``last`` (all None without them)."""
    if first is None or last is None:
        return Growth()
    a, b = value(first), value(last)
    return Growth(
        first.coverage_year,
        last.coverage_year,
        a,
        b,
        multiple(b, a),
        cagr(a, b, last.coverage_year - first.coverage_year),
    )


def peak(rows: Iterable[HistoryRow]) -> tuple[int | None, Decimal | None]:
    """The year with the heaviest burden and that burden (the first of equal years)."""
    best: tuple[int | None, Decimal | None] = (None, None)
    for row in rows:
        if row.burden_ratio is not None and (best[1] is None or row.burden_ratio > best[1]):
            best = (row.coverage_year, row.burden_ratio)
    return best


def compare_growth(rows: Sequence[HistoryRow]) -> tuple[
    int | None, int | None, Decimal | None, Decimal | None, Decimal | None, Decimal | None
]:
    """Premium and income multiple and CAGR over the rows that have both."""
    both = [r for r in rows if r.premium is not None and r.income is not None]
    if len(both) < 2:
        first_year = both[0].coverage_year if both else None
        return first_year, first_year, None, None, None, None
    a, b = both[0], both[-1]
    years = b.coverage_year - a.coverage_year
    return (
        a.coverage_year,
        b.coverage_year,
        multiple(b.premium, a.premium),
        cagr(a.premium, b.premium, years),
        multiple(b.income, a.income),
        cagr(a.income, b.income, years),
    )


def summarize(
    rows: Sequence[HistoryRow], segments: Sequence[Segment], breaks: Sequence[SeriesBreak]
) -> Summary:
    """The summary: premium growth over the span; income growth and the gap only when the
    series is one segment (never across a break); missing and uncovered years."""
    with_premium = [r for r in rows if r.premium is not None]
    p_first, p_last = (with_premium[0], with_premium[-1]) if with_premium else (None, None)
    with_income = [r for r in rows if r.income is not None]
    single = len(segments) == 1
    i_first, i_last = (with_income[0], with_income[-1]) if with_income and single else (None, None)
    seg0 = segments[0] if single else None
    premium = growth_over(p_first, p_last, lambda r: r.premium)
    income = growth_over(i_first, i_last, lambda r: r.income)
    peak_year, peak_ratio = peak(rows)
    first_year, last_year = rows[0].coverage_year, rows[-1].coverage_year
    have = {r.coverage_year for r in rows}
    return Summary(
        first_year=first_year,
        last_year=last_year,
        premium_first_year=premium.first_year,
        premium_last_year=premium.last_year,
        premium_first=premium.first,
        premium_last=premium.last,
        premium_multiple=premium.multiple,
        premium_cagr=premium.cagr,
        income_first_year=income.first_year,
        income_last_year=income.last_year,
        income_first=income.first,
        income_last=income.last,
        income_multiple=income.multiple,
        income_cagr=income.cagr,
        compare_first_year=seg0.compare_first_year if seg0 else None,
        compare_last_year=seg0.compare_last_year if seg0 else None,
        gap_pp_per_year=seg0.gap_pp_per_year if seg0 else None,
        peak_burden_year=peak_year,
        peak_burden_ratio=peak_ratio,
        series_break=bool(breaks),
        breaks=list(breaks),
        segments=list(segments),
        missing_premium_years=[r.coverage_year for r in rows if r.premium is None],
        missing_income_years=[r.coverage_year for r in rows if r.income is None],
        uncovered_years=[y for y in range(first_year, last_year + 1) if y not in have],
        low_confidence_years=[r.coverage_year for r in rows if r.low_confidence],
    )
