"""Assembling a history: raw rows -> segments of one income measure and region, breaks, the
numbered sources, the funding share and enrolment of each year, the chained income index (opt-in)
and the summary (multiples, CAGRs, gap, heaviest year) per segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..household.premium import SourceRef
from ..messages import Note
from ..ratebook.enrollment import EnrollmentFigure
from ..ratebook.income import IncomeFigure, IncomeStats, stat_name
from ..ratefiles.model import Name, Source
from .growth import gap_pp, growth, index, ratio
from .series import LOW_INCOME_CONFIDENCE, HistoryRow, Segment, SeriesBreak, Summary, break_message
from .summary import chain_rows, compare_growth, peak, summarize


@dataclass
class RawRow:
    coverage_year: int
    policy_year: int | None
    category: str | None = None
    category_name: Name | None = None
    premium: Decimal | None = None
    premium_missing: Note | None = None
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
    income_missing: Note | None = None
    subsidy_at_least: bool = False
    components: dict[str, Decimal] = field(default_factory=dict)
    enrolment: EnrollmentFigure | None = None


class Sources:
    """Distinct sources in order of first use; rows refer to them by 0-based index (as
    :class:`~premium_calc.household.premium.MemberPremium.source` does)."""

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


def _break_note(prev: HistoryRow, row: HistoryRow, overlap: tuple[Decimal, Decimal] | None) -> str:
    return str(
        break_message(
            row.coverage_year,
            row.income_year,
            prev.income_measure,
            row.income_measure,
            prev.income_region,
            row.income_region,
            *(overlap or (None, None)),
        )
    )


def assemble(
    raws: Sequence[RawRow],
    *,
    stats: IncomeStats | None,
    statistic: str,
    chain_income: bool = False,
) -> tuple[list[HistoryRow], Summary, Sources]:
    """Rows, summary and numbered sources of a history, from its raw rows; with
    ``chain_income`` the chained income index too (see :func:`.summary.chain_rows`)."""
    sources = Sources()
    seg_of, seg_keys = _segment_of(raws)
    rows = _rows(raws, seg_of, sources)
    breaks = _breaks(rows, stats, statistic)
    segments = [_segment(seg, measure, region, rows) for seg, (measure, region) in enumerate(seg_keys)]
    chained = None
    if chain_income:
        rows, chained = chain_rows(rows, breaks)
    return rows, summarize(rows, segments, breaks, chained), sources


def _medical(raw: RawRow) -> Decimal | None:
    """The gross premium without the add-ons collected with it (long-term care ...)."""
    if raw.gross is None:
        return None
    return raw.gross - sum(raw.components.values(), Decimal(0))


def _share(medical: Decimal | None, subsidy: Decimal | None) -> Decimal | None:
    """medical premium / (medical premium + subsidy), to 4 decimals (the burden rule)."""
    if medical is None or subsidy is None:
        return None
    return ratio(medical, medical + subsidy)


def _segment_of(raws: Sequence[RawRow]) -> tuple[list[int | None], list[tuple[str | None, str | None]]]:
    """Segments: consecutive rows with an income of one measure and region (rows without an
    income belong to none)."""
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
    return seg_of, seg_keys


def _rows(raws: Sequence[RawRow], seg_of: Sequence[int | None], sources: Sources) -> list[HistoryRow]:
    """One row per coverage year: indices (premium over the whole span, income per segment),
    year-on-year changes (income only within a segment), burden."""
    premium_base = next((r.premium for r in raws if r.premium is not None and r.premium > 0), None)
    income_base: dict[int, Decimal] = {}
    for raw, seg in zip(raws, seg_of, strict=True):
        if seg is not None and seg not in income_base and raw.income is not None:
            income_base[seg] = raw.income

    rows: list[HistoryRow] = []
    by_year: dict[int, tuple[RawRow, int | None]] = {}
    for raw, seg in zip(raws, seg_of, strict=True):
        before = by_year.get(raw.coverage_year - 1)
        yoy_p = growth(raw.premium, before[0].premium) if before is not None else None
        yoy_i = (
            growth(raw.income, before[0].income)
            if before is not None and seg is not None and before[1] == seg
            else None
        )
        low_premium = raw.confidence == "low"
        low_income = raw.income_confidence in LOW_INCOME_CONFIDENCE
        medical = _medical(raw)
        enrol = raw.enrolment
        enrol_before = before[0].enrolment if before is not None else None
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
                low_confidence=low_premium or low_income,
                premium_low_confidence=low_premium,
                income_low_confidence=low_income,
                subsidy_at_least=raw.subsidy_at_least and raw.subsidy is not None,
                components=dict(raw.components),
                medical_premium=medical,
                individual_share=_share(medical, raw.subsidy),
                individual_share_at_most=raw.subsidy_at_least and _share(medical, raw.subsidy) is not None,
                enrolment=enrol.resident if enrol is not None else None,
                enrolment_change=(
                    enrol.resident - enrol_before.resident
                    if enrol is not None and enrol_before is not None
                    else None
                ),
                enrolment_derived=enrol.derived if enrol is not None else False,
                enrolment_confidence=enrol.confidence if enrol is not None else None,
                enrolment_low_confidence=enrol is not None and enrol.confidence == "low",
                enrolment_source=sources.index(enrol.source) if enrol is not None else None,
            )
        )
        by_year[raw.coverage_year] = (raw, seg)
    return rows


def _breaks(rows: Sequence[HistoryRow], stats: IncomeStats | None, statistic: str) -> list[SeriesBreak]:
    """Where the income series changes measure or region, with both figures of the overlap year
    where the statistics have them."""
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
    return breaks


def _segment(seg: int, measure: str | None, region: str | None, rows: Sequence[HistoryRow]) -> Segment:
    """Growth of premium and income over one segment, compared over the same years."""
    seg_rows = [r for r in rows if r.segment == seg]
    c_first, c_last, p_mult, p_cagr, i_mult, i_cagr = compare_growth(seg_rows)
    peak_year, peak_ratio = peak(seg_rows)
    return Segment(
        index=seg,
        income_measure=measure or "",
        income_region=region,
        first_year=seg_rows[0].coverage_year,
        last_year=seg_rows[-1].coverage_year,
        index_base_year=seg_rows[0].coverage_year,
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


def attach_income(
    raws: Sequence[RawRow],
    figures: dict[int, IncomeFigure | None],
    income_region: str | None,
    statistic: str,
    size: int = 1,
) -> None:
    for raw in raws:
        figure = figures.get(raw.coverage_year - 1)
        if figure is None:
            where = income_region or Note("note.any_region_of_chain")
            raw.income_missing = Note(
                "note.no_statistic_for_year",
                statistic=stat_name(statistic),
                year=raw.coverage_year - 1,
                where=where,
            )
            continue
        raw.income_per_capita = figure.value
        raw.income = figure.value * size
        raw.income_measure = figure.measure
        raw.income_region = figure.region
        raw.income_confidence = figure.confidence
        raw.income_source = figure.source


def scheme_notes(raws: Sequence[RawRow]) -> list[Note]:
    notes: list[Note] = []
    national = [r.coverage_year for r in raws if r.premium_region == "cn"]
    if any(y < 2019 for y in national) and any(y >= 2019 for y in national):
        notes.append(Note("note.ncms_before_2019"))
    return notes


def income_notes(
    statistic: str,
    income_region: str | None,
    region_id: str,
    figures: dict[int, IncomeFigure | None],
) -> list[Note]:
    notes: list[Note] = []
    if income_region is None:
        notes.append(Note("note.no_statistic_in_span", statistic=stat_name(statistic)))
    elif income_region != region_id:
        found = sum(1 for f in figures.values() if f is not None)
        notes.append(
            Note(
                "note.income_region_used",
                statistic=stat_name(statistic),
                income_region=income_region,
                found=found,
                years=len(figures),
                region=region_id,
            )
        )
    if statistic.startswith("q"):
        notes.append(Note("note.quintile_households", statistic=stat_name(statistic)))
    return notes
