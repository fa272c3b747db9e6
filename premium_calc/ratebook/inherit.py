"""Inheritance, written once: city -> province -> ``cn`` for one coverage year, recording the
origin of every effective value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..errors import DataMissingError, YearNotCoveredError
from ..ratefiles.model import (
    Amount,
    Category,
    LateEnrollment,
    Name,
    PercentOfBase,
    Source,
    Tier,
    Window,
    YearEntry,
)
from ..ratefiles.reading import Region
from ..units import FEN
from .schedule import Origin, Schedule, ScheduleAssist, ScheduleCategory


def resolve_amount(amount: Amount) -> tuple[Decimal, str | None]:
    """A flat amount, or base x rate x months rounded half-up to the fen (once)."""
    if isinstance(amount, PercentOfBase):
        value = (amount.base * amount.rate * amount.months).quantize(FEN, rounding=ROUND_HALF_UP)
        pct = (amount.rate * 100).normalize()
        return value, f"{amount.base} x {pct}% x {amount.months}"
    return amount, None


@dataclass
class _CategoryLayer:
    cat: Category
    amount_origin: Origin
    subsidy_origin: Origin | None


def _merge_category(parent: _CategoryLayer | None, cat: Category, origin: Origin) -> _CategoryLayer:
    own_amount = cat.individual is not None or cat.tiers is not None or cat.missing is not None
    if parent is None:
        return _CategoryLayer(cat, origin, origin if cat.subsidy is not None else None)
    update = {k: getattr(cat, k) for k in cat.model_fields_set if k != "id"}
    if own_amount:
        # A category that sets its own amount does not inherit the parent's amount forms.
        for k in ("individual", "tiers", "missing", "includes", "below_minimum"):
            update.setdefault(k, getattr(cat, k))
    merged = parent.cat.model_copy(update=update)
    return _CategoryLayer(
        merged,
        origin if own_amount else parent.amount_origin,
        origin if cat.subsidy is not None else parent.subsidy_origin,
    )


def resolve(
    chain: Sequence[Region], region_id: str, year: int, national_minimum: Decimal | None
) -> Schedule:
    """The schedule of ``region_id`` (the last of ``chain``, root first) for coverage ``year``."""
    leaf = chain[-1]
    leaf_entry = leaf.year(year)
    if leaf_entry is None:
        raise YearNotCoveredError(region_id, year, leaf.years(), leaf.data.region.note or "")

    policy: int | None = None
    categories: list[_CategoryLayer] = []
    tiers: tuple[Tier, ...] = ()
    assisted: dict[str, ScheduleAssist] = {}
    subsidy: Decimal | None = None
    subsidy_origin: Origin | None = None
    collection: Window | None = None
    collection_origin: Origin | None = None
    late: LateEnrollment | None = None
    late_origin: Origin | None = None
    notes: list[str] = []
    used: list[str] = []

    for region in chain:
        found = region.year(year)
        if found is None:
            continue
        index, entry = found
        used.append(region.id)
        base = f"year[{index}]"

        def origin(key: str, own: Source | None, *, _r: Region = region, _e: YearEntry = entry) -> Origin:
            return Origin(_r.id, _r.path, key, own or _e.source)

        if entry.policy is not None:
            policy = entry.policy
        if entry.subsidy is not None:
            subsidy = entry.subsidy
            subsidy_origin = origin(f"{base}.subsidy", entry.subsidy_source)
        if entry.collection is not None:
            collection = entry.collection
            collection_origin = origin(f"{base}.collection", entry.collection.source)
        if entry.late is not None:
            late = entry.late
            late_origin = origin(f"{base}.late", entry.late.source)
        if entry.tier is not None:
            tiers = tuple(entry.tier)
        if entry.category is not None:
            previous = {layer.cat.id: layer for layer in categories}
            categories = [
                _merge_category(
                    previous.get(cat.id), cat, origin(f"{base}.category[{ci}]", cat.source)
                )
                for ci, cat in enumerate(entry.category)
            ]
        for ai, rule in enumerate(entry.assisted or ()):
            assisted[rule.id] = ScheduleAssist(rule, origin(f"{base}.assisted[{ai}]", rule.source))
        if (entry.note and region.id != chain[0].id) or (entry.note and len(chain) == 1):
            # The national file's notes are about its own sourcing; a region's are shown.
            notes.append(f"{region.id}: {entry.note}")

    _, leaf_year = leaf_entry
    resolved: list[ScheduleCategory] = []
    for layer in categories:
        cat = layer.cat
        individual: Decimal | None = None
        formula: str | None = None
        if cat.individual is not None:
            individual, formula = resolve_amount(cat.individual)
        tier_amounts = {k: resolve_amount(v)[0] for k, v in (cat.tiers or {}).items()}
        resolved.append(
            ScheduleCategory(
                id=cat.id,
                name=cat.name or Name(zh=cat.id, en=cat.id),
                conditions=cat.conditions,
                individual=individual,
                tier_amounts=tier_amounts,
                subsidy=cat.subsidy if cat.subsidy is not None else subsidy,
                includes=dict(cat.includes or {}),
                below_minimum=cat.below_minimum,
                missing=cat.missing,
                note=cat.note,
                amount_origin=layer.amount_origin,
                subsidy_origin=layer.subsidy_origin if cat.subsidy is not None else subsidy_origin,
                formula=formula,
            )
        )
    if not resolved:
        raise DataMissingError(region_id, year, "any category", "no category is defined")

    return Schedule(
        region=region_id,
        name=leaf.name,
        level=leaf.data.region.level,
        coverage_year=year,
        policy_year=policy,
        categories=tuple(resolved),
        tiers=tiers,
        assisted=tuple(assisted.values()),
        subsidy=subsidy,
        subsidy_origin=subsidy_origin,
        collection=collection,
        collection_origin=collection_origin,
        late=late,
        late_origin=late_origin,
        source=leaf_year.source,
        origin_file=leaf.path,
        chain=tuple(r.id for r in chain),
        national_minimum=national_minimum,
        notes=tuple(notes),
    )
