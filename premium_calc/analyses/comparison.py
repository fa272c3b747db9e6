"""Regions side by side for one coverage year, ranked by burden against one stated denominator,
with the national minimum.

* One denominator per table (:attr:`Comparison.income_basis`): the national figure of a
  statistic for every region (``rural``, the default), each region's own figure (``own``: only
  where every region has one, else :class:`~premium_calc.errors.OptionError` naming those
  without), or a household's own income.
* Categories are matched by what they mean (:mod:`.category_types`), or by id; a reference
  person or household is priced as ``calc`` prices it (:func:`~premium_calc.household.premium.calculate`).
* Marks are fields: ``*_at_least`` where a national minimum stands in (``≥``), ``low_confidence``
  (``†``), and add-ons collected with the premium (a category's ``includes``: long-term care)
  apart from the medical premium that is ranked.
* A region without an entry for the year is a ``missing`` row with the reason, not an abort.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from ..errors import OptionError, PremiumCalcError, UnknownCategoryError, YearNotCoveredError
from ..household.members import Household
from ..household.rules import check_tier
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.income import IncomeFigure, IncomeStats, check_statistic, statistic_name
from ..ratebook.schedule import Schedule, ScheduleCategory
from ..ratefiles.model import prose_note
from ..units import ZERO
from .category_types import ALL_RESIDENTS, CATEGORY_TYPES, categories_of_type, category_type, types_of
from .comparison_household import ComparedMember, price_household
from .comparison_model import CategoryAmount, Comparison, ComparisonRow, Confidence
from .comparison_scope import (
    Basis,
    MissingRegion,
    check_level,
    national_figure,
    own_figures,
    parse_income,
    provinces_total,
    regions_for_all,
    regions_with_year,
    without_data,
)
from .growth import ratio
from .reference import category_for, category_rule
from .segments import Sources
from .series import LOW_INCOME_CONFIDENCE

__all__ = [
    "CategoryAmount",
    "ComparedMember",
    "Comparison",
    "ComparisonRow",
    "MissingRegion",
    "compare_all",
    "compare_regions",
    "regions_with_year",
]


def _at_least(schedule: Schedule, region: str | None) -> bool:
    """Whether a value set in ``cn`` stands in for a region's own (a national minimum)."""
    return schedule.region != "cn" and region == "cn"


def _category_amount(
    schedule: Schedule, cat: ScheduleCategory, tier: str | None, reference: bool, per_capita: Decimal | None
) -> CategoryAmount:
    amount = None if cat.missing is not None else cat.amount(tier)
    components = dict(cat.includes)
    medical = amount - sum(components.values(), ZERO) if amount is not None else None
    confidence = cat.amount_origin.source.confidence
    origin = cat.subsidy_origin
    return CategoryAmount(
        id=cat.id,
        name=cat.name,
        types=list(types_of(cat)),
        amount=amount,
        medical=medical,
        components=components,
        amount_at_least=_at_least(schedule, cat.amount_origin.region),
        missing=prose_note(cat.missing) if cat.missing is not None else None,
        subsidy=cat.subsidy,
        subsidy_at_least=_at_least(schedule, origin.region if origin else None),
        burden_ratio=ratio(medical, per_capita),
        confidence=confidence,
        low_confidence=confidence == "low",
        reference=reference,
    )


def _pick(schedule: Schedule, category: str | None) -> tuple[ScheduleCategory | Note, list[ScheduleCategory]]:
    """The category ranked (by type, by id, or the reference adult's) and others of its type."""
    kind = category_type(category)
    if kind is None:
        return category_for(schedule, category), []
    found = categories_of_type(schedule, kind)
    if not found:
        return Note("compare.no_category_of_type", type=kind, year=schedule.coverage_year), []
    return found[0], found[1:]


def _missing_row(book: RateBook, region_id: str, reason: Note) -> ComparisonRow:
    region = book.region(region_id)
    return ComparisonRow(
        status="missing",
        rank=None,
        region=region_id,
        region_name=region.name,
        level=region.data.region.level,
        category=None,
        category_name=None,
        category_types=[],
        other_categories=[],
        premium=None,
        premium_at_least=False,
        premium_missing=reason,
        collected=None,
        components={},
        subsidy=None,
        subsidy_at_least=False,
        vs_national_minimum=None,
        income=None,
        income_year=None,
        income_region=None,
        income_measure=None,
        income_confidence=None,
        burden_ratio=None,
        confidence=None,
        low_confidence=False,
        categories=[],
        members=[],
        notes=[],
    )


def compare_regions(
    book: RateBook,
    year: int,
    regions: Sequence[str],
    *,
    category: str | None = None,
    statistic: str = "rural",
    household: Household | None = None,
    stats: IncomeStats | None = None,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Regions in one coverage year, ranked heaviest burden first.

    ``statistic``: ``rural`` (or ``urban``, ``q1`` ...) divides every region by the national
    figure of income year ``year - 1``; ``own`` (``own:urban``) by each region's own, refusing
    where one has none. ``category``: a type (``children``, ``college``, ``adult``, ``elderly``,
    see :mod:`.category_types`) or an id; ``household``: price these members instead (the
    household's own income, where given, is then the denominator). A region without an entry
    for the year is a ``missing`` row. ``progress`` is called with each region id.
    """
    income_stats = stats if stats is not None else book.income_stats()
    basis, stat = parse_income(statistic)
    stat = check_statistic(stat, income_stats)
    if household is not None and household.annual_income is not None:
        basis = "household"
    sources = Sources()
    priced: list[tuple[str, Schedule]] = []
    missing: list[ComparisonRow] = []
    seen: list[str] = []
    for query in regions:
        region_id = book.find(query)
        if region_id in seen:
            continue
        seen.append(region_id)
        if progress is not None:
            progress(region_id)
        try:
            priced.append((region_id, book.schedule(region_id, year)))
        except YearNotCoveredError as exc:
            missing.append(_missing_row(book, region_id, exc.note))
    national, n_notes = national_figure(income_stats, stat, year - 1)
    if basis == "own":
        figures = own_figures(income_stats, stat, year - 1, {r: s.chain for r, s in priced})
    else:
        figures = {r: (national, []) for r, _ in priced}
    out: list[ComparisonRow] = []
    for region_id, schedule in priced:
        figure, row_notes = figures[region_id]
        sources.index(schedule.source)
        if basis != "national":
            sources.index(figure.source)
        if household is not None:
            out.append(_household_row(schedule, household, figure, row_notes, sources))
        else:
            out.append(_category_row(schedule, category, figure, row_notes, sources))
    if category is not None and category_type(category) is None and all(r.category is None for r in out):
        known = [*CATEGORY_TYPES, *sorted({c.id for r in out for c in r.categories})]
        raise UnknownCategoryError(", ".join(r.region for r in out), category, known)
    sources.index(national.source)
    return _assemble(
        book, year, stat, basis, category, household, _ranked(out) + missing, national, n_notes, sources
    )


def _category_row(
    schedule: Schedule, category: str | None, figure: IncomeFigure, notes: list[Note], sources: Sources
) -> ComparisonRow:
    chosen = check_tier(schedule, None)
    reference, others = _pick(schedule, category)
    ref_id = None if isinstance(reference, Note) else reference.id
    cats = [_category_amount(schedule, c, chosen, c.id == ref_id, figure.value) for c in schedule.categories]
    ref = next((c for c in cats if c.reference), None)
    if ref is not None and len(cats) == 1:
        ref = ref.model_copy(update={"types": [ALL_RESIDENTS]})  # the one category of everyone
    missing: Note | None = None
    if isinstance(reference, Note):
        missing = reference
    elif ref is not None and ref.missing is not None:
        missing = ref.missing
    elif ref is not None and ref.amount is None:
        missing = Note("note.no_default_tier_amount")
    if not isinstance(reference, Note):
        sources.index(reference.amount_origin.source)
    confidence: Confidence = ref.confidence if ref else schedule.source.confidence
    minimum = schedule.national_minimum
    premium = ref.medical if ref else None
    return ComparisonRow(
        status="priced",
        rank=None,
        region=schedule.region,
        region_name=schedule.name,
        level=schedule.level,
        category=ref.id if ref else None,
        category_name=ref.name if ref else None,
        category_types=ref.types if ref else [],
        other_categories=[c.id for c in others],
        premium=premium,
        premium_at_least=ref.amount_at_least if ref else False,
        premium_missing=missing,
        collected=ref.amount if ref else None,
        components=ref.components if ref else {},
        subsidy=ref.subsidy if ref else schedule.subsidy,
        subsidy_at_least=ref.subsidy_at_least if ref else False,
        vs_national_minimum=premium - minimum if premium is not None and minimum is not None else None,
        income=figure.value,
        income_year=figure.year,
        income_region=figure.region,
        income_measure=figure.measure,
        income_confidence=figure.confidence,
        burden_ratio=ref.burden_ratio if ref else None,
        confidence=confidence,
        low_confidence=confidence == "low" or figure.confidence in LOW_INCOME_CONFIDENCE,
        categories=cats,
        members=[],
        notes=notes,
    )


def _household_row(
    schedule: Schedule, household: Household, figure: IncomeFigure, notes: list[Note], sources: Sources
) -> ComparisonRow:
    h = price_household(schedule, household)
    for source in h.sources:
        sources.index(source)
    denominator = household.annual_income
    if denominator is None:
        denominator = figure.value * household.size
    one = h.members[0] if len(h.members) == 1 else None
    minimum = schedule.national_minimum
    size = len([m for m in h.members if m.category is not None])
    vs_min = h.premium - minimum * size if h.premium is not None and minimum is not None else None
    confidence = h.confidence
    return ComparisonRow(
        status="priced",
        rank=None,
        region=schedule.region,
        region_name=schedule.name,
        level=schedule.level,
        category=one.category if one else None,
        category_name=one.category_name if one else None,
        category_types=one.category_types if one else [],
        other_categories=[],
        premium=h.premium,
        premium_at_least=h.premium_at_least,
        premium_missing=h.missing,
        collected=h.collected,
        components=h.components,
        subsidy=h.subsidy,
        subsidy_at_least=h.subsidy_at_least,
        vs_national_minimum=vs_min,
        income=denominator,
        income_year=figure.year if household.annual_income is None else None,
        income_region=figure.region if household.annual_income is None else None,
        income_measure=figure.measure if household.annual_income is None else None,
        income_confidence=figure.confidence if household.annual_income is None else None,
        burden_ratio=ratio(h.premium, denominator),
        confidence=confidence,
        low_confidence=confidence == "low"
        or (household.annual_income is None and figure.confidence in LOW_INCOME_CONFIDENCE),
        categories=[],
        members=h.members,
        notes=notes,
    )


def _ranked(rows: list[ComparisonRow]) -> list[ComparisonRow]:
    """Heaviest burden first; competition ranking (1, 2, 2, 4): equal burden and premium tie."""

    def order(row: ComparisonRow) -> tuple[int, Decimal, Decimal, str]:
        if row.burden_ratio is None:
            return (1, ZERO, ZERO, row.region)
        return (0, -row.burden_ratio, -(row.premium or ZERO), row.region)

    ranked: list[ComparisonRow] = []
    rank = 0
    for position, row in enumerate(sorted(rows, key=order), start=1):
        if row.burden_ratio is None:
            ranked.append(row)
            continue
        prev = ranked[-1] if ranked else None
        tied = prev is not None and prev.burden_ratio == row.burden_ratio and prev.premium == row.premium
        rank = rank if tied else position
        ranked.append(row.model_copy(update={"rank": rank}))
    return ranked


def _assemble(
    book: RateBook,
    year: int,
    stat: str,
    basis: Basis,
    category: str | None,
    household: Household | None,
    rows: list[ComparisonRow],
    national: IncomeFigure,
    n_notes: list[Note],
    sources: Sources,
) -> Comparison:
    minimum = book.national_minimum(year)
    national_subsidy: Decimal | None = None
    notes = [Note("note.national_reference", note=n) for n in n_notes]
    try:
        national_subsidy = book.schedule("cn", year).subsidy
    except PremiumCalcError as exc:
        notes.append(Note("note.national_reference", note=exc.note))
    if stat.startswith("q"):
        notes.append(Note("note.quintile_every_region", statistic=Note(f"statistic.{stat}")))
    kind = category_type(category)
    rule = category_rule(category) if kind is None else str(Note("compare.category_by_type", type=kind))
    return Comparison(
        year=year,
        statistic=stat,
        statistic_name=statistic_name(stat),
        income_basis=basis,
        category=category,
        category_type=kind,
        category_rule=rule,
        level=None,
        household=[m.describe() for m in household.members] if household is not None else [],
        household_income=household.annual_income if household is not None else None,
        national_minimum=minimum,
        national_subsidy=national_subsidy,
        national_income=national.value,
        national_income_year=national.year,
        national_burden_ratio=ratio(minimum, national.value),
        rows=rows,
        without_data=[],
        provinces_total=None,
        provinces_with_data=None,
        sources=sources.refs(),
        notes=notes,
    )


def compare_all(
    book: RateBook,
    year: int,
    *,
    level: str | None = None,
    category: str | None = None,
    statistic: str = "rural",
    household: Household | None = None,
    stats: IncomeStats | None = None,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Every region with an entry for the year (of one ``level``: ``province`` or ``city``),
    with the regions without one listed and the 31 provinces accounted for; options as
    :func:`compare_regions`."""
    level = check_level(level)
    regions = regions_for_all(book, year, level)
    if not regions:
        raise OptionError("--year", Note("cli.no_region_has_year", year=year))
    result = compare_regions(
        book,
        year,
        regions,
        category=category,
        statistic=statistic,
        household=household,
        stats=stats,
        progress=progress,
    )
    lacking = without_data(book, year, level)
    provinces = [r for r in regions if r.count("/") == 1]
    return result.model_copy(
        update={
            "level": level,
            "without_data": lacking,
            "provinces_total": provinces_total() if level in (None, "province") else None,
            "provinces_with_data": len(provinces) if level in (None, "province") else None,
        }
    )
