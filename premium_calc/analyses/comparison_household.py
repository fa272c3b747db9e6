"""A reference person or a household priced in one region for a comparison, as ``calc`` prices
it (:func:`~premium_calc.household.premium.calculate`), with the medical premium apart from the
add-ons collected with it (a category's ``includes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .._frozen import Frozen
from ..errors import PremiumCalcError
from ..household.members import Household
from ..household.premium import calculate
from ..messages import Note
from ..ratebook.schedule import Schedule
from ..ratefiles.model import Name, Source
from ..units import ZERO
from .category_types import types_of


class ComparedMember(Frozen):
    """One member of a compared household: category, what is paid, its marks."""

    member: str
    category: str | None
    category_name: Name | None
    category_types: list[str]
    #: The medical premium paid (without add-ons), and what is collected with them.
    paid: Decimal | None
    collected: Decimal | None
    components: dict[str, Decimal]
    paid_at_least: bool
    subsidy: Decimal | None
    subsidy_at_least: bool
    unknown_reason: Note | None
    low_confidence: bool


@dataclass
class HouseholdPrice:
    """What one household pays in one region (``premium`` ``None``: ``missing`` says why)."""

    premium: Decimal | None
    collected: Decimal | None
    components: dict[str, Decimal]
    premium_at_least: bool
    subsidy: Decimal | None
    subsidy_at_least: bool
    missing: Note | None
    confidence: str | None
    members: list[ComparedMember] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


def price_household(schedule: Schedule, household: Household) -> HouseholdPrice:
    """The household's medical premium, add-ons and subsidy under a schedule; a fact the
    region needs that the members lack (a 55-year-old's sex in Beijing) or an amount the data
    lacks makes the price missing, with the reason, never an abort."""
    try:
        result = calculate(schedule, household)
    except PremiumCalcError as exc:
        return HouseholdPrice(
            premium=None,
            collected=None,
            components={},
            premium_at_least=False,
            subsidy=None,
            subsidy_at_least=False,
            missing=exc.note,
            confidence=None,
        )
    by_id = {c.id: c for c in schedule.categories}
    sources = [schedule.source]
    members: list[ComparedMember] = []
    totals: dict[str, Decimal] = {}
    at_least = False
    for m in result.members:
        cat = by_id.get(m.category) if m.category is not None else None
        cat_floor = cat is not None and schedule.region != "cn" and cat.amount_origin.region == "cn"
        floor = m.gross_is_national_minimum or cat_floor
        if cat is not None and cat.amount_origin.source not in sources:
            sources.append(cat.amount_origin.source)
        at_least = at_least or (floor and m.status != "employee")
        # Add-ons are apart only where the member pays the whole premium: an assisted
        # member's share of them is not stated.
        parts = dict(m.components) if m.paid is not None and m.paid == m.gross else {}
        for key, value in parts.items():
            totals[key] = totals.get(key, ZERO) + value
        add_on = sum(parts.values(), ZERO)
        members.append(
            ComparedMember(
                member=m.member,
                category=m.category,
                category_name=m.category_name,
                category_types=list(types_of(cat)) if cat is not None else [],
                paid=m.paid - add_on if m.paid is not None else None,
                collected=m.paid,
                components=parts,
                paid_at_least=floor,
                subsidy=m.subsidy,
                subsidy_at_least=m.subsidy_is_national_minimum,
                unknown_reason=m.unknown_reason,
                low_confidence=m.confidence == "low",
            )
        )
    paid = result.total_paid
    missing: Note | None = None
    if paid is None:
        unknown = result.unknown_members
        missing = unknown[0].unknown_reason if unknown else Note("compare.household_unknown")
    return HouseholdPrice(
        premium=paid - sum(totals.values(), ZERO) if paid is not None else None,
        collected=paid,
        components=totals,
        premium_at_least=at_least,
        subsidy=result.total_subsidy,
        subsidy_at_least=result.subsidy_is_national_minimum,
        missing=missing,
        confidence=result.confidence,
        members=members,
        sources=sources,
    )
