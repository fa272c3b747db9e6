"""The value in force for a ``rates set`` key: the region's effective value for a year, its own
or inherited, which a relative change (``+30``, ``-5%``) starts from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import EditError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.schedule import Origin, Schedule, ScheduleCategory
from ..ratefiles.model import PercentOfBase
from .keys import FORMULA_PARTS, KeySpec


def in_force(book: RateBook, schedule: Schedule, spec: KeySpec) -> Decimal | None:
    """The number ``spec`` names in ``schedule`` (``None`` where the year has none)."""
    if spec.section == "year":
        return schedule.subsidy if spec.field == "subsidy" else None
    if spec.section == "late":
        late = schedule.late
        if late is None:
            return None
        value = getattr(late, spec.field, None)
        return Decimal(value) if isinstance(value, int | Decimal) else None
    if spec.section == "assisted":
        for assist in schedule.assisted:
            if assist.id == spec.ident:
                value = getattr(assist.rule, spec.field, None)
                return value if isinstance(value, Decimal) else None
        return None
    cat = category(schedule, spec.ident)
    if cat is None:
        return None
    if spec.field == "individual" and spec.sub in FORMULA_PARTS:
        formula = formula_of(book, cat)
        if formula is None:
            raise EditError(Note("edit.not_a_formula", key=spec.raw, category=cat.id))
        return Decimal(getattr(formula, spec.sub))
    if spec.field == "individual":
        return cat.individual
    if spec.field == "subsidy":
        return cat.subsidy
    values = cat.tier_amounts if spec.field == "tiers" else cat.includes
    return values.get(spec.sub or "")


def category(schedule: Schedule, ident: str | None) -> ScheduleCategory | None:
    return next((c for c in schedule.categories if c.id == ident), None)


def formula_of(book: RateBook, cat: ScheduleCategory) -> PercentOfBase | None:
    """The base x rate x months a category's flat amount is computed from (``None`` if flat)."""
    if cat.formula is None:
        return None
    value = model_value(book, cat.origins["individual"])
    return value if isinstance(value, PercentOfBase) else None


def model_value(book: RateBook, origin: Origin) -> Any:
    """The value of the rate file model at an origin's key path (before resolution)."""
    node: Any = book.region(origin.region).data
    for part in origin.key:
        node = node[part] if isinstance(part, int) else getattr(node, part)
    return node


__all__ = ["category", "formula_of", "in_force", "model_value"]
