"""The result models of a history: rows, income-measure breaks, segments, the chained income
index, summary.

Marks are fields, never glyphs glued to numbers: ``subsidy_at_least`` (the subsidy is an inherited
national minimum, shown ``≥``), ``premium_low_confidence`` / ``income_low_confidence`` /
``enrolment_low_confidence`` (shown ``†``), ``income_chained`` (the chained index bridges the
income-measure break), ``components`` (add-ons such as long-term care collected inside the
premium; ``medical_premium`` is the premium without them).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

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
    #: ``confidence`` is low (the premium's source).
    premium_low_confidence: bool = False
    #: The income figure's confidence is low or medium-low.
    income_low_confidence: bool = False
    #: The subsidy is the national figure inherited by a region that sets none: a minimum (不低于).
    subsidy_at_least: bool = False
    #: Parts of ``gross`` that are other premiums (``ltc``: long-term care), by name.
    components: dict[str, Decimal] = Field(default_factory=dict)
    #: ``gross`` without ``components``: the medical insurance premium itself.
    medical_premium: Decimal | None = None
    #: The individual's share of the year's funding: medical premium / (medical premium + subsidy),
    #: to 4 decimals; an upper bound (``individual_share_at_most``) where the subsidy is a minimum.
    individual_share: Decimal | None = None
    individual_share_at_most: bool = False
    #: ``policy_year`` is coverage year - 1 by the usual rule, the rate file giving none.
    policy_year_inferred: bool = False
    #: People enrolled at the end of the coverage year (national series only), its change from
    #: the previous coverage year, confidence and source (an index into ``History.sources``).
    enrolment: int | None = None
    enrolment_change: int | None = None
    enrolment_derived: bool = False
    enrolment_confidence: Literal["high", "medium", "low"] | None = None
    enrolment_low_confidence: bool = False
    enrolment_source: int | None = None
    #: The chained income index (``chain_income=True`` only): first row with an income = 100,
    #: linked across income-measure breaks at the overlap year; ``income_chained`` when this
    #: row's value bridges a link (it is then a statistical link, not a measured series).
    income_index_chained: Decimal | None = None
    income_chained: bool = False


class ChainLink(Frozen):
    """Where a chained income index links two measures: the income year both exist in."""

    coverage_year: int
    income_year: int
    from_measure: str
    to_measure: str
    from_value: Decimal
    to_value: Decimal


class ChainedIncome(Frozen):
    """Premium against a chained income over the whole span (opt-in): a statistical link, not a
    measured series. ``links`` are the overlap years used; ``unlinked`` are breaks that could not
    be linked (no overlap year, or a change of income region): then no chained figures."""

    first_year: int | None
    last_year: int | None
    income_first: Decimal | None
    income_last: Decimal | None
    premium_multiple: Decimal | None
    premium_cagr: Decimal | None
    income_multiple: Decimal | None
    income_cagr: Decimal | None
    gap_pp_per_year: Decimal | None
    links: list[ChainLink]
    unlinked: list[int]
    note: str


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
            self.coverage_year,
            self.income_year,
            self.from_measure,
            self.to_measure,
            self.from_region,
            self.to_region,
            self.overlap_from_value,
            self.overlap_to_value,
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
                "note.break_overlap",
                income_year=income_year,
                from_measure=from_measure,
                to_measure=to_measure,
                from_name=Note(f"measure_short.{from_measure}"),
                to_name=Note(f"measure_short.{to_measure}"),
                from_value=overlap_from,
                to_value=overlap_to,
            )
            if overlap_from is not None and overlap_to is not None
            else ""
        )
        return Note(
            "note.break_measure",
            income_year=income_year,
            coverage_year=coverage_year,
            from_measure=from_measure,
            to_measure=to_measure,
            from_name=Note(f"measure_short.{from_measure}"),
            to_name=Note(f"measure_short.{to_measure}"),
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
    #: The chained income comparison (``chain_income=True`` only).
    chained: ChainedIncome | None = None
    #: The individual's share of funding in the first and last year that have one.
    individual_share_first_year: int | None = None
    individual_share_first: Decimal | None = None
    individual_share_last_year: int | None = None
    individual_share_last: Decimal | None = None


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
    #: How the rows are keyed: by coverage year (the default) or by the policy (notice) year N,
    #: whose premiums are for coverage year N + 1 (:func:`~premium_calc.analyses.history.by_policy_year`).
    view: Literal["coverage_year", "policy_year"] = "coverage_year"
    chain_income: bool = False


class HouseholdHistory(History):
    """The same household priced in every coverage year, with its burden."""

    household: Household
    household_size: int
    income_basis: Literal["household", "statistic"]
    description: str | None = None
