"""Rules on resolved schedules: the chain of parents, tiers against inherited categories, amounts
against the national minimum, entries that only repeat their parent (``parent-*``, ``tier-*``,
``below-minimum``, ``includes-exceeds``, ``redundant``). See :mod:`.validate` for the catalogue."""

from __future__ import annotations

from decimal import Decimal

from ..errors import (
    PremiumCalcError,
    RateFileError,
    UnknownRegionError,
    YearNotCoveredError,
)
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.explain import explain_schedule, value_map
from ..ratebook.schedule import Origin, Schedule
from ..ratefiles.keypaths import KeyPath
from ..ratefiles.model import YearEntry
from ..ratefiles.reading import Region
from ..units import money
from .problems import FileCheck

#: Keys of a year entry that do not set values (an entry with only these applies the parent's).
_NON_VALUE_KEYS = frozenset({"coverage", "policy", "source", "note"})


def check_chain(check: FileCheck, region: Region) -> bool:
    """Walk the parents; report unknown parents, cycles and broken ancestors."""
    key: KeyPath = ("region", "parent")
    seen = [check.rid]
    current = region.parent
    while current is not None:
        if current in seen:
            cycle = " -> ".join([*seen, current])
            if current == check.rid:
                check.error(
                    "parent-cycle",
                    key,
                    Note("validate.parent_cycle", cycle=cycle),
                )
            elif seen[-1] not in check.validated:
                check.error(
                    "parent-invalid",
                    key,
                    Note("validate.parent_loop", cycle=cycle),
                )
            return False
        try:
            parent = check.book.region(current)
        except UnknownRegionError:
            if len(seen) == 1:
                check.error("parent-unknown", key, unknown_parent(check, current))
            elif seen[-1] not in check.validated:
                check.error(
                    "parent-invalid",
                    key,
                    Note("validate.ancestor_unknown_parent", ancestor=seen[-1], parent=repr(current)),
                )
            return False
        except RateFileError as exc:
            if current not in check.validated:
                check.error(
                    "parent-invalid",
                    key,
                    Note("validate.ancestor_invalid", ancestor=current, error=exc.note),
                )
            return False
        seen.append(current)
        current = parent.parent
    return True


def unknown_parent(check: FileCheck, parent: str) -> Note:
    hint = Note("validate.parent_hint")
    try:
        hit = check.book.find(parent)
        hint = Note("validate.parent_hint_found", region=hit)
    except UnknownRegionError as exc:
        if exc.suggestions:
            hint = Note("validate.parent_hint_suggestion", region=exc.suggestions[0])
    except PremiumCalcError:
        pass
    return Note("validate.parent_unknown", parent=repr(parent), hint=hint)


def own_index(origin: Origin, index: int) -> int | None:
    """The category index in this file's entry ``index`` that an origin points at."""
    match origin.key:
        case ("year", int(year), "category", int(category), *_) if year == index:
            return category
    return None


def check_tiers(check: FileCheck, index: int, entry: YearEntry, s: Schedule) -> None:
    base: KeyPath = ("year", index)
    ids = s.tier_ids()
    listed = ", ".join(ids)
    used: set[str] = set()
    for cat in s.categories:
        used |= set(cat.tier_amounts)
        if not cat.tier_amounts:
            continue
        own = own_index(cat.amount_origin, index) if cat.amount_origin.region == check.rid else None
        if own is not None:
            where: KeyPath = (*base, "category", own, "tiers")
            for tier_id in cat.tier_amounts:
                if tier_id not in ids:
                    expected = (
                        Note("validate.expected_year_tier", tiers=listed)
                        if ids
                        else Note("validate.expected_tier_entry", tier=repr(tier_id), year=entry.coverage)
                    )
                    check.error(
                        "tier-undeclared",
                        (*where, tier_id),
                        Note(
                            "validate.tier_undeclared",
                            category=repr(cat.id),
                            tier=repr(tier_id),
                            year=entry.coverage,
                            expected=expected,
                        ),
                    )
            for tier_id in ids:
                if tier_id not in cat.tier_amounts:
                    check.error(
                        "tier-missing",
                        where,
                        Note(
                            "validate.tier_missing",
                            category=repr(cat.id),
                            tier=repr(tier_id),
                            tiers=listed,
                        ),
                    )
        elif entry.tier is not None and set(cat.tier_amounts) != set(ids):
            inherited = ", ".join(cat.tier_amounts)
            own_cat = next((i for i, c in enumerate(entry.category or ()) if c.id == cat.id), None)
            where = (*base, "category", own_cat) if own_cat is not None else (*base, "tier")
            check.error(
                "tier-conflict",
                where,
                Note(
                    "validate.tier_conflict",
                    category=repr(cat.id),
                    inherited=inherited,
                    parent=cat.amount_origin.region,
                    declared=listed or Note("validate.no_tiers"),
                ),
            )
    if entry.tier is not None:
        for ti, tier in enumerate(entry.tier):
            if tier.id not in used:
                check.warning(
                    "tier-unused",
                    (*base, "tier", ti),
                    Note("validate.tier_unused", tier=repr(tier.id), id=tier.id),
                )


def check_amounts(check: FileCheck, index: int, s: Schedule) -> None:
    base: KeyPath = ("year", index)
    minimum = s.national_minimum
    for cat in s.categories:
        if cat.amount_origin.region != check.rid:
            continue
        own = own_index(cat.amount_origin, index)
        if own is None:
            continue
        where: KeyPath = (*base, "category", own)
        if cat.individual is None and not cat.tier_amounts and cat.missing is None:
            check.error(
                "category-no-amount",
                where,
                Note("validate.category_no_amount", category=repr(cat.id)),
            )
            continue
        amounts: list[tuple[KeyPath, Note, Decimal]] = []
        if cat.tier_amounts:
            amounts += [
                (
                    (*where, "tiers", t),
                    Note("validate.category_tier", category=repr(cat.id), tier=repr(t)),
                    a,
                )
                for t, a in cat.tier_amounts.items()
            ]
        elif cat.individual is not None:
            amounts.append(
                (
                    (*where, "individual"),
                    Note("validate.category", category=repr(cat.id)),
                    cat.individual,
                )
            )
        if minimum is not None and not cat.below_minimum:
            for key, what, amount in amounts:
                if amount < minimum:
                    check.warning(
                        "below-minimum",
                        key,
                        Note(
                            "validate.below_minimum",
                            what=what,
                            amount=money(amount),
                            minimum=money(minimum),
                            year=s.coverage_year,
                        ),
                    )
        if cat.includes and amounts:
            total = sum(cat.includes.values(), Decimal(0))
            smallest = min(a for _, _, a in amounts)
            if total > smallest:
                check.error(
                    "includes-exceeds",
                    (*where, "includes"),
                    Note(
                        "validate.includes_exceeds",
                        category=repr(cat.id),
                        total=money(total),
                        amount=money(smallest),
                    ),
                )


def check_redundant(
    check: FileCheck, book: RateBook, region: Region, index: int, entry: YearEntry, s: Schedule
) -> None:
    parent = region.parent
    if parent is None or region.data.region.level not in ("city", "county"):
        return
    if not (entry.model_fields_set - _NON_VALUE_KEYS):
        return
    try:
        parent_schedule = book.schedule(parent, entry.coverage)
    except (YearNotCoveredError, PremiumCalcError):
        return
    if _amounts(s) != _amounts(parent_schedule):
        return  # the cheap comparison already differs
    mine = value_map(explain_schedule(book, s), names=False)
    theirs = value_map(explain_schedule(book, parent_schedule), names=False)
    if mine == theirs:
        check.warning(
            "redundant",
            ("year", index),
            Note("validate.redundant", year=entry.coverage, parent=parent),
        )


def _amounts(s: Schedule) -> tuple[object, ...]:
    """The main amounts of a schedule, to compare two schedules quickly."""
    cats = tuple(
        (c.id, c.individual, tuple(sorted(c.tier_amounts.items())), c.missing, c.subsidy)
        for c in s.categories
    )
    return (s.subsidy, cats, s.late.amount if s.late else None)
