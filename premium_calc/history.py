"""Historical growth: premiums against income, year by year, and regions side by side.

Pure computation, no printing. Three entry points:

* :func:`premium_series` - what one member of a category pays in each coverage year of a
  region, against a per-capita income statistic;
* :func:`household_series` - the same household priced under every year's rules;
* :func:`compare_regions` - one coverage year, several regions, ranked by burden.

Definitions
-----------
**Years.** The rows are the region's *own* coverage years (the ``[[year]]`` entries of its
rate file) between ``start`` and ``end``. A year the file has no entry for is not invented
(it is listed in ``summary.uncovered_years``); a year whose amount is ``missing`` is a row
with ``premium = None`` and the reason in ``premium_missing``.

**The premium of a category** is what one member of that category pays before assistance
(the cheapest tier where a region has optional tiers). Without ``category`` it is the
category :func:`premium_calc.premium.match_category` assigns to the *reference adult*, a
40-year-old with no flags (:data:`REFERENCE_ADULT`): the working-age / catch-all category
(``resident`` in the national file ``cn``; ``adult`` or ``age_19_59`` in Shanghai, whose ids
change over the years). With ``category="id"`` the category is picked by id; a year without
that id is a row marked missing.

**Income.** The premium for coverage year Y is paid in Y-1 (as :func:`premium_calc.burden.assess`
does), so row Y carries the statistic of income year Y-1, of exactly that year: a missing
income year is shown as missing, never filled from another year. One income region is used
for the whole series: the rate region or one of its ancestors, whichever has the statistic for
the most income years of the span (ties go to the nearest), or ``income_region`` if given.
``q1``..``q5`` are the national all-resident quintiles (20% of households each); rural
disposable-income quintiles are not in the data.

**The 2013 break.** Before 2013 rural income is net income (纯收入, old rural survey; the
urban rows of that series are the old urban survey), from 2013 disposable income (可支配收入,
integrated survey). Where both exist for a year the disposable figure is used. Rows are split
into *segments* of one income measure (and region): the income index restarts at 100 at the
start of each segment, year-on-year income change is not computed across segments, and the
summary gives income multiple, CAGR and the premium-income gap per segment only
(``summary.series_break`` and ``summary.breaks`` say where and why). The premium index runs
over the whole span (first row with a premium = 100): premiums are amounts, not a survey.

Arithmetic and rounding
-----------------------
Everything is exact :class:`~decimal.Decimal` (context precision 28). Each figure is rounded
once, half-up, where it is produced:

* burden ratio = premium / income, to 4 decimals (0.1143 = 11.43%), as in
  :mod:`premium_calc.burden`;
* index = value / base value x 100, to 2 decimals;
* year-on-year change = value / previous year's value - 1, to 4 decimals (0.0870 = 8.70%);
* multiple = last / first, to 4 decimals;
* CAGR = (last / first) ** (1 / (last year - first year)) - 1, computed with
  ``Decimal.__pow__`` (a fractional power, correctly rounded at 28 digits) and rounded to
  4 decimals (0.01 percentage point);
* gap (percentage points a year) = (premium CAGR - income CAGR) x 100 from the two rounded
  CAGRs, so the printed figures add up exactly (2 decimals).

Multiples and CAGRs of premium and income are compared over the same years: the first and
last rows of a segment that have both a premium and an income.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .burden import RATIO_PLACES
from .errors import (
    DataMissingError,
    PremiumCalcError,
    StatisticNotFoundError,
)
from .household import Household, Member
from .premium import SourceRef, calculate, check_tier, match_category
from .ratebook import RateBook, Schedule, ScheduleCategory
from .schema import Name, Source
from .stats import STATISTIC_NAMES, STATISTICS, IncomeFigure, IncomeStats

#: The member whose category is "the" premium of a region when no category is named.
REFERENCE_ADULT = Member(age=40, label="reference adult (40)")

INDEX_PLACES = Decimal("0.01")
GROWTH_PLACES = Decimal("0.0001")
MULTIPLE_PLACES = Decimal("0.0001")
PP_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

#: Income confidence levels that get the low-confidence mark (income.toml has five levels).
LOW_INCOME_CONFIDENCE = frozenset({"low", "medium-low"})

class NoDataInSpanError(PremiumCalcError):
    """A region has no coverage year in the span asked for (or the span is empty)."""

    def __init__(
        self, region: str, start: int | None, end: int | None, years: Sequence[int]
    ) -> None:
        self.region = region
        self.start = start
        self.end = end
        self.available = tuple(years)
        have = ", ".join(map(str, years)) or "none"
        if start is not None and end is not None and start > end:
            message = f"the span {start}-{end} is empty (expected --from <= --to)"
        elif not years:
            message = f"{region} has no coverage years of its own (no [[year]] entries in its rate file)"
        else:
            span = (
                f"{start}-{end}" if start is not None and end is not None
                else f"from {start}" if start is not None
                else f"up to {end}"
            )
            message = (
                f"{region} has no rates for coverage years {span}; years available: {have}"
                " (expected --from/--to around those years)"
            )
        super().__init__(message)


class UnknownCategoryError(PremiumCalcError):
    """A category id that no year of the span defines."""

    def __init__(self, region: str, category: str, known: Sequence[str]) -> None:
        self.region = region
        self.category = category
        self.known = tuple(known)
        super().__init__(
            f"{region} has no category {category!r} in any year of the span"
            f" (expected one of {', '.join(known) or 'none'})"
        )


# --- result models ----------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HistoryRow(_Frozen):
    """One coverage year: premium, subsidy, the income it is measured against, and growth."""

    coverage_year: int
    policy_year: int | None
    category: str | None
    category_name: Name | None
    premium: Decimal | None
    premium_missing: str | None
    gross: Decimal | None
    assistance: Decimal | None
    subsidy: Decimal | None
    confidence: Literal["high", "medium", "low"] | None
    premium_source: int | None
    income_year: int
    income: Decimal | None
    income_per_capita: Decimal | None
    income_measure: str | None
    income_region: str | None
    income_confidence: str | None
    income_source: int | None
    income_missing: str | None
    burden_ratio: Decimal | None
    premium_index: Decimal | None
    income_index: Decimal | None
    yoy_premium: Decimal | None
    yoy_income: Decimal | None
    segment: int | None
    low_confidence: bool


class SeriesBreak(_Frozen):
    """Where the income series changes measure (or region): growth is not computed across it."""

    coverage_year: int
    income_year: int
    from_measure: str
    to_measure: str
    from_region: str | None
    to_region: str | None
    overlap_from_value: Decimal | None
    overlap_to_value: Decimal | None
    note: str


class Segment(_Frozen):
    """Rows with one income measure: growth of premium against income within it."""

    index: int
    income_measure: str
    income_region: str | None
    first_year: int
    last_year: int
    index_base_year: int
    compare_first_year: int | None
    compare_last_year: int | None
    premium_multiple: Decimal | None
    premium_cagr: Decimal | None
    income_multiple: Decimal | None
    income_cagr: Decimal | None
    gap_pp_per_year: Decimal | None
    peak_burden_year: int | None
    peak_burden_ratio: Decimal | None


class Summary(_Frozen):
    """Growth over the span. Income figures are ``None`` where the span has a series break:
    they are then in ``segments``."""

    first_year: int
    last_year: int
    premium_first_year: int | None
    premium_last_year: int | None
    premium_first: Decimal | None
    premium_last: Decimal | None
    premium_multiple: Decimal | None
    premium_cagr: Decimal | None
    income_first_year: int | None
    income_last_year: int | None
    income_first: Decimal | None
    income_last: Decimal | None
    income_multiple: Decimal | None
    income_cagr: Decimal | None
    compare_first_year: int | None
    compare_last_year: int | None
    gap_pp_per_year: Decimal | None
    peak_burden_year: int | None
    peak_burden_ratio: Decimal | None
    series_break: bool
    breaks: list[SeriesBreak]
    segments: list[Segment]
    missing_premium_years: list[int]
    missing_income_years: list[int]
    uncovered_years: list[int]
    low_confidence_years: list[int]


class History(_Frozen):
    """A region's premiums against income over its coverage years."""

    kind: Literal["category", "household"]
    region: str
    region_name: Name
    category: str | None
    category_rule: str
    statistic: str
    statistic_name: Name
    income_region: str | None
    start: int
    end: int
    rows: list[HistoryRow]
    summary: Summary
    sources: list[SourceRef]
    notes: list[str]


class HouseholdHistory(History):
    """The same household priced in every coverage year, with its burden."""

    household: Household
    household_size: int
    income_basis: Literal["household", "statistic"]
    description: str | None = None


class CategoryAmount(_Frozen):
    """One category of a region's schedule in the compared year."""

    id: str
    name: Name
    amount: Decimal | None
    missing: str | None
    subsidy: Decimal | None
    burden_ratio: Decimal | None
    confidence: Literal["high", "medium", "low"]
    reference: bool


class ComparisonRow(_Frozen):
    """One region in a comparison: the reference premium, its subsidy and burden."""

    rank: int | None
    region: str
    region_name: Name
    level: str
    category: str | None
    category_name: Name | None
    premium: Decimal | None
    premium_missing: str | None
    subsidy: Decimal | None
    vs_national_minimum: Decimal | None
    income: Decimal | None
    income_year: int | None
    income_region: str | None
    income_measure: str | None
    income_confidence: str | None
    burden_ratio: Decimal | None
    confidence: Literal["high", "medium", "low"]
    low_confidence: bool
    categories: list[CategoryAmount]
    notes: list[str]


class Comparison(_Frozen):
    """Regions in one coverage year, ranked by premium as a share of their income statistic."""

    year: int
    statistic: str
    statistic_name: Name
    category: str | None
    category_rule: str
    national_minimum: Decimal | None
    national_subsidy: Decimal | None
    national_income: Decimal | None
    national_income_year: int | None
    national_burden_ratio: Decimal | None
    rows: list[ComparisonRow]
    sources: list[SourceRef]
    notes: list[str]


# --- arithmetic -------------------------------------------------------------------------


def _q(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator to 4 decimals (the burden rule), or None."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return _q(numerator / denominator, RATIO_PLACES)


def index(value: Decimal | None, base: Decimal | None) -> Decimal | None:
    """value / base x 100 to 2 decimals, or None."""
    if value is None or base is None or base == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return _q(value / base * HUNDRED, INDEX_PLACES)


def growth(value: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """value / previous - 1 to 4 decimals, or None."""
    if value is None or previous is None or previous == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return _q(value / previous - 1, GROWTH_PLACES)


def multiple(last: Decimal | None, first: Decimal | None) -> Decimal | None:
    """last / first to 4 decimals, or None."""
    if last is None or first is None or first == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return _q(last / first, MULTIPLE_PLACES)


def cagr(first: Decimal | None, last: Decimal | None, years: int) -> Decimal | None:
    """Compound annual growth rate (last / first) ** (1 / years) - 1, to 4 decimals.

    ``None`` when it is not defined (no span, a missing or zero end point).
    """
    if first is None or last is None or years <= 0 or first <= 0 or last < 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        if last == 0:
            return _q(Decimal(-1), GROWTH_PLACES)
        return _q((last / first) ** (Decimal(1) / Decimal(years)) - 1, GROWTH_PLACES)


def gap_pp(premium_cagr: Decimal | None, income_cagr: Decimal | None) -> Decimal | None:
    """(premium CAGR - income CAGR) in percentage points a year, from the rounded CAGRs."""
    if premium_cagr is None or income_cagr is None:
        return None
    return _q((premium_cagr - income_cagr) * HUNDRED, PP_PLACES)


# --- statistics -------------------------------------------------------------------------

_RURAL_QUINTILE = re.compile(r"^(rural[-_ ]?q[1-5]|q[1-5][-_ ]?rural)$")


def check_statistic(statistic: str, stats: IncomeStats | None = None) -> str:
    """The statistic id, validated: rural, urban, all, q1..q5. Rural quintiles are refused
    with the reason (not in the data)."""
    value = statistic.strip().lower()
    if value in STATISTICS:
        return value
    if _RURAL_QUINTILE.match(value):
        rural_years: list[int] = []
        if stats is not None:
            rural_years = sorted(
                {r.year for r in stats.quintile_rows() if r.population == "rural"}
            )
        old = (
            f"; only rural NET-income quintiles of the old survey exist, for"
            f" {', '.join(map(str, rural_years))}"
            if rural_years
            else ""
        )
        raise StatisticNotFoundError(
            f"rural disposable-income quintiles are not in the data (rates/stats/income.toml:"
            f" NBS publishes them only in yearbook tables){old}; q1..q5 are the national"
            f" all-resident quintiles (20% of households each), e.g. --income q1"
        )
    raise StatisticNotFoundError(
        f"unknown income statistic {statistic!r} (expected one of {', '.join(STATISTICS)})"
    )


def statistic_name(statistic: str) -> Name:
    zh, en = STATISTIC_NAMES[statistic]
    return Name(zh=zh, en=en)


def _income_figures(
    stats: IncomeStats,
    statistic: str,
    candidates: Sequence[str],
    income_years: Sequence[int],
) -> tuple[str | None, dict[int, IncomeFigure | None]]:
    """The income region with the most figures for these years (ties: the first candidate)."""
    best: tuple[str | None, dict[int, IncomeFigure | None]] = (
        None,
        {y: None for y in income_years},
    )
    best_count = 0
    for region in candidates:
        found = {y: stats.figure(statistic, y, region=region) for y in income_years}
        count = sum(1 for f in found.values() if f is not None)
        if count > best_count:
            best, best_count = (region, found), count
    return best


def _income_candidates(
    book: RateBook, schedule_chain: Sequence[str], income_region: str | None
) -> list[str]:
    """``income_region`` if given, else the rate region and its ancestors, nearest first."""
    if income_region is not None:
        return [book.find(income_region)]
    return list(reversed(schedule_chain))


# --- series assembly --------------------------------------------------------------------


@dataclass
class _Raw:
    coverage_year: int
    policy_year: int | None
    category: str | None = None
    category_name: Name | None = None
    premium: Decimal | None = None
    premium_missing: str | None = None
    gross: Decimal | None = None
    assistance: Decimal | None = None
    subsidy: Decimal | None = None
    confidence: Literal["high", "medium", "low"] | None = None
    premium_source: Source | None = None
    premium_region: str | None = None
    income: Decimal | None = None
    income_per_capita: Decimal | None = None
    income_measure: str | None = None
    income_region: str | None = None
    income_confidence: str | None = None
    income_source: Source | None = None
    income_missing: str | None = None


class _Sources:
    """Distinct sources in order of first use; rows refer to them by 0-based index (as
    :class:`~premium_calc.premium.MemberPremium.source` does)."""

    def __init__(self) -> None:
        self.items: list[Source] = []

    def index(self, source: Source | None) -> int | None:
        if source is None:
            return None
        if source not in self.items:
            self.items.append(source)
        return self.items.index(source)

    def refs(self) -> list[SourceRef]:
        return [SourceRef.of(s) for s in self.items]


def _years_in_span(book: RateBook, region_id: str, start: int | None, end: int | None) -> list[int]:
    if start is not None and end is not None and start > end:
        raise NoDataInSpanError(region_id, start, end, book.years(region_id))
    own = book.years(region_id)
    years = [
        y for y in own if (start is None or y >= start) and (end is None or y <= end)
    ]
    if not years:
        raise NoDataInSpanError(region_id, start, end, own)
    return years


def _growth(
    name: str,
    first: HistoryRow | None,
    last: HistoryRow | None,
    value: Callable[[HistoryRow], Decimal | None],
) -> dict[str, Any]:
    """``{name}_first_year, _last_year, _first, _last, _multiple, _cagr`` of a span."""
    if first is None or last is None:
        keys = ("first_year", "last_year", "first", "last", "multiple", "cagr")
        return {f"{name}_{k}": None for k in keys}
    a, b = value(first), value(last)
    return {
        f"{name}_first_year": first.coverage_year,
        f"{name}_last_year": last.coverage_year,
        f"{name}_first": a,
        f"{name}_last": b,
        f"{name}_multiple": multiple(b, a),
        f"{name}_cagr": cagr(a, b, last.coverage_year - first.coverage_year),
    }


def _peak(rows: Iterable[HistoryRow]) -> tuple[int | None, Decimal | None]:
    best: tuple[int | None, Decimal | None] = (None, None)
    for row in rows:
        if row.burden_ratio is not None and (best[1] is None or row.burden_ratio > best[1]):
            best = (row.coverage_year, row.burden_ratio)
    return best


def _compare(rows: Sequence[HistoryRow]) -> tuple[
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


def _break_note(prev: HistoryRow, row: HistoryRow, overlap: tuple[Decimal, Decimal] | None) -> str:
    if prev.income_measure != row.income_measure:
        text = (
            f"income measure changes from {prev.income_measure} to {row.income_measure}"
            f" at income year {row.income_year} (coverage {row.coverage_year}): the NBS 2013"
            " survey reform (rural 纯收入 -> 可支配收入) is a level break, not growth; indices"
            " restart at 100 and growth is not computed across it"
        )
        if overlap is not None:
            text += (
                f" (income year {row.income_year} has both: {prev.income_measure}"
                f" {overlap[0]}, {row.income_measure} {overlap[1]})"
            )
        return text
    return (
        f"income region changes from {prev.income_region} to {row.income_region} at income"
        f" year {row.income_year}: indices restart at 100 and growth is not computed across it"
    )


def _assemble(
    raws: Sequence[_Raw],
    *,
    stats: IncomeStats | None,
    statistic: str,
) -> tuple[list[HistoryRow], Summary, _Sources]:
    sources = _Sources()
    # Segments: consecutive rows with an income of one measure and region.
    seg_of: list[int | None] = []
    seg_keys: list[tuple[str | None, str | None]] = []
    for raw in raws:
        if raw.income is None:
            seg_of.append(None)
            continue
        key = (raw.income_measure, raw.income_region)
        if not seg_keys or seg_keys[-1] != key:
            seg_keys.append(key)
        seg_of.append(len(seg_keys) - 1)

    premium_base = next((r.premium for r in raws if r.premium is not None and r.premium > 0), None)
    income_base: dict[int, Decimal] = {}
    for raw, seg in zip(raws, seg_of, strict=True):
        if seg is not None and seg not in income_base and raw.income is not None:
            income_base[seg] = raw.income

    rows: list[HistoryRow] = []
    by_year: dict[int, tuple[_Raw, int | None]] = {}
    for raw, seg in zip(raws, seg_of, strict=True):
        before = by_year.get(raw.coverage_year - 1)
        yoy_p = growth(raw.premium, before[0].premium) if before is not None else None
        yoy_i = (
            growth(raw.income, before[0].income)
            if before is not None and seg is not None and before[1] == seg
            else None
        )
        low = raw.confidence == "low" or raw.income_confidence in LOW_INCOME_CONFIDENCE
        rows.append(
            HistoryRow(
                coverage_year=raw.coverage_year,
                policy_year=raw.policy_year,
                category=raw.category,
                category_name=raw.category_name,
                premium=raw.premium,
                premium_missing=raw.premium_missing,
                gross=raw.gross,
                assistance=raw.assistance,
                subsidy=raw.subsidy,
                confidence=raw.confidence,
                premium_source=sources.index(raw.premium_source),
                income_year=raw.coverage_year - 1,
                income=raw.income,
                income_per_capita=raw.income_per_capita,
                income_measure=raw.income_measure,
                income_region=raw.income_region,
                income_confidence=raw.income_confidence,
                income_source=sources.index(raw.income_source),
                income_missing=raw.income_missing,
                burden_ratio=ratio(raw.premium, raw.income),
                premium_index=index(raw.premium, premium_base),
                income_index=index(raw.income, income_base.get(seg)) if seg is not None else None,
                yoy_premium=yoy_p,
                yoy_income=yoy_i,
                segment=seg,
                low_confidence=low,
            )
        )
        by_year[raw.coverage_year] = (raw, seg)

    # Breaks between segments.
    breaks: list[SeriesBreak] = []
    last_with_income: HistoryRow | None = None
    for row in rows:
        if row.segment is None:
            continue
        if last_with_income is not None and last_with_income.segment != row.segment:
            prev = last_with_income
            overlap: tuple[Decimal, Decimal] | None = None
            if (
                stats is not None
                and prev.income_measure in ("net", "disposable")
                and row.income_region is not None
                and row.income_per_capita is not None
            ):
                other = stats.figure(
                    statistic,
                    row.income_year,
                    region=row.income_region,
                    measure="net" if prev.income_measure == "net" else "disposable",
                )
                if other is not None:
                    overlap = (other.value, row.income_per_capita)
            breaks.append(
                SeriesBreak(
                    coverage_year=row.coverage_year,
                    income_year=row.income_year,
                    from_measure=prev.income_measure or "",
                    to_measure=row.income_measure or "",
                    from_region=prev.income_region,
                    to_region=row.income_region,
                    overlap_from_value=overlap[0] if overlap else None,
                    overlap_to_value=overlap[1] if overlap else None,
                    note=_break_note(prev, row, overlap),
                )
            )
        last_with_income = row

    segments: list[Segment] = []
    for seg, (measure, region) in enumerate(seg_keys):
        seg_rows = [r for r in rows if r.segment == seg]
        base_row = seg_rows[0]
        c_first, c_last, p_mult, p_cagr, i_mult, i_cagr = _compare(seg_rows)
        peak_year, peak_ratio = _peak(seg_rows)
        segments.append(
            Segment(
                index=seg,
                income_measure=measure or "",
                income_region=region,
                first_year=seg_rows[0].coverage_year,
                last_year=seg_rows[-1].coverage_year,
                index_base_year=base_row.coverage_year,
                compare_first_year=c_first,
                compare_last_year=c_last,
                premium_multiple=p_mult,
                premium_cagr=p_cagr,
                income_multiple=i_mult,
                income_cagr=i_cagr,
                gap_pp_per_year=gap_pp(p_cagr, i_cagr),
                peak_burden_year=peak_year,
                peak_burden_ratio=peak_ratio,
            )
        )

    with_premium = [r for r in rows if r.premium is not None]
    p_first, p_last = (with_premium[0], with_premium[-1]) if with_premium else (None, None)
    with_income = [r for r in rows if r.income is not None]
    single = len(segments) == 1
    i_first, i_last = (with_income[0], with_income[-1]) if with_income and single else (None, None)
    seg0 = segments[0] if single else None
    peak_year, peak_ratio = _peak(rows)
    first_year, last_year = rows[0].coverage_year, rows[-1].coverage_year
    have = {r.coverage_year for r in rows}
    summary = Summary(
        first_year=first_year,
        last_year=last_year,
        **_growth("premium", p_first, p_last, lambda r: r.premium),
        **_growth("income", i_first, i_last, lambda r: r.income),
        compare_first_year=seg0.compare_first_year if seg0 else None,
        compare_last_year=seg0.compare_last_year if seg0 else None,
        gap_pp_per_year=seg0.gap_pp_per_year if seg0 else None,
        peak_burden_year=peak_year,
        peak_burden_ratio=peak_ratio,
        series_break=bool(breaks),
        breaks=breaks,
        segments=segments,
        missing_premium_years=[r.coverage_year for r in rows if r.premium is None],
        missing_income_years=[r.coverage_year for r in rows if r.income is None],
        uncovered_years=[y for y in range(first_year, last_year + 1) if y not in have],
        low_confidence_years=[r.coverage_year for r in rows if r.low_confidence],
    )
    return rows, summary, sources


def _attach_income(
    raws: Sequence[_Raw],
    figures: dict[int, IncomeFigure | None],
    income_region: str | None,
    statistic: str,
    size: int = 1,
) -> None:
    for raw in raws:
        figure = figures.get(raw.coverage_year - 1)
        if figure is None:
            where = income_region or "any region of the chain"
            raw.income_missing = (
                f"no {statistic} income statistic for {raw.coverage_year - 1} ({where})"
            )
            continue
        raw.income_per_capita = figure.value
        raw.income = figure.value * size
        raw.income_measure = figure.measure
        raw.income_region = figure.region
        raw.income_confidence = figure.confidence
        raw.income_source = figure.source


def _scheme_notes(raws: Sequence[_Raw]) -> list[str]:
    notes: list[str] = []
    national = [r.coverage_year for r in raws if r.premium_region == "cn"]
    if any(y < 2019 for y in national) and any(y >= 2019 for y in national):
        notes.append(
            "premium series: the national figures before coverage 2019 are the NCMS (新农合)"
            " farmer contribution; from 2019 the unified resident minimum (rates/cn.toml)"
        )
    return notes


def _income_notes(
    statistic: str,
    income_region: str | None,
    region_id: str,
    figures: dict[int, IncomeFigure | None],
) -> list[str]:
    notes: list[str] = []
    if income_region is None:
        notes.append(f"no {statistic} income statistic for any income year of the span")
    elif income_region != region_id:
        notes.append(
            f"income: the {statistic} statistic of {income_region}"
            f" ({sum(1 for f in figures.values() if f is not None)} of {len(figures)} income"
            f" years); {region_id} has fewer of its own"
        )
    if statistic.startswith("q"):
        notes.append(
            f"{statistic}: national all-resident quintile (20% of households, not of people);"
            " rural disposable-income quintiles are not in the data"
        )
    return notes


def _category_for(schedule: Schedule, category: str | None) -> ScheduleCategory | str:
    """The category a series follows in one year, or why there is none."""
    if category is None:
        try:
            return match_category(schedule, REFERENCE_ADULT, 1)
        except DataMissingError as exc:
            return exc.reason
    for cat in schedule.categories:
        if cat.id == category:
            return cat
    ids = ", ".join(c.id for c in schedule.categories)
    return f"no category {category!r} in {schedule.coverage_year} (categories: {ids})"


def category_rule(category: str | None) -> str:
    if category is None:
        return (
            "the category of a reference adult (40, no flags): the working-age / catch-all"
            " category; cheapest tier where a region has tiers"
        )
    return f"category {category!r}; cheapest tier where a region has tiers"


def premium_series(
    book: RateBook,
    region: str,
    *,
    category: str | None = None,
    start: int | None = None,
    end: int | None = None,
    statistic: str = "rural",
    stats: IncomeStats | None = None,
    income_region: str | None = None,
) -> History:
    """What one member of a category pays in each of the region's coverage years, against
    the per-capita income statistic of the year it is paid in (coverage year - 1)."""
    region_id = book.find(region)
    income_stats = stats if stats is not None else book.income_stats()
    statistic = check_statistic(statistic, income_stats)
    years = _years_in_span(book, region_id, start, end)
    raws: list[_Raw] = []
    seen_category = category is None
    known: list[str] = []
    chain: tuple[str, ...] = ()
    for year in years:
        schedule = book.schedule(region_id, year)
        chain = schedule.chain
        raw = _Raw(coverage_year=year, policy_year=schedule.policy_year)
        for c in schedule.categories:
            if c.id not in known:
                known.append(c.id)
        found = _category_for(schedule, category)
        if isinstance(found, str):
            raw.premium_missing = found
            raws.append(raw)
            continue
        seen_category = True
        raw.category, raw.category_name = found.id, found.name
        raw.subsidy = found.subsidy
        raw.confidence = found.amount_origin.source.confidence
        raw.premium_source = found.amount_origin.source
        raw.premium_region = found.amount_origin.region
        if found.missing is not None:
            raw.premium_missing = found.missing
        else:
            amount = found.amount(check_tier(schedule, None))
            if amount is None:
                raw.premium_missing = "the rate file gives no amount for the default tier"
            raw.premium = raw.gross = amount
        raws.append(raw)
    if not seen_category:
        assert category is not None
        raise UnknownCategoryError(region_id, category, known)

    candidates = _income_candidates(book, chain, income_region)
    inc_region, figures = _income_figures(
        income_stats, statistic, candidates, [y - 1 for y in years]
    )
    _attach_income(raws, figures, inc_region, statistic)
    rows, summary, sources = _assemble(raws, stats=income_stats, statistic=statistic)
    leaf = book.region(region_id)
    return History(
        kind="category",
        region=region_id,
        region_name=leaf.name,
        category=category,
        category_rule=category_rule(category),
        statistic=statistic,
        statistic_name=statistic_name(statistic),
        income_region=inc_region,
        start=years[0],
        end=years[-1],
        rows=rows,
        summary=summary,
        sources=sources.refs(),
        notes=_income_notes(statistic, inc_region, region_id, figures) + _scheme_notes(raws),
    )


def household_series(
    book: RateBook,
    region: str,
    household: Household,
    *,
    start: int | None = None,
    end: int | None = None,
    statistic: str = "rural",
    stats: IncomeStats | None = None,
    income_region: str | None = None,
    tier: str | None = None,
    description: str | None = None,
) -> HouseholdHistory:
    """The same household priced under every coverage year's rules, with its burden.

    Members given by age keep that age in every year (the same household composition under
    each year's rules); members given by birth date age with the years. The income is the
    household's own (the same nominal amount every year) or, without one, the statistic of
    income year Y-1 times the household size (as :func:`premium_calc.burden.assess`).
    """
    region_id = book.find(region)
    income_stats = stats if stats is not None else book.income_stats()
    statistic = check_statistic(statistic, income_stats)
    years = _years_in_span(book, region_id, start, end)
    raws: list[_Raw] = []
    chain: tuple[str, ...] = ()
    for year in years:
        schedule = book.schedule(region_id, year)
        chain = schedule.chain
        raw = _Raw(coverage_year=year, policy_year=schedule.policy_year)
        try:
            result = calculate(schedule, household, tier=tier)
        except DataMissingError as exc:
            raw.premium_missing = f"{exc.what}: {exc.reason}"
            raws.append(raw)
            continue
        raw.premium = result.total_paid
        raw.gross = result.total_gross
        raw.assistance = result.total_assistance
        raw.subsidy = result.total_subsidy
        raw.confidence = result.confidence
        raw.premium_source = schedule.source
        raw.premium_region = schedule.categories[0].amount_origin.region
        raws.append(raw)

    own = household.annual_income
    notes: list[str] = []
    inc_region: str | None = None
    if own is not None:
        for raw in raws:
            raw.income = own
            raw.income_per_capita = _q(own / household.size, INDEX_PLACES)
            raw.income_measure = "household"
        notes.append(
            f"income: the household's own {own} yuan a year, the same nominal amount in every"
            " year (no statistic)"
        )
    else:
        candidates = _income_candidates(book, chain, income_region)
        inc_region, figures = _income_figures(
            income_stats, statistic, candidates, [y - 1 for y in years]
        )
        _attach_income(raws, figures, inc_region, statistic, size=household.size)
        notes += _income_notes(statistic, inc_region, region_id, figures)
        notes.append(
            f"income: per-capita statistic x {household.size} members (household size)"
        )
    if any(m.birth_date is None for m in household.members) and len(years) > 1:
        notes.append("members given by age keep that age in every year")
    notes += _scheme_notes(raws)
    rows, summary, sources = _assemble(raws, stats=income_stats, statistic=statistic)
    leaf = book.region(region_id)
    return HouseholdHistory(
        kind="household",
        region=region_id,
        region_name=leaf.name,
        category=None,
        category_rule="every member's own category (premium.calculate); cheapest tier unless given",
        statistic=statistic,
        statistic_name=statistic_name(statistic),
        income_region=inc_region,
        start=years[0],
        end=years[-1],
        rows=rows,
        summary=summary,
        sources=sources.refs(),
        notes=notes,
        household=household,
        household_size=household.size,
        income_basis="household" if own is not None else "statistic",
        description=description,
    )


@dataclass(frozen=True)
class SegmentPoint:
    """A year of a segment with premium and income both indexed to the segment's first
    year that has both (for charts: the only like-for-like comparison)."""

    coverage_year: int
    premium_index: Decimal | None
    income_index: Decimal | None
    burden_ratio: Decimal | None


def segment_indices(history: History) -> list[tuple[Segment, list[SegmentPoint]]]:
    """Per segment, premium and income indices rebased to the segment's first year with
    both (``Segment.compare_first_year`` = 100). Rows without an income are left out."""
    out: list[tuple[Segment, list[SegmentPoint]]] = []
    for seg in history.summary.segments:
        rows = [r for r in history.rows if r.segment == seg.index]
        base = next((r for r in rows if r.coverage_year == seg.compare_first_year), None)
        points = [
            SegmentPoint(
                coverage_year=r.coverage_year,
                premium_index=index(r.premium, base.premium) if base else None,
                income_index=index(r.income, base.income) if base else None,
                burden_ratio=r.burden_ratio,
            )
            for r in rows
        ]
        out.append((seg, points))
    return out


# --- regions side by side ---------------------------------------------------------------


def regions_with_year(book: RateBook, year: int) -> list[str]:
    """Every region whose own rate file has an entry for the coverage year."""
    return [r for r in book.region_ids() if year in book.years(r)]


def compare_regions(
    book: RateBook,
    year: int,
    regions: Sequence[str],
    *,
    category: str | None = None,
    statistic: str = "rural",
    stats: IncomeStats | None = None,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Regions in one coverage year: premium per person by category, subsidy, and the
    reference premium as a share of the region's income statistic
    (:meth:`IncomeStats.for_region`, income year = coverage year - 1), ranked heaviest first.

    ``progress`` is called with each region id as it is resolved (for a progress bar).
    """
    income_stats = stats if stats is not None else book.income_stats()
    statistic = check_statistic(statistic, income_stats)
    sources = _Sources()
    out: list[ComparisonRow] = []
    seen: list[str] = []
    for query in regions:
        region_id = book.find(query)
        if region_id in seen:
            continue
        seen.append(region_id)
        schedule = book.schedule(region_id, year)
        if progress is not None:
            progress(region_id)
        figure, notes = income_stats.for_region(statistic, year - 1, schedule.chain)
        per_capita = figure.value
        sources.index(schedule.source)
        sources.index(figure.source)
        chosen = check_tier(schedule, None)
        reference = _category_for(schedule, category)
        cats: list[CategoryAmount] = []
        for cat in schedule.categories:
            amount = None if cat.missing is not None else cat.amount(chosen)
            cats.append(
                CategoryAmount(
                    id=cat.id,
                    name=cat.name,
                    amount=amount,
                    missing=cat.missing,
                    subsidy=cat.subsidy,
                    burden_ratio=ratio(amount, per_capita),
                    confidence=cat.amount_origin.source.confidence,
                    reference=not isinstance(reference, str) and cat.id == reference.id,
                )
            )
        missing: str | None
        if isinstance(reference, str):
            premium, missing, ref_cat = None, reference, None
        else:
            ref_cat = reference
            premium = None if reference.missing is not None else reference.amount(chosen)
            missing = reference.missing
            if premium is None and missing is None:
                missing = "the rate file gives no amount for the default tier"
        confidence = ref_cat.amount_origin.source.confidence if ref_cat else schedule.confidence
        minimum = schedule.national_minimum
        out.append(
            ComparisonRow(
                rank=None,
                region=region_id,
                region_name=schedule.name,
                level=schedule.level,
                category=ref_cat.id if ref_cat else None,
                category_name=ref_cat.name if ref_cat else None,
                premium=premium,
                premium_missing=missing,
                subsidy=ref_cat.subsidy if ref_cat else schedule.subsidy,
                vs_national_minimum=(
                    premium - minimum if premium is not None and minimum is not None else None
                ),
                income=per_capita,
                income_year=figure.year,
                income_region=figure.region,
                income_measure=figure.measure,
                income_confidence=figure.confidence,
                burden_ratio=ratio(premium, per_capita),
                confidence=confidence,
                low_confidence=confidence == "low" or figure.confidence in LOW_INCOME_CONFIDENCE,
                categories=cats,
                notes=notes,
            )
        )
    if category is not None and all(r.category is None for r in out):
        known = sorted({c.id for r in out for c in r.categories})
        raise UnknownCategoryError(", ".join(r.region for r in out), category, known)

    def order(row: ComparisonRow) -> tuple[int, Decimal, Decimal, str]:
        if row.burden_ratio is None:
            return (1, ZERO, ZERO, row.region)
        return (0, -row.burden_ratio, -(row.premium or ZERO), row.region)

    # Competition ranking (1, 2, 2, 4): equal burden and premium share a rank.
    ranked: list[ComparisonRow] = []
    rank = 0
    for position, row in enumerate(sorted(out, key=order), start=1):
        if row.burden_ratio is None:
            ranked.append(row)
            continue
        prev = ranked[-1] if ranked else None
        tied = (
            prev is not None
            and prev.burden_ratio == row.burden_ratio
            and prev.premium == row.premium
        )
        rank = rank if tied else position
        ranked.append(row.model_copy(update={"rank": rank}))

    minimum = book.national_minimum(year)
    national_subsidy: Decimal | None = None
    national: IncomeFigure | None = None
    notes = []
    try:
        cn = book.schedule("cn", year)
        national_subsidy = cn.subsidy
        national, n_notes = income_stats.for_region(statistic, year - 1, ("cn",))
        notes += [f"national reference: {n}" for n in n_notes]
    except PremiumCalcError as exc:
        notes.append(f"national reference: {exc}")
    if statistic.startswith("q"):
        notes.append(
            f"{statistic}: national all-resident quintile (20% of households) for every region"
        )
    return Comparison(
        year=year,
        statistic=statistic,
        statistic_name=statistic_name(statistic),
        category=category,
        category_rule=category_rule(category),
        national_minimum=minimum,
        national_subsidy=national_subsidy,
        national_income=national.value if national else None,
        national_income_year=national.year if national else None,
        national_burden_ratio=ratio(minimum, national.value if national else None),
        rows=ranked,
        sources=sources.refs(),
        notes=notes,
    )


__all__ = [
    "REFERENCE_ADULT",
    "CategoryAmount",
    "Comparison",
    "ComparisonRow",
    "History",
    "HistoryRow",
    "HouseholdHistory",
    "NoDataInSpanError",
    "Segment",
    "SeriesBreak",
    "Summary",
    "UnknownCategoryError",
    "cagr",
    "check_statistic",
    "compare_regions",
    "household_series",
    "premium_series",
    "regions_with_year",
    "segment_indices",
]
