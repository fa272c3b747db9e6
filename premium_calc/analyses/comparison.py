"""Regions side by side for one coverage year, ranked by burden, with the national minimum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Literal

from .._frozen import Frozen
from ..errors import PremiumCalcError, UnknownCategoryError
from ..household.premium import SourceRef
from ..household.rules import check_tier
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.income import IncomeFigure, IncomeStats, check_statistic, stat_name, statistic_name
from ..ratefiles.model import Name, prose_note
from ..units import ZERO
from .growth import ratio
from .reference import category_for, category_rule
from .segments import Sources
from .series import LOW_INCOME_CONFIDENCE


class CategoryAmount(Frozen):
    """One category of a region's schedule in the compared year."""

    id: str
    name: Name
    amount: Decimal | None
    missing: Note | None
    subsidy: Decimal | None
    burden_ratio: Decimal | None
    confidence: Literal["high", "medium", "low"]
    reference: bool


class ComparisonRow(Frozen):
    """One region in a comparison: the reference premium, its subsidy and burden."""

    rank: int | None
    region: str
    region_name: Name
    level: str
    category: str | None
    category_name: Name | None
    premium: Decimal | None
    premium_missing: Note | None
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
    notes: list[Note]


class Comparison(Frozen):
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
    notes: list[Note]


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
    sources = Sources()
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
        figure, row_notes = income_stats.for_region(statistic, year - 1, schedule.chain)
        per_capita = figure.value
        sources.index(schedule.source)
        sources.index(figure.source)
        chosen = check_tier(schedule, None)
        reference = category_for(schedule, category)
        cats: list[CategoryAmount] = []
        for cat in schedule.categories:
            amount = None if cat.missing is not None else cat.amount(chosen)
            cats.append(
                CategoryAmount(
                    id=cat.id,
                    name=cat.name,
                    amount=amount,
                    missing=prose_note(cat.missing) if cat.missing is not None else None,
                    subsidy=cat.subsidy,
                    burden_ratio=ratio(amount, per_capita),
                    confidence=cat.amount_origin.source.confidence,
                    reference=not isinstance(reference, Note) and cat.id == reference.id,
                )
            )
        missing: Note | None
        if isinstance(reference, Note):
            premium, missing, ref_cat = None, reference, None
        else:
            ref_cat = reference
            premium = None if reference.missing is not None else reference.amount(chosen)
            missing = None if reference.missing is None else prose_note(reference.missing)
            if premium is None and missing is None:
                missing = Note("note.no_default_tier_amount")
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
                notes=row_notes,
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
        notes += [Note("note.national_reference", note=n) for n in n_notes]
    except PremiumCalcError as exc:
        notes.append(Note("note.national_reference", note=Note.verbatim(str(exc))))
    if statistic.startswith("q"):
        notes.append(Note("note.quintile_every_region", statistic=stat_name(statistic)))
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
