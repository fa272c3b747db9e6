"""Plausibility rules: values that are allowed but look like a data-entry slip (a figure typed
for the wrong year, a digit too many, the notice year entered as the coverage year). Every rule
gives a **warning**, never an error: the value may be right, a person should look.

Rules (``rule`` id, what fires it; the bands are the constants below):

``change-band``
    an amount (a category's flat amount or tier amount) or a subsidy (the year's or a
    category's) that this file sets for coverage year N and that rose by more than
    :data:`RISE_BAND` (30%) or fell at all against the same region's resolved value for N-1
    (the same category id, the same tier id). Only against N-1 itself (after a gap of years a
    larger step is expected), and not against a national minimum standing in for N-1 (a floor,
    not the region's own figure). Rises of less than :data:`MIN_STEP` (100 yuan) are not
    flagged (the national amounts of the early years rose from 10 to 20, from 40 to 80 yuan).
``subsidy-minimum``
    a fiscal subsidy this file sets below the national subsidy of the coverage year
    (``subsidy`` of ``rates/cn.toml``). The national figure is a per-capita average, so a
    category's subsidy below it is flagged only when no category of the year reaches it.
``province-band``
    a city's or county's amount above :data:`PROVINCE_HIGH` (2x) its province's highest amount
    or below :data:`PROVINCE_LOW` (0.5x) its province's lowest amount for the same coverage year
    (the province's category with the same id if it has one, else all its categories and tiers).
    Only where the province has an entry of its own for the year: the national minimums are
    floors, not a province's amounts.
``policy-same-year``
    ``policy`` equal to ``coverage``: a notice of year N sets premiums for coverage year N+1, so
    ``policy`` is normally ``coverage - 1`` (a local notice titled 2026年度 is coverage 2026,
    policy 2025).
``window-inside``
    a collection window that starts after 1 January of its coverage year and ends in the second
    half of it (1 July or later): the window of the next coverage year entered under this one.
    Windows that start before the year and run into its first months are normal.

Nothing here prints; problems are added to the :class:`~.problems.FileCheck`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..errors import PremiumCalcError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.schedule import Origin, Schedule, ScheduleCategory
from ..ratefiles.keypaths import KeyPath
from ..ratefiles.reading import Region
from ..units import money
from .problems import FileCheck
from .resolved_rules import own_index

#: ``change-band``: the largest rise from one coverage year to the next not flagged (30%).
RISE_BAND = Decimal("0.30")
#: ``change-band``: rises smaller than this (in yuan) are never flagged.
MIN_STEP = Decimal(100)
#: ``province-band``: a city amount above this multiple of its province's highest is flagged.
PROVINCE_HIGH = Decimal(2)
#: ``province-band``: a city amount below this multiple of its province's lowest is flagged.
PROVINCE_LOW = Decimal("0.5")
#: ``window-inside``: the first day (month, day) of the second half of a coverage year.
SECOND_HALF = (7, 1)


@dataclass(frozen=True)
class _Value:
    """One amount or subsidy this file sets, with where it is and how it is named."""

    key: KeyPath
    what: Note
    amount: Decimal
    match: tuple[str, ...]  # ("amount", category, tier) or ("subsidy",) / ("subsidy", category)


def check_plausibility(check: FileCheck, book: RateBook, region: Region) -> None:
    """Every plausibility rule on one loaded rate file whose chain of parents resolves."""
    first: dict[int, int] = {}
    for index, entry in enumerate(region.data.year):
        first.setdefault(entry.coverage, index)
        if entry.policy is not None and entry.policy == entry.coverage:
            check.warning(
                "policy-same-year",
                ("year", index, "policy"),
                Note("validate.policy_same_year", year=entry.coverage, previous=entry.coverage - 1),
            )
        _check_window(check, index, entry.coverage, entry.collection)
    for coverage, index in first.items():
        schedule = _schedule(book, check.rid, coverage)
        if schedule is None:
            continue
        values = list(_own_values(check, index, schedule))
        if coverage - 1 in first:
            previous = _schedule(book, check.rid, coverage - 1)
            if previous is not None:
                _check_change(check, values, schedule, previous)
        _check_subsidy_minimum(check, book, values, schedule)
        if region.data.region.level in ("city", "county"):
            _check_province(check, book, values, schedule)


def _schedule(book: RateBook, region_id: str, year: int) -> Schedule | None:
    try:
        return book.schedule(region_id, year)
    except PremiumCalcError:
        return None


def _check_window(check: FileCheck, index: int, coverage: int, window: object) -> None:
    start = getattr(window, "start", None)
    end = getattr(window, "end", None)
    if start is None or end is None:
        return
    half = dt.date(coverage, *SECOND_HALF)
    if start > dt.date(coverage, 1, 1) and end >= half and start <= end:
        check.warning(
            "window-inside",
            ("year", index, "collection", "start"),
            Note("validate.window_inside", start=start, end=end, year=coverage, next=coverage + 1),
        )


def _own_values(check: FileCheck, index: int, s: Schedule) -> Iterator[_Value]:
    """The amounts and subsidies of the resolved year ``s`` that entry ``index`` of this file sets."""
    subsidy = s.subsidy_origin
    if s.subsidy is not None and subsidy is not None and _is_own(check, subsidy.region, subsidy.key, index):
        yield _Value(("year", index, "subsidy"), Note("validate.what_subsidy"), s.subsidy, ("subsidy",))
    for cat in s.categories:
        own = own_index(cat.amount_origin, index) if cat.amount_origin.region == check.rid else None
        where: KeyPath = ("year", index, "category", own) if own is not None else ()
        if own is not None:
            named = Note("validate.category", category=repr(cat.id))
            if cat.tier_amounts:
                for tier, amount in cat.tier_amounts.items():
                    tier_named = Note("validate.category_tier", category=repr(cat.id), tier=repr(tier))
                    yield _Value((*where, "tiers", tier), tier_named, amount, ("amount", cat.id, tier))
            elif cat.individual is not None:
                yield _Value((*where, "individual"), named, cat.individual, ("amount", cat.id, ""))
        origin = cat.subsidy_origin
        if cat.subsidy is not None and origin is not None and origin.region == check.rid:
            category = own_index(origin, index)
            if category is not None and origin.key[-1] == "subsidy" and origin.key[-2] == category:
                yield _Value(
                    ("year", index, "category", category, "subsidy"),
                    Note("validate.what_category_subsidy", category=repr(cat.id)),
                    cat.subsidy,
                    ("subsidy", cat.id),
                )


def _is_own(check: FileCheck, region: str, key: KeyPath, index: int) -> bool:
    """Whether a value's origin is entry ``index`` of this file."""
    return region == check.rid and key[:2] == ("year", index)


def _previous_value(value: _Value, s: Schedule) -> tuple[Decimal | None, str]:
    """The value of the same kind, category and tier in the schedule ``s`` (``None``: none),
    and the region that set it."""
    if value.match == ("subsidy",):
        return s.subsidy, _region(s.subsidy_origin)
    cat = _category(s, value.match[1])
    if cat is None:
        return None, ""
    if value.match[0] == "subsidy":
        return cat.subsidy, _region(cat.subsidy_origin)
    tier = value.match[2]
    amount = cat.tier_amounts.get(tier) if tier else (None if cat.tier_amounts else cat.individual)
    return amount, cat.amount_origin.region


def _region(origin: Origin | None) -> str:
    return origin.region if origin is not None else ""


def _category(s: Schedule, category_id: str) -> ScheduleCategory | None:
    return next((c for c in s.categories if c.id == category_id), None)


def _check_change(check: FileCheck, values: list[_Value], s: Schedule, previous: Schedule) -> None:
    for value in values:
        old, origin = _previous_value(value, previous)
        if old is None or old == 0:
            continue
        if origin == "cn" and check.rid != "cn":
            continue  # a national minimum standing in: a floor, not the region's own figure
        change = (value.amount - old) / old
        fields: dict[str, object] = {
            "what": value.what,
            "amount": money(value.amount),
            "year": s.coverage_year,
            "old": money(old),
            "previous": previous.coverage_year,
            "change": f"{change * 100:+.0f}%",
            "band": f"{RISE_BAND * 100:.0f}",
        }
        if value.amount < old:
            check.warning("change-band", value.key, Note("validate.change_fall", **fields))
        elif change > RISE_BAND and value.amount - old >= MIN_STEP:
            check.warning("change-band", value.key, Note("validate.change_rise", **fields))


def _check_subsidy_minimum(check: FileCheck, book: RateBook, values: list[_Value], s: Schedule) -> None:
    if check.rid == "cn":
        return
    national = _schedule(book, "cn", s.coverage_year)
    minimum = national.subsidy if national is not None else None
    if minimum is None:
        return
    # A category's subsidy is its own or else the year's: does any category reach the minimum?
    reached = any(c.subsidy is not None and c.subsidy >= minimum for c in s.categories)
    for value in values:
        if value.match[0] != "subsidy" or value.amount >= minimum:
            continue
        if len(value.match) > 1 and reached:
            continue  # a per-capita minimum: another category is above it
        check.warning(
            "subsidy-minimum",
            value.key,
            Note(
                "validate.subsidy_minimum",
                what=value.what,
                amount=money(value.amount),
                minimum=money(minimum),
                year=s.coverage_year,
            ),
        )


def _check_province(check: FileCheck, book: RateBook, values: list[_Value], s: Schedule) -> None:
    province = _province_of(book, s)
    if province is None:
        return
    theirs = _schedule(book, province, s.coverage_year)
    if theirs is None:
        return
    everything = _amounts(theirs.categories)
    for value in values:
        if value.match[0] != "amount":
            continue
        same = _category(theirs, value.match[1])
        reference = _amounts([same]) if same is not None else everything
        if not reference:
            continue
        low, high = min(reference), max(reference)
        fields: dict[str, object] = {
            "what": value.what,
            "amount": money(value.amount),
            "province": theirs.name,
            "year": s.coverage_year,
        }
        if value.amount > high * PROVINCE_HIGH:
            note = Note("validate.province_high", **fields, reference=money(high), band=f"{PROVINCE_HIGH:g}")
        elif value.amount < low * PROVINCE_LOW:
            note = Note("validate.province_low", **fields, reference=money(low), band=f"{PROVINCE_LOW:g}")
        else:
            continue
        check.warning("province-band", value.key, note)


def _province_of(book: RateBook, s: Schedule) -> str | None:
    """The province in the chain of ``s`` that has an entry of its own for the year."""
    for rid in s.chain:
        try:
            region = book.region(rid)
        except PremiumCalcError:
            return None
        if region.data.region.level == "province":
            return rid if region.year(s.coverage_year) is not None else None
    return None


def _amounts(categories: list[ScheduleCategory] | tuple[ScheduleCategory, ...]) -> list[Decimal]:
    out: list[Decimal] = []
    for cat in categories:
        if cat.tier_amounts:
            out += cat.tier_amounts.values()
        elif cat.individual is not None:
            out.append(cat.individual)
    return out
