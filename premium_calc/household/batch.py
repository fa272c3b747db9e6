"""Vectorised pricing of many households under one resolved :class:`Schedule`.

The scalar path (:func:`premium_calc.household.premium.calculate`) prices one household with Decimal
objects; this module prices a whole table of members with numpy arrays, in **integer fen**
(1 yuan = 100 fen), so sums stay exact. It applies the same schedule with the same rules:

* the first category whose conditions hold wins; where a condition needs a fact a member
  lacks (sex, birth date), the member is flagged, never guessed;
* the assisted rule that leaves the member paying least wins; ``pays_share`` is rounded
  half-up to the fen, as in the scalar path;
* a rule with an amount replaces an "amount unknown" (``missing``) rule for the same group; a
  member whom only such a rule covers gets status ``ASSIST_UNKNOWN``: ``paid_fen`` is then the
  most they can pay (the gross, or what an amount rule leaves) and ``paid_low_fen`` 0;
* members covered by employee insurance pay nothing; late enrollees without assistance pay
  the late amount.

Flagged members (``status`` other than ``OK``/``EMPLOYEE``/``LATE``) make their household's
totals invalid (``valid`` is False): the scalar path would raise for them, or (for
``ASSIST_UNKNOWN``) give bounds, which ``household_paid_low_fen`` .. ``household_paid_fen``
are where every member is otherwise priced (``bounded``).

Typical use::

    table = MemberTable.from_households(households, year=2025)
    result = price_batch(book.schedule("cn/hunan", 2025), table)
    result.household_paid_fen      # int64 array, one entry per household
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import DataMissingError
from ..messages import Note
from ..ratebook.schedule import Schedule
from ..ratefiles.model import ASSISTED_GROUPS, Condition, SexAges
from .rules import check_tier

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .members import Household, Member

    BoolArray = NDArray[np.bool_]
    IntArray = NDArray[np.int64]


#: Bit of each assisted group in :attr:`MemberTable.groups`.
GROUP_BITS: dict[str, int] = {g: 1 << i for i, g in enumerate(ASSISTED_GROUPS)}


# Member status codes.
OK, EMPLOYEE, LATE, NEEDS_SEX, NEEDS_BIRTH_DATE, NO_AMOUNT, ASSIST_UNKNOWN = 0, 1, 2, 3, 4, 5, 6


STATUS_NAMES = {
    OK: "resident",
    EMPLOYEE: "employee",
    LATE: "late",
    NEEDS_SEX: "needs sex",
    NEEDS_BIRTH_DATE: "needs birth date",
    NO_AMOUNT: "no sourced amount",
    ASSIST_UNKNOWN: "assisted, amount unknown",
}


_UNKNOWN, _MALE, _FEMALE = 0, 1, 2


#: Disability grade g is bit ``_DISABILITY_BIT << g`` in the masks of the assisted-rule pass.
_DISABILITY_BIT = 1 << (len(ASSISTED_GROUPS) + 1)


_EPOCH = np.datetime64("1970-01-01", "D")


_NO_DATE = -(2**31)


def to_fen(amount: Decimal) -> int:
    """Yuan (at most two decimals) -> integer fen, exactly."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} has more than two decimals")
    return int(fen)


@dataclass(frozen=True)
class MemberTable:
    """Members of many households, one array entry per member.

    ``age`` is the age on 1 January of the coverage year; ``birth_date`` (days since
    1970-01-01, or -2**31 where unknown) refines birth-date rules. ``sex`` is 0 (unknown),
    1 (male) or 2 (female); ``groups`` is a bit mask of :data:`GROUP_BITS`; ``disability``
    0 for none or the grade 1-4.
    """

    household: IntArray
    age: IntArray
    sex: IntArray
    student: BoolArray
    college: BoolArray
    employee: BoolArray
    disability: IntArray
    groups: IntArray
    birth_date: IntArray
    late: BoolArray

    def __len__(self) -> int:
        return int(self.household.shape[0])

    @classmethod
    def from_households(
        cls, households: Sequence[Household], year: int, *, late: bool = False
    ) -> MemberTable:
        """Build the table from Household objects (household i gets id i)."""
        rows = [
            member_row(hid, m, m.age_in(year))
            for hid, household in enumerate(households)
            for m in household.members
        ]
        return cls.from_rows(rows, late=late)

    @classmethod
    def from_rows(cls, rows: Sequence[MemberRow], *, late: bool = False) -> MemberTable:
        data = np.array(rows, dtype=np.int64).reshape(-1, 9)
        return cls(
            household=data[:, 0],
            age=data[:, 1],
            sex=data[:, 2],
            student=data[:, 3].astype(bool),
            college=data[:, 4].astype(bool),
            employee=data[:, 5].astype(bool),
            disability=data[:, 6],
            groups=data[:, 7],
            birth_date=data[:, 8],
            late=np.full(data.shape[0], late, dtype=bool),
        )


MemberRow = tuple[int, int, int, bool, bool, bool, int, int, int]


def member_row(hid: int, m: Member, age: int) -> MemberRow:
    """One member as the integer columns of a MemberTable."""
    mask = 0
    for group in m.assisted:
        mask |= GROUP_BITS[group]
    born = (m.birth_date - dt.date(1970, 1, 1)).days if m.birth_date is not None else _NO_DATE
    sex = {"male": _MALE, "female": _FEMALE}.get(m.sex or "", _UNKNOWN)
    return (hid, age, sex, m.student, m.college, m.employee, m.disability or 0, mask, born)


@dataclass(frozen=True)
class BatchResult:
    """Per-member and per-household results, in integer fen."""

    category: IntArray  # index into schedule.categories, -1 where none
    rule: IntArray  # index into schedule.assisted, -1 where none
    status: IntArray
    gross_fen: IntArray
    assistance_fen: IntArray
    paid_fen: IntArray
    households: IntArray  # the household ids, sorted
    household_gross_fen: IntArray
    household_paid_fen: IntArray
    household_members: IntArray
    valid: BoolArray  # per household: every member priced
    #: Per member, the least they may pay (= ``paid_fen`` except for ``ASSIST_UNKNOWN``).
    paid_low_fen: IntArray | None = None
    #: Per household, the least it may pay; with ``bounded`` the only unknown is assistance.
    household_paid_low_fen: IntArray | None = None
    bounded: BoolArray | None = None

    def household_burden(self, income_yuan: NDArray[Any]) -> NDArray[np.float64]:
        """Paid / income per household (float ratios for analysis; NaN where not valid or
        the income is not positive). Money stays exact in the fen arrays."""
        income = np.asarray(income_yuan, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = self.household_paid_fen / (income * 100)
        return np.where(self.valid & (income > 0), ratio, np.nan)


def _bounds(bound: int | SexAges, sexes: IntArray) -> IntArray:
    if isinstance(bound, int):
        return np.full(sexes.shape, bound, dtype=np.int64)
    return np.where(sexes == _FEMALE, bound.female, bound.male)


def _holds(cond: Condition, t: MemberTable, sexes: IntArray, born: IntArray) -> BoolArray:
    ok = np.ones(len(t), dtype=bool)
    if cond.sex is not None:
        ok &= sexes == (_MALE if cond.sex == "male" else _FEMALE)
    if cond.min_age is not None:
        ok &= t.age >= _bounds(cond.min_age, sexes)
    if cond.max_age is not None:
        ok &= t.age <= _bounds(cond.max_age, sexes)
    if cond.student is not None:
        ok &= t.student == cond.student
    if cond.college is not None:
        ok &= t.college == cond.college
    if cond.born_before is not None:
        ok &= born < (np.datetime64(cond.born_before, "D") - _EPOCH).astype(np.int64)
    if cond.born_on_or_after is not None:
        ok &= born >= (np.datetime64(cond.born_on_or_after, "D") - _EPOCH).astype(np.int64)
    return ok


def _tri_state(
    conditions: Sequence[Condition], t: MemberTable, year: int
) -> tuple[BoolArray, BoolArray, BoolArray]:
    """For each member: (holds, fails, needs sex); the rest need a birth date."""
    n = len(t)
    if not conditions:
        return np.ones(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    known = t.birth_date != _NO_DATE
    # Age A on 1 January Y: born 2 January Y-A-1 .. 1 January Y-A (as in Member.birth_range).
    lo = np.where(known, t.birth_date, _jan1(year - t.age - 1) + 1)
    hi = np.where(known, t.birth_date, _jan1(year - t.age))
    results: dict[tuple[int, int], BoolArray] = {}
    for sex_pick in (_MALE, _FEMALE):
        sexes = np.where(t.sex == _UNKNOWN, sex_pick, t.sex)
        for which, born in ((0, lo), (1, hi)):
            any_holds = np.zeros(n, dtype=bool)
            for cond in conditions:
                any_holds |= _holds(cond, t, sexes, born)
            results[(sex_pick, which)] = any_holds
    stack = np.stack(list(results.values()))
    holds: BoolArray = np.asarray(stack.all(axis=0))
    fails: BoolArray = np.asarray(~stack.any(axis=0))
    sex_differs = (results[(_MALE, 0)] != results[(_FEMALE, 0)]) | (
        results[(_MALE, 1)] != results[(_FEMALE, 1)]
    )
    needs_sex: BoolArray = np.asarray(~holds & ~fails & (t.sex == _UNKNOWN) & sex_differs)
    return holds, fails, needs_sex


def _jan1(years: IntArray) -> IntArray:
    """Day number (days since 1970-01-01) of 1 January of each year."""
    return np.asarray(years - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def _share_fen(gross: IntArray, share: Decimal) -> IntArray:
    """gross x share, rounded half-up to the fen, in exact integer arithmetic."""
    num, den = share.as_integer_ratio()
    return (2 * gross * num + den) // (2 * den)


def price_batch(
    schedule: Schedule, table: MemberTable, *, tier: str | None = None
) -> BatchResult:
    """Price every member of the table under the schedule (see the module docstring)."""
    chosen = check_tier(schedule, tier)
    n = len(table)
    year = schedule.coverage_year
    category = np.full(n, -1, dtype=np.int64)
    status = np.where(table.employee, EMPLOYEE, OK).astype(np.int64)
    gross = np.zeros(n, dtype=np.int64)
    if schedule.late is None and bool(table.late.any()):
        raise DataMissingError(
            schedule.region,
            year,
            Note("error.what_late"),
            Note("error.no_late_amount"),
            kind="late",
        )
    pending = ~table.employee
    for index, cat in enumerate(schedule.categories):
        holds, fails, needs_sex = _tri_state(cat.conditions, table, year)
        undecided = pending & ~holds & ~fails
        status[undecided & needs_sex] = NEEDS_SEX
        status[undecided & ~needs_sex] = NEEDS_BIRTH_DATE
        take = pending & holds
        category[take] = index
        amount = cat.amount(chosen)
        if cat.missing is not None or amount is None:
            status[take] = NO_AMOUNT
        else:
            gross[take] = to_fen(amount)
        pending &= ~(take | undecided)
    status[pending] = NO_AMOUNT  # no category covers them

    # Assisted rules: the lowest payment among the rules that apply.
    paid = gross.copy()
    rule = np.full(n, -1, dtype=np.int64)
    priced = status == OK
    # Groups (and disability grades, as extra bits) that a rule with an amount settles for
    # each member, and those that only an "amount unknown" rule covers.
    settled = np.zeros(n, dtype=np.int64)
    open_groups = np.zeros(n, dtype=np.int64)
    open_rule = np.full(n, -1, dtype=np.int64)
    open_cap = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    member_bits = table.groups | np.where(table.disability > 0, _DISABILITY_BIT << table.disability, 0)
    for index, assist in enumerate(schedule.assisted):
        r = assist.rule
        mask = sum(GROUP_BITS[g] for g in r.groups)
        member = (table.groups & mask) != 0
        if r.disability_grades:
            member |= np.isin(table.disability, r.disability_grades)
            mask |= sum(_DISABILITY_BIT << g for g in r.disability_grades)
        if not r.groups and not r.disability_grades:
            member = np.ones(len(table), dtype=bool)  # the rule selects by `when` alone
        member &= priced
        if not member.any():
            continue
        holds, fails, needs_sex = _tri_state(r.conditions, table, year)
        undecided = member & ~holds & ~fails
        status[undecided & needs_sex] = NEEDS_SEX
        status[undecided & ~needs_sex] = NEEDS_BIRTH_DATE
        applies = member & holds
        if r.missing is not None:
            open_groups |= np.where(applies, member_bits & mask, 0)
            open_rule = np.where(applies & (open_rule == -1), index, open_rule)
            if r.at_most is not None:
                # The tightest bound of the open rules speaks (as in the scalar path).
                open_cap = np.where(applies, np.minimum(open_cap, to_fen(r.at_most)), open_cap)
            continue
        settled |= np.where(applies, member_bits & mask, 0)
        if r.pays is not None:
            candidate = np.minimum(to_fen(r.pays), gross)
        elif r.pays_share is not None:
            candidate = _share_fen(gross, r.pays_share)
        else:
            assert r.assistance is not None
            candidate = np.maximum(gross - to_fen(r.assistance), 0)
        # The first rule with the lowest payment wins (as min() in the scalar path).
        better = applies & ((candidate < paid) | ((rule == -1) & (candidate <= paid)))
        paid = np.where(better, candidate, paid)
        rule = np.where(better, index, rule)

    unknown = priced & ((open_groups & ~settled) != 0) & (paid > 0)
    status = np.where(unknown, ASSIST_UNKNOWN, status)
    paid = np.where(unknown, np.minimum(paid, open_cap), paid)
    rule = np.where(unknown & (rule == -1), open_rule, rule)

    if schedule.late is not None:
        late = table.late & (status == OK) & (rule == -1)
        gross = np.where(late, to_fen(schedule.late.amount), gross)
        paid = np.where(late, gross, paid)
        status = np.where(late, LATE, status)

    bad = (status != OK) & (status != EMPLOYEE) & (status != LATE)
    unpriced = bad & (status != ASSIST_UNKNOWN)
    gross = np.where(unpriced, 0, gross)
    paid = np.where(unpriced, 0, paid)
    paid_low = np.where(status == ASSIST_UNKNOWN, 0, paid)
    households, inverse = np.unique(table.household, return_inverse=True)
    h = households.shape[0]
    h_gross = np.zeros(h, dtype=np.int64)
    h_paid = np.zeros(h, dtype=np.int64)
    h_low = np.zeros(h, dtype=np.int64)
    h_count = np.zeros(h, dtype=np.int64)
    h_bad = np.zeros(h, dtype=np.int64)
    h_unpriced = np.zeros(h, dtype=np.int64)
    np.add.at(h_gross, inverse, gross)
    np.add.at(h_paid, inverse, paid)
    np.add.at(h_low, inverse, paid_low)
    np.add.at(h_count, inverse, 1)
    np.add.at(h_bad, inverse, bad.astype(np.int64))
    np.add.at(h_unpriced, inverse, unpriced.astype(np.int64))
    return BatchResult(
        category=category,
        rule=rule,
        status=status,
        gross_fen=gross,
        assistance_fen=gross - paid,
        paid_fen=paid,
        households=households,
        household_gross_fen=h_gross,
        household_paid_fen=h_paid,
        household_members=h_count,
        valid=h_bad == 0,
        paid_low_fen=paid_low,
        household_paid_low_fen=h_low,
        bounded=(h_bad > 0) & (h_unpriced == 0),
    )


def fen_to_yuan(fen: int) -> Decimal:
    """Integer fen -> exact yuan."""
    return Decimal(fen).scaleb(-2)
