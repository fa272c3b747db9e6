"""Inheritance, written once: city -> province -> ``cn`` for one coverage year, recording the
origin of every effective value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from ..errors import DataMissingError, YearNotCoveredError
from ..messages import Note
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
    prose_note,
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


#: The fields of a category that carry an origin (``source`` is the origin's own source).
_CATEGORY_FIELDS = tuple(f for f in Category.model_fields if f != "source")

#: The amount forms: a category that sets any of individual, tiers or missing does not inherit
#: the parent's (they are replaced together, with what goes with an amount).
_AMOUNT_FIELDS = ("individual", "tiers", "missing", "includes", "below_minimum")


@dataclass
class _CategoryLayer:
    """A category merged by id along the chain so far, with the origin of each field."""

    cat: Category
    origins: dict[str, Origin]


def _merge_category(parent: _CategoryLayer | None, cat: Category, table: Origin) -> _CategoryLayer:
    """``cat`` (set at ``table``) over the parent's category of the same id, if any."""
    if parent is None:
        # A category's first definition is where each of its fields, set or not, comes from.
        return _CategoryLayer(cat, {f: table.at(f) for f in _CATEGORY_FIELDS})
    own = set(cat.model_fields_set) - {"source"}
    if cat.individual is not None or cat.tiers is not None or cat.missing is not None:
        own |= set(_AMOUNT_FIELDS)
    merged = parent.cat.model_copy(
        update={k: getattr(cat, k) for k in (own | cat.model_fields_set) - {"id"}}
    )
    origins = dict(parent.origins)
    origins.update({f: table.at(f) for f in own | {"id"}})
    return _CategoryLayer(merged, origins)


def resolve(
    chain: Sequence[Region], region_id: str, year: int, national_minimum: Decimal | None
) -> Schedule:
    """The schedule of ``region_id`` (the last of ``chain``, root first) for coverage ``year``."""
    leaf = chain[-1]
    leaf_entry = leaf.year(year)
    if leaf_entry is None:
        region_note = leaf.data.region.note
        raise YearNotCoveredError(
            region_id, year, leaf.years(), prose_note(region_note) if region_note is not None else ""
        )

    policy: int | None = None
    categories: list[_CategoryLayer] = []
    tiers: tuple[Tier, ...] = ()
    assisted: dict[str, ScheduleAssist] = {}
    subsidy: Decimal | None = None
    collection: Window | None = None
    late: LateEnrollment | None = None
    origins: dict[str, Origin] = {}
    notes: list[Note] = []

    for region in chain:
        found = region.year(year)
        if found is None:
            continue
        index, entry = found

        def origin(
            *key: str | int,
            own: Source | None = None,
            _r: Region = region,
            _e: YearEntry = entry,
            _i: int = index,
        ) -> Origin:
            """The origin of ``year[index].<key>`` in this region's file."""
            return Origin(_r.id, _r.path, ("year", _i, *key), own or _e.source)

        if entry.policy is not None:
            policy = entry.policy
            origins["policy"] = origin("policy")
        if entry.subsidy is not None:
            subsidy = entry.subsidy
            origins["subsidy"] = origin("subsidy", own=entry.subsidy_source)
        if entry.collection is not None:
            collection = entry.collection
            origins["collection"] = origin("collection", own=entry.collection.source)
        if entry.late is not None:
            late = entry.late
            origins["late"] = origin("late", own=entry.late.source)
        if entry.tier is not None:
            tiers = tuple(entry.tier)
            origins["tier"] = origin("tier")
        if entry.category is not None:
            previous = {layer.cat.id: layer for layer in categories}
            categories = [
                _merge_category(previous.get(cat.id), cat, origin("category", ci, own=cat.source))
                for ci, cat in enumerate(entry.category)
            ]
        for ai, rule in enumerate(entry.assisted or ()):
            assisted[rule.id] = ScheduleAssist(rule, origin("assisted", ai, own=rule.source))
        if (entry.note and region.id != chain[0].id) or (entry.note and len(chain) == 1):
            # The national file's notes are about its own sourcing; a region's are shown. The
            # note keeps the rate file's text as given (bilingual prose shows in the user's
            # language; str() is the English).
            notes.append(Note("note.region_note", region=region.data.region.name, text=entry.note))

    _, leaf_year = leaf_entry
    resolved: list[ScheduleCategory] = []
    for layer in categories:
        cat = layer.cat
        individual: Decimal | None = None
        formula: str | None = None
        if cat.individual is not None:
            individual, formula = resolve_amount(cat.individual)
        tier_amounts = {k: resolve_amount(v)[0] for k, v in (cat.tiers or {}).items()}
        cat_origins = dict(layer.origins)
        if cat.subsidy is None:
            # No subsidy of its own: the category's is the year's (if any).
            cat_origins.pop("subsidy")
            if "subsidy" in origins:
                cat_origins["subsidy"] = origins["subsidy"]
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
                origins=cat_origins,
                formula=formula,
            )
        )
    if not resolved:
        raise DataMissingError(region_id, year, "any category", "no category is defined", kind="no-category")

    return Schedule(
        region=region_id,
        name=leaf.name,
        level=leaf.data.region.level,
        coverage_year=year,
        policy_year=policy,
        categories=tuple(resolved),
        tiers=tiers,
        assisted=_nearest_rules(list(assisted.values()), [r.id for r in chain]),
        subsidy=subsidy,
        collection=collection,
        late=late,
        origins=origins,
        source=leaf_year.source,
        origin_file=leaf.path,
        chain=tuple(r.id for r in chain),
        national_minimum=national_minimum,
        notes=tuple(notes),
        standard_region=region_id,
        whole_region=_whole_region(chain, year, resolved),
    )


def _whole_region(chain: Sequence[Region], year: int, categories: Sequence[ScheduleCategory]) -> bool | None:
    """Whether the standard's source says it holds in every place of its region: the flag of
    the leaf's entry, or else of the entry that set the amounts (a city entry that only
    records that it follows a province-wide notice inherits that notice's word)."""
    leaf = chain[-1].year(year)
    if leaf is not None and leaf[1].whole_region is not None:
        return leaf[1].whole_region
    setters = {c.amount_origin.region for c in categories}
    for region in reversed(chain):
        found = region.year(year)
        if region.id in setters and found is not None and found[1].whole_region is not None:
            return found[1].whole_region
    return None


def _nearest_rules(rules: list[ScheduleAssist], chain: list[str]) -> tuple[ScheduleAssist, ...]:
    """The assisted rules, with the national floor left only for groups the region's own
    rules do not speak of.

    A rule of any region below ``cn`` takes a group over from the national rules, whatever
    ages its ``when`` names: where a province sets what its 低保 members pay, the national
    "amount set locally" no longer applies to them, and where a province charges its 特困
    members 10 yuan, that replaces the national 0. A regional rule that gives no amount
    (``missing``) does not take a group from a national rule that gives one. Between regional
    levels (a province's rule and a city's), nothing is taken over: the member pays the least
    of the rules that apply (no double subsidy). National rules left with no group or
    disability grade are dropped.
    """
    depth = {region: i for i, region in enumerate(chain)}
    regional = [rule for rule in rules if depth.get(rule.origin.region, 0) > 0]
    #: The groups and grades the regional rules speak of, for a national rule that gives an
    #: amount (only regional rules that give one too take over) and one that gives none.
    taken: dict[bool, tuple[set[str], set[int]]] = {}

    def taken_by(known: bool) -> tuple[set[str], set[int]]:
        if known not in taken:
            nearer = [s for s in regional if s.known or not known]
            taken[known] = (
                {g for s in nearer for g in s.rule.groups},
                {g for s in nearer for g in s.rule.disability_grades},
            )
        return taken[known]

    out: list[ScheduleAssist] = []
    for rule in rules:
        r = rule.rule
        if not r.groups and not r.disability_grades:
            out.append(rule)  # selects by `when` alone: nothing to take over
            continue
        if depth.get(rule.origin.region, 0) > 0:
            out.append(rule)
            continue
        taken_groups, taken_grades = taken_by(rule.known)
        groups = [g for g in r.groups if g not in taken_groups]
        grades = [g for g in r.disability_grades if g not in taken_grades]
        if groups == list(r.groups) and grades == list(r.disability_grades):
            out.append(rule)
        elif groups or grades:
            trimmed = r.model_copy(update={"groups": groups, "disability_grades": grades})
            out.append(replace(rule, rule=trimmed))
    return tuple(out)
