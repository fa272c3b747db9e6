"""The result models of a history: rows, income-measure breaks, segments, summary.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from .._frozen import Frozen
from ..household.members import Household
from ..household.premium import SourceRef
from ..messages import Note
from ..ratefiles.model import Name

#: Income confidence levels that get the low-confidence mark (income.toml has five levels).
LOW_INCOME_CONFIDENCE = frozenset({"low", "medium-low"})


class HistoryRow(Frozen):
    """One coverage year: premium, subsidy, the income it is measured against, and growth."""

    coverage_year: int
    policy_year: int | None
    category: str | None
    category_name: Name | None
    premium: Decimal | None
    premium_missing: Note | None
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
    income_missing: Note | None
    burden_ratio: Decimal | None
    premium_index: Decimal | None
    income_index: Decimal | None
    yoy_premium: Decimal | None
    yoy_income: Decimal | None
    segment: int | None
    low_confidence: bool


class SeriesBreak(Frozen):
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

    def message(self) -> Note:
        """The break in words (``note`` is its English text)."""
        return break_message(
            self.coverage_year, self.income_year, self.from_measure, self.to_measure,
            self.from_region, self.to_region, self.overlap_from_value, self.overlap_to_value,
        )


def break_message(
    coverage_year: int,
    income_year: int,
    from_measure: str | None,
    to_measure: str | None,
    from_region: str | None,
    to_region: str | None,
    overlap_from: Decimal | None = None,
    overlap_to: Decimal | None = None,
) -> Note:
    """A change of income measure (the 2013 survey reform) or of income region, as a note."""
    if from_measure != to_measure:
        overlap = (
            Note(
                "note.break_overlap", income_year=income_year,
                from_measure=from_measure, to_measure=to_measure,
                from_name=Note(f"measure_short.{from_measure}"), to_name=Note(f"measure_short.{to_measure}"),
                from_value=overlap_from, to_value=overlap_to,
            )
            if overlap_from is not None and overlap_to is not None
            else ""
        )
        return Note(
            "note.break_measure", income_year=income_year, coverage_year=coverage_year,
            from_measure=from_measure, to_measure=to_measure,
            from_name=Note(f"measure_short.{from_measure}"), to_name=Note(f"measure_short.{to_measure}"),
            overlap=overlap,
        )
    return Note("note.break_region", income_year=income_year, from_region=from_region, to_region=to_region)


class Segment(Frozen):
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


class Summary(Frozen):
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


class History(Frozen):
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
    notes: list[Note]


class HouseholdHistory(History):
    """The same household priced in every coverage year, with its burden."""

    household: Household
    household_size: int
    income_basis: Literal["household", "statistic"]
    description: str | None = None
