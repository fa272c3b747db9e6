"""The results of a comparison of regions (:func:`~premium_calc.analyses.comparison.compare_regions`):
a row per region, its categories or members, and the table's one stated denominator.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from .._frozen import Frozen
from ..household.premium import SourceRef
from ..messages import Note
from ..ratefiles.model import Name
from .comparison_household import ComparedMember
from .comparison_scope import Basis, MissingRegion

Confidence = Literal["high", "medium", "low"]


class CategoryAmount(Frozen):
    """One category of a region's schedule in the compared year.

    ``amount`` is what is collected per person; ``medical`` the medical premium without the
    add-ons in ``components`` (``{"ltc": 40}``); ``burden_ratio`` is of ``medical``.
    """

    id: str
    name: Name
    types: list[str]
    amount: Decimal | None
    medical: Decimal | None
    components: dict[str, Decimal]
    amount_at_least: bool
    missing: Note | None
    subsidy: Decimal | None
    subsidy_at_least: bool
    burden_ratio: Decimal | None
    confidence: Confidence
    low_confidence: bool
    reference: bool


class ComparisonRow(Frozen):
    """One region: the medical premium ranked (a category's, or a household's), its add-ons,
    subsidy and burden; or ``status="missing"`` with the reason in ``premium_missing``."""

    status: Literal["priced", "missing"]
    rank: int | None
    region: str
    region_name: Name
    level: str
    category: str | None
    category_name: Name | None
    category_types: list[str]
    #: Other categories of the same type (Shanghai's elderly: 60-69 ranked, 70+ here).
    other_categories: list[str]
    #: The medical premium (without add-ons), per person or for the household.
    premium: Decimal | None
    premium_at_least: bool
    premium_missing: Note | None
    #: What is collected: the premium and its add-ons.
    collected: Decimal | None
    components: dict[str, Decimal]
    subsidy: Decimal | None
    subsidy_at_least: bool
    vs_national_minimum: Decimal | None
    income: Decimal | None
    income_year: int | None
    income_region: str | None
    income_measure: str | None
    income_confidence: str | None
    burden_ratio: Decimal | None
    confidence: Confidence | None
    low_confidence: bool
    categories: list[CategoryAmount]
    members: list[ComparedMember]
    notes: list[Note]

    @property
    def national_fallback(self) -> bool:
        """The premium is a national minimum standing in (the name charts read; see
        :attr:`premium_at_least`)."""
        return self.premium_at_least


class Comparison(Frozen):
    """Regions in one coverage year, ranked by premium as a share of one stated denominator."""

    year: int
    statistic: str
    statistic_name: Name
    income_basis: Basis
    category: str | None
    category_type: str | None
    category_rule: str
    level: str | None
    #: The members compared (``--member``), empty when categories are compared.
    household: list[str]
    household_income: Decimal | None
    national_minimum: Decimal | None
    national_subsidy: Decimal | None
    national_income: Decimal | None
    national_income_year: int | None
    national_burden_ratio: Decimal | None
    rows: list[ComparisonRow]
    #: With ``--all``: every region (and province) without an entry for the year.
    without_data: list[MissingRegion]
    provinces_total: int | None
    provinces_with_data: int | None
    sources: list[SourceRef]
    notes: list[Note]
