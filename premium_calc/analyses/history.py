"""Historical growth: premiums against income, year by year.

Pure computation, no printing. Two entry points (regions side by side for one year are
:func:`premium_calc.analyses.comparison.compare_regions`, which follows the same definitions):

* :func:`premium_series` - what one member of a category pays in each coverage year of a
  region, against a per-capita income statistic;
* :func:`household_series` - the same household priced under every year's rules.

The result models are in :mod:`.series`; rows, segments and breaks are assembled in
:mod:`.segments`, the summary in :mod:`.summary`, the arithmetic in :mod:`.growth`.

Definitions
-----------
**Years.** The rows are the region's *own* coverage years (the ``[[year]]`` entries of its
rate file) between ``start`` and ``end``. A year the file has no entry for is not invented
(it is listed in ``summary.uncovered_years``); a year whose amount is ``missing`` is a row
with ``premium = None`` and the reason in ``premium_missing``.

**The premium of a category** is what one member of that category pays before assistance
(the cheapest tier where a region has optional tiers). Without ``category`` it is the
category :func:`premium_calc.household.rules.match_category` assigns to the *reference adult*, a
40-year-old with no flags (:data:`REFERENCE_ADULT`): the working-age / catch-all category
(``resident`` in the national file ``cn``; ``adult`` or ``age_19_59`` in Shanghai, whose ids
change over the years). With ``category="id"`` the category is picked by id; a year without
that id is a row marked missing.

**Income.** The premium for coverage year Y is paid in Y-1 (as :func:`premium_calc.household.burden.assess`
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
  :mod:`premium_calc.household.burden`;
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

**The chained income index** (``chain_income=True``, opt-in). Across the 2013 break the two
measures are linked at the overlap year that has both (income year 2014: rural net 9892,
disposable 10489): incomes after the link are converted to the earlier measure by
x 9892 / 10489, the index is the converted value / the first income x 100, and
``summary.chained`` compares premium and chained income over the whole span (national
2004->2026: premium 10 -> 400, x40; income (9892 / 2622.2) x (24456 / 10489) = x8.7957).
A statistical link, not a measured series: every row whose value was converted has
``income_chained``, and ``summary.chained.note`` says so. Segments and breaks are unchanged.

**Marks.** ``subsidy_at_least``: the subsidy is the national figure a region inherits (a
minimum, shown ``≥``); the individual share is then an upper bound. ``components``: add-ons
(long-term care) collected inside the premium; ``medical_premium`` is the premium without them.
``premium_low_confidence`` / ``income_low_confidence``: the ``†`` of each figure.

**Funding and enrolment.** ``individual_share`` = medical premium / (medical premium + subsidy),
to 4 decimals (national 2026: 400 / (400 + 700) = 0.3636). ``enrolment``: people enrolled at the
end of the coverage year, national series only (``rates/stats/enrollment/``), with its source;
the notes give the NHSA caveat on duplicates removed in 2022-2023.

**Views.** Rows are keyed by coverage year; :func:`by_policy_year` keys them by the policy
(notice) year N whose premiums are for coverage year N + 1, as notices and the press cite years.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from ..errors import (
    DataMissingError,
    NoDataInSpanError,
    UnknownCategoryError,
)
from ..household.members import Household, Spec
from ..household.premium import MemberPremium, calculate
from ..household.rules import check_tier
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.enrollment import EnrollmentStats
from ..ratebook.income import (
    IncomeFigure,
    IncomeStats,
    check_statistic,
    statistic_name,
)
from ..ratebook.schedule import Origin
from ..ratefiles.model import prose_note
from ..units import half_up
from .enrolment import attach_enrolment
from .growth import INDEX_PLACES, index
from .reference import category_for, category_rule
from .segments import RawRow, assemble, attach_income, income_notes, scheme_notes
from .series import History, HouseholdHistory, Segment

H = TypeVar("H", bound=History)


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


def _income_candidates(book: RateBook, schedule_chain: Sequence[str], income_region: str | None) -> list[str]:
    """``income_region`` if given, else the rate region and its ancestors, nearest first."""
    if income_region is not None:
        return [book.find(income_region)]
    return list(reversed(schedule_chain))


def _years_in_span(book: RateBook, region_id: str, start: int | None, end: int | None) -> list[int]:
    if start is not None and end is not None and start > end:
        raise NoDataInSpanError(region_id, start, end, book.years(region_id))
    own = book.years(region_id)
    years = [y for y in own if (start is None or y >= start) and (end is None or y <= end)]
    if not years:
        raise NoDataInSpanError(region_id, start, end, own)
    return years


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
    chain_income: bool = False,
    enrolment: EnrollmentStats | None = None,
) -> History:
    """What one member of a category pays in each of the region's coverage years, against
    the per-capita income statistic of the year it is paid in (coverage year - 1).

    ``chain_income``: add the chained income index across income-measure breaks (a statistical
    link, flagged on every row it touches). ``enrolment``: the enrolment counts (default: those
    of the book's rate directories); shown for ``cn`` only."""
    region_id = book.find(region)
    income_stats = stats if stats is not None else book.income_stats()
    statistic = check_statistic(statistic, income_stats)
    years = _years_in_span(book, region_id, start, end)
    raws: list[RawRow] = []
    seen_category = category is None
    known: list[str] = []
    chain: tuple[str, ...] = ()
    for year in years:
        schedule = book.schedule(region_id, year)
        chain = schedule.chain
        raw = RawRow(coverage_year=year, policy_year=schedule.policy_year)
        for c in schedule.categories:
            if c.id not in known:
                known.append(c.id)
        found = category_for(schedule, category)
        if isinstance(found, Note):
            raw.premium_missing = found
            raws.append(raw)
            continue
        seen_category = True
        raw.category, raw.category_name = found.id, found.name
        raw.subsidy = found.subsidy
        raw.subsidy_at_least = _inherited_national(schedule.region, found.subsidy_origin)
        raw.components = dict(found.includes)
        raw.confidence = found.amount_origin.source.confidence
        raw.premium_source = found.amount_origin.source
        raw.premium_region = found.amount_origin.region
        if found.missing is not None:
            raw.premium_missing = prose_note(found.missing)
        else:
            amount = found.amount(check_tier(schedule, None))
            if amount is None:
                raw.premium_missing = Note("note.no_default_tier_amount")
            raw.premium = raw.gross = amount
        raws.append(raw)
    if not seen_category:
        assert category is not None
        raise UnknownCategoryError(region_id, category, known)

    candidates = _income_candidates(book, chain, income_region)
    inc_region, figures = _income_figures(income_stats, statistic, candidates, [y - 1 for y in years])
    attach_income(raws, figures, inc_region, statistic)
    enrol_notes = attach_enrolment(raws, region_id, enrolment or EnrollmentStats(book.dirs))
    rows, summary, sources = assemble(
        raws, stats=income_stats, statistic=statistic, chain_income=chain_income
    )
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
        notes=income_notes(statistic, inc_region, region_id, figures) + scheme_notes(raws) + enrol_notes,
        chain_income=chain_income,
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
    chain_income: bool = False,
    enrolment: EnrollmentStats | None = None,
) -> HouseholdHistory:
    """The same household priced under every coverage year's rules, with its burden.

    Members given by age keep that age in every year (the same household composition under
    each year's rules); members given by birth date age with the years. The income is the
    household's own (the same nominal amount every year) or, without one, the statistic of
    income year Y-1 times the household size (as :func:`premium_calc.household.burden.assess`).
    ``chain_income`` and ``enrolment`` as in :func:`premium_series`; the individual share is the
    household's gross premium (before assistance, without add-ons) against its subsidy.
    """
    region_id = book.find(region)
    income_stats = stats if stats is not None else book.income_stats()
    statistic = check_statistic(statistic, income_stats)
    years = _years_in_span(book, region_id, start, end)
    raws: list[RawRow] = []
    chain: tuple[str, ...] = ()
    for year in years:
        schedule = book.schedule(region_id, year)
        chain = schedule.chain
        raw = RawRow(coverage_year=year, policy_year=schedule.policy_year)
        try:
            result = calculate(schedule, household, tier=tier)
        except DataMissingError as exc:
            raw.premium_missing = Note("note.data_missing", what=exc.what, reason=exc.reason)
            raws.append(raw)
            continue
        if not result.complete:
            # A member's assistance or amount is unknown: the year's premium is not a number.
            first = result.unknown_members[0]
            raw.premium_missing = Note(
                "note.data_missing",
                what=Note("error.what_member", index=first.index, member=Spec(first.member)),
                reason=first.unknown_reason or "",
            )
            raws.append(raw)
            continue
        raw.premium = result.total_paid
        raw.gross = result.total_gross
        raw.assistance = result.total_assistance
        raw.subsidy = result.total_subsidy
        raw.subsidy_at_least = result.subsidy_is_national_minimum
        raw.components = _household_components(result.resident_members)
        raw.confidence = result.confidence
        raw.premium_source = schedule.source
        raw.premium_region = schedule.categories[0].amount_origin.region
        raws.append(raw)

    own = household.annual_income
    notes: list[Note] = []
    inc_region: str | None = None
    if own is not None:
        for raw in raws:
            raw.income = own
            raw.income_per_capita = half_up(own / household.size, INDEX_PLACES)
            raw.income_measure = "household"
        notes.append(Note("note.own_income_every_year", income=own))
    else:
        candidates = _income_candidates(book, chain, income_region)
        inc_region, figures = _income_figures(income_stats, statistic, candidates, [y - 1 for y in years])
        attach_income(raws, figures, inc_region, statistic, size=household.size)
        notes += income_notes(statistic, inc_region, region_id, figures)
        notes.append(Note("note.statistic_times_size", size=household.size))
    if any(m.birth_date is None for m in household.members) and len(years) > 1:
        notes.append(Note("note.ages_fixed"))
    notes += scheme_notes(raws)
    notes += attach_enrolment(raws, region_id, enrolment or EnrollmentStats(book.dirs))
    rows, summary, sources = assemble(
        raws, stats=income_stats, statistic=statistic, chain_income=chain_income
    )
    leaf = book.region(region_id)
    return HouseholdHistory(
        kind="household",
        region=region_id,
        region_name=leaf.name,
        category=None,
        category_rule=str(Note("note.category_household")),
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
        chain_income=chain_income,
    )


def _inherited_national(region_id: str, origin: Origin | None) -> bool:
    """A region that sets no subsidy of its own inherits the national figure, a minimum (不低于)
    (the rule of :func:`premium_calc.household.premium.calculate`)."""
    return region_id != "cn" and origin is not None and origin.region == "cn"


def _household_components(members: Sequence[MemberPremium]) -> dict[str, Decimal]:
    """The add-ons collected inside the household's premium, summed over its members."""
    total: dict[str, Decimal] = {}
    for m in members:
        if m.status != "resident" or m.gross is None:
            continue
        for name, amount in m.components.items():
            total[name] = total.get(name, Decimal(0)) + amount
    return total


def by_policy_year(history: H) -> H:
    """The same history keyed by policy (notice) year: the year N of the notice whose premiums
    are for coverage year N + 1, as notices and the press cite years (the 2024 notice: 400 yuan,
    for coverage 2025). A row whose rate file gives no policy year gets coverage year - 1, with
    ``policy_year_inferred``. Nothing else changes: income year, segments and summary stay those
    of the coverage years (renderers show the policy years)."""
    rows = [
        r
        if r.policy_year is not None
        else r.model_copy(update={"policy_year": r.coverage_year - 1, "policy_year_inferred": True})
        for r in history.rows
    ]
    return history.model_copy(update={"rows": rows, "view": "policy_year"})


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
