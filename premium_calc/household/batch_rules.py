"""The rules of the vectorised engine, stage by stage: which category each member falls under
and what it costs (``categorise``), which assisted rule leaves them paying least (``assist``).

Both work on a :class:`~premium_calc.household.batch.MemberTable` (or a subset of one) and give
exactly what the scalar path (:mod:`premium_calc.household.rules`) gives, member by member; the
property tests of ``tests/test_batch.py`` hold them to it on every region-year.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from ..ratebook.schedule import Schedule
from ..ratefiles.model import Condition, SexAges
from .member_table import DISABILITY_BIT, EPOCH, FEMALE, GROUP_BITS, MALE, NO_DATE, UNKNOWN_SEX

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .member_table import MemberTable

    BoolArray = NDArray[np.bool_]
    IntArray = NDArray[np.int64]
    SmallArray = NDArray[np.int16]


# Member status codes. Codes from NEEDS_SEX up leave the member (and household) unpriced.
OK, EMPLOYEE, LATE, NEEDS_SEX, NEEDS_BIRTH_DATE, NO_AMOUNT, ASSIST_UNKNOWN = 0, 1, 2, 3, 4, 5, 6


def to_fen(amount: Decimal) -> int:
    """Yuan (at most two decimals) -> integer fen, exactly."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} has more than two decimals")
    return int(fen)


def _bounds(bound: int | SexAges, sexes: NDArray[Any]) -> IntArray:
    if isinstance(bound, int):
        return np.full(sexes.shape, bound, dtype=np.int64)
    return np.where(sexes == FEMALE, bound.female, bound.male)


def _holds(cond: Condition, t: MemberTable, sexes: NDArray[Any], born: IntArray) -> BoolArray:
    ok = np.ones(len(t), dtype=bool)
    if cond.sex is not None:
        ok &= sexes == (MALE if cond.sex == "male" else FEMALE)
    if cond.min_age is not None:
        ok &= t.age >= _bounds(cond.min_age, sexes)
    if cond.max_age is not None:
        ok &= t.age <= _bounds(cond.max_age, sexes)
    if cond.student is not None:
        ok &= t.student == cond.student
    if cond.college is not None:
        ok &= t.college == cond.college
    if cond.born_before is not None:
        ok &= born < (np.datetime64(cond.born_before, "D") - EPOCH).astype(np.int64)
    if cond.born_on_or_after is not None:
        ok &= born >= (np.datetime64(cond.born_on_or_after, "D") - EPOCH).astype(np.int64)
    return ok


def jan1(years: IntArray) -> IntArray:
    """Day number (days since 1970-01-01) of 1 January of each year."""
    return np.asarray(years - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def tri_state(
    conditions: Sequence[Condition], t: MemberTable, year: int
) -> tuple[BoolArray, BoolArray, BoolArray]:
    """For each member: (holds, fails, needs sex); the rest need a birth date."""
    n = len(t)
    if not conditions:
        return np.ones(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    dated = any(c.born_before is not None or c.born_on_or_after is not None for c in conditions)
    if dated:
        age = t.age.astype(np.int64)
        known = t.birth_date != NO_DATE
        # Age A on 1 January Y: born 2 January Y-A-1 .. 1 January Y-A (Member.birth_range).
        lo = np.where(known, t.birth_date, jan1(year - age - 1) + 1)
        hi = np.where(known, t.birth_date, jan1(year - age))
        births: tuple[tuple[int, IntArray], ...] = ((0, lo), (1, hi))
    else:
        births = ((0, np.zeros(0, np.int64)),)  # no condition reads the birth date
    unknown_sex = t.sex == UNKNOWN_SEX
    sex_picks = (MALE, FEMALE) if bool(unknown_sex.any()) else (MALE,)
    results: dict[tuple[int, int], BoolArray] = {}
    for sex_pick in sex_picks:
        sexes = np.where(unknown_sex, sex_pick, t.sex) if len(sex_picks) > 1 else t.sex
        for which, born in births:
            any_holds = np.zeros(n, dtype=bool)
            for cond in conditions:
                any_holds |= _holds(cond, t, sexes, born)
            results[(sex_pick, which)] = any_holds
    if len(results) == 1:
        (only,) = results.values()
        return only, ~only, np.zeros(n, dtype=bool)
    stack = np.stack(list(results.values()))
    holds: BoolArray = np.asarray(stack.all(axis=0))
    fails: BoolArray = np.asarray(~stack.any(axis=0))
    sex_differs = np.zeros(n, dtype=bool)
    if len(sex_picks) > 1:
        for which, _ in births:
            sex_differs |= results[(MALE, which)] != results[(FEMALE, which)]
    needs_sex: BoolArray = np.asarray(~holds & ~fails & unknown_sex & sex_differs)
    return holds, fails, needs_sex


def categorise(
    schedule: Schedule, t: MemberTable, tier: str | None
) -> tuple[SmallArray, SmallArray, IntArray]:
    """(category index or -1, status, gross fen) of every member: the first category whose
    conditions hold wins; an undecidable member needs sex or a birth date."""
    n = len(t)
    year = schedule.coverage_year
    category = np.full(n, -1, dtype=np.int16)
    status = np.where(t.employee, EMPLOYEE, OK).astype(np.int16)
    gross = np.zeros(n, dtype=np.int64)
    pending = ~t.employee
    for index, cat in enumerate(schedule.categories):
        holds, fails, needs_sex = tri_state(cat.conditions, t, year)
        undecided = pending & ~holds & ~fails
        status[undecided & needs_sex] = NEEDS_SEX
        status[undecided & ~needs_sex] = NEEDS_BIRTH_DATE
        take = pending & holds
        category[take] = index
        amount = cat.amount(tier)
        if cat.missing is not None or amount is None:
            status[take] = NO_AMOUNT
        else:
            gross[take] = to_fen(amount)
        pending &= ~(take | undecided)
    status[pending] = NO_AMOUNT  # no category covers them
    return category, status, gross


def _share_fen(gross: IntArray, share: Decimal) -> IntArray:
    """gross x share, rounded half-up to the fen, in exact integer arithmetic."""
    num, den = share.as_integer_ratio()
    return (2 * gross * num + den) // (2 * den)


def assist(
    schedule: Schedule, t: MemberTable, gross: IntArray, status: SmallArray
) -> tuple[IntArray, SmallArray, SmallArray]:
    """(paid fen, assisted rule index or -1, status) after the assisted rules: the lowest
    payment among the rules with an amount wins; a member whom only an "amount unknown" rule
    covers gets ``ASSIST_UNKNOWN`` and pays at most the gross (or the rule's ``at_most``)."""
    n = len(t)
    year = schedule.coverage_year
    status = status.copy()
    paid = gross.copy()
    rule = np.full(n, -1, dtype=np.int16)
    priced = status == OK
    groups = t.groups
    disability = t.disability
    # Groups (and disability grades, as extra bits) that a rule with an amount settles for
    # each member, and those that only an "amount unknown" rule covers.
    settled = np.zeros(n, dtype=np.int64)
    open_groups = np.zeros(n, dtype=np.int64)
    open_rule = np.full(n, -1, dtype=np.int16)
    open_cap = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    member_bits = groups.astype(np.int64)
    if bool(disability.any()):
        member_bits |= np.where(disability > 0, DISABILITY_BIT << disability.astype(np.int64), 0)
    for index, entry in enumerate(schedule.assisted):
        r = entry.rule
        mask = sum(GROUP_BITS[g] for g in r.groups)
        if r.groups or r.disability_grades:
            member = (groups & mask) != 0
            if r.disability_grades:
                member |= np.isin(disability, r.disability_grades)
                mask |= sum(DISABILITY_BIT << g for g in r.disability_grades)
            member &= priced
        else:
            member = priced  # the rule selects by `when` alone
        idx = np.flatnonzero(member)
        if not idx.size:
            continue
        # From here on only the rule's members are looked at.
        if r.conditions:
            holds, fails, needs_sex = tri_state(r.conditions, t.take(idx), year)
            undecided = ~holds & ~fails
            status[idx[undecided & needs_sex]] = NEEDS_SEX
            status[idx[undecided & ~needs_sex]] = NEEDS_BIRTH_DATE
            idx = idx[holds]
            if not idx.size:
                continue
        bits = member_bits[idx] & mask
        if r.missing is not None:
            open_groups[idx] |= bits
            first = open_rule[idx] == -1
            open_rule[idx[first]] = index
            if r.at_most is not None:
                # The tightest bound of the open rules speaks (as in the scalar path).
                open_cap[idx] = np.minimum(open_cap[idx], to_fen(r.at_most))
            continue
        settled[idx] |= bits
        base = gross[idx]
        if r.pays is not None:
            candidate = np.minimum(to_fen(r.pays), base)
        elif r.pays_share is not None:
            candidate = _share_fen(base, r.pays_share)
        else:
            assert r.assistance is not None
            candidate = np.maximum(base - to_fen(r.assistance), 0)
        # The first rule with the lowest payment wins (as min() in the scalar path).
        now = paid[idx]
        better = (candidate < now) | ((rule[idx] == -1) & (candidate <= now))
        paid[idx[better]] = candidate[better]
        rule[idx[better]] = index

    unknown = priced & ((open_groups & ~settled) != 0) & (paid > 0)
    status[unknown] = ASSIST_UNKNOWN
    paid = np.where(unknown, np.minimum(paid, open_cap), paid)
    rule = np.where(unknown & (rule == -1), open_rule, rule).astype(np.int16)
    return paid, rule, status


def needs_assist_pass(schedule: Schedule, t: MemberTable) -> BoolArray:
    """Members any assisted rule could speak of: those in a group or with a disability, and
    everyone if a rule selects by its conditions alone."""
    if any(not a.rule.groups and not a.rule.disability_grades for a in schedule.assisted):
        return np.ones(len(t), dtype=bool)
    return np.asarray((t.groups != 0) | (t.disability != 0))
