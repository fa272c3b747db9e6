"""Which category and which assisted-group rule a member falls under (never a guess: a missing
fact is asked for), and which tier applies.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from ..errors import DataMissingError, HouseholdError, MissingFactError
from ..messages import Note
from ..ratebook.schedule import Schedule, ScheduleAssist, ScheduleCategory
from ..ratefiles.model import Condition, SexAges
from .members import Member, Spec

_Fact = Literal["sex", "birth date"]


def _bound(bound: int | SexAges, sex: str) -> int:
    return bound if isinstance(bound, int) else getattr(bound, sex)


def _holds(cond: Condition, age: int, sex: str | None, born: dt.date, m: Member) -> bool:
    if cond.sex is not None and cond.sex != sex:
        return False
    if cond.min_age is not None and age < _bound(cond.min_age, sex or "male"):
        return False
    if cond.max_age is not None and age > _bound(cond.max_age, sex or "male"):
        return False
    if cond.student is not None and cond.student != m.student:
        return False
    if cond.college is not None and cond.college != m.college:
        return False
    if cond.born_before is not None and not born < cond.born_before:
        return False
    return not (cond.born_on_or_after is not None and not born >= cond.born_on_or_after)


def _needs_sex(cond: Condition) -> bool:
    return (
        cond.sex is not None
        or isinstance(cond.min_age, SexAges)
        or isinstance(cond.max_age, SexAges)
    )


def matches(
    category: ScheduleCategory | ScheduleAssist, member: Member, year: int
) -> bool | _Fact:
    """Whether a member meets a category's (or assisted rule's) conditions: True, False,
    or the fact needed to tell."""
    conditions = category.conditions if isinstance(category, ScheduleCategory) else category.rule.conditions
    return conditions_hold(conditions, member, year)


def conditions_hold(conditions: Sequence[Condition], member: Member, year: int) -> bool | _Fact:
    """Whether a member meets any of ``conditions`` (none: everyone) in coverage year ``year``:
    True, False, or the fact needed to tell (``"sex"``, ``"birth date"``)."""
    if not conditions:
        return True
    age = member.age_in(year)
    lo, hi = member.birth_range(year)
    outcomes: dict[tuple[str | None, dt.date], bool] = {}
    sexes: tuple[str | None, ...] = (member.sex,) if member.sex else ("male", "female")
    for sex, born in itertools.product(sexes, (lo, hi)):
        outcomes[(sex, born)] = any(
            _holds(c, age, sex if (member.sex or _needs_sex(c)) else None, born, member)
            for c in conditions
        )
    values = set(outcomes.values())
    if len(values) == 1:
        return values.pop()
    if member.sex is None and any(
        outcomes[("male", b)] != outcomes[("female", b)] for b in (lo, hi)
    ):
        return "sex"
    return "birth date"


def match_category(schedule: Schedule, member: Member, index: int) -> ScheduleCategory:
    """The first category of the schedule the member falls in (never a guess)."""
    year = schedule.coverage_year
    for category in schedule.categories:
        result = matches(category, member, year)
        if result is True:
            return category
        if result is False:
            continue
        raise MissingFactError(index, result, f"{schedule.region} {year} {category.id}")
    raise DataMissingError(
        schedule.region,
        year,
        Note("error.what_member", index=index, member=Spec(member.describe())),
        Note("error.no_category_covers"),
        kind="not-covered",
    )


def _covers(rule: ScheduleAssist, member: Member) -> set[str]:
    """The member's groups (and ``disabled<N>``) a rule selects them by."""
    hits: set[str] = {g for g in member.assisted if g in rule.rule.groups}
    if member.disability is not None and member.disability in rule.rule.disability_grades:
        hits.add(f"disabled{member.disability}")
    return hits


def assist_for(
    schedule: Schedule, member: Member, gross: Decimal, index: int = 1
) -> tuple[ScheduleAssist | None, ScheduleAssist | None]:
    """The assisted rules for a member: the one with an amount that leaves them paying least
    (no double subsidy), and an "amount unknown" (``missing``) rule that still applies.

    A rule with an amount replaces any ``missing`` rule for the same group (a region's own
    amount replaces the national "assisted, amount set locally"). A ``missing`` rule for a
    group no amount rule covers still applies: the member then pays at most what the amount
    rule leaves (or the gross), possibly less: the second item is that rule.
    """
    known: list[ScheduleAssist] = []
    unknown: list[ScheduleAssist] = []
    for a in schedule.assisted:
        selects_groups = bool(a.rule.groups or a.rule.disability_grades)
        if selects_groups and not _covers(a, member):
            continue
        held = matches(a, member, schedule.coverage_year)
        if held is True:
            (known if a.known else unknown).append(a)
        elif held is not False:
            raise MissingFactError(index, held, f"{schedule.region} {schedule.coverage_year} assisted.{a.id}")
    best = min(known, key=lambda a: a.paid(gross)) if known else None
    settled: set[str] = set()
    for a in known:
        settled |= _covers(a, member)
    still_open = [u for u in unknown if not _covers(u, member) <= settled or not _covers(u, member)]
    if best is not None and best.paid(gross) == 0:
        still_open = []  # nothing left to assist
    # Of several rules without an amount, the one that bounds the payment most speaks.
    still_open.sort(key=lambda u: u.rule.at_most if u.rule.at_most is not None else gross)
    return best, (still_open[0] if still_open else None)


def best_assist(
    schedule: Schedule, member: Member, gross: Decimal, index: int = 1
) -> ScheduleAssist | None:
    """The assisted rule with an amount that leaves the member paying least (see
    :func:`assist_for` for rules whose amount is unknown)."""
    return assist_for(schedule, member, gross, index)[0]


def check_tier(schedule: Schedule, tier: str | None) -> str | None:
    """The tier to use: the one asked for (validated) or the region's cheapest."""
    if tier is None:
        return schedule.default_tier
    if not schedule.tiers:
        raise HouseholdError(
            Note("error.no_tiers", region=schedule.region, year=schedule.coverage_year), field="tier"
        )
    ids = schedule.tier_ids()
    by_name = {t.name.zh: t.id for t in schedule.tiers} | {t.name.en.lower(): t.id for t in schedule.tiers}
    if tier in ids:
        return tier
    if tier.lower() in by_name:
        return by_name[tier.lower()]
    raise HouseholdError(
        Note(
            "error.unknown_tier", tier=repr(tier), region=schedule.region, year=schedule.coverage_year,
            tiers=", ".join(ids),
        ),
        field="tier",
    )
