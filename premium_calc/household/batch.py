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

Fast path: members without a birth date are categorised through a look-up table built by
running the same rules once over every (employee, sex, student, college, age) profile; only
members with a birth date, and only members an assisted rule could speak of, go through the
general rule passes; household sums use the boundaries of contiguous household ids.

Typical use::

    table = MemberTable.from_households(households, year=2025)
    result = price_batch(book.schedule("cn/hunan", 2025), table)
    result.household_paid_fen      # int64 array, one entry per household
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import DataMissingError
from ..messages import Note
from ..ratebook.schedule import Schedule
from .batch_rules import (
    ASSIST_UNKNOWN,
    EMPLOYEE,
    LATE,
    NEEDS_BIRTH_DATE,
    NEEDS_SEX,
    NO_AMOUNT,
    OK,
    categorise,
    to_fen,
)
from .compiled import CompiledSchedule, Outcomes, compile_schedule, decode_codes, price_members
from .member_table import (
    GROUP_BITS,
    MAX_AGE,
    NO_DATE,
    PROFILES,
    MemberRow,
    MemberTable,
    member_row,
)
from .rules import check_tier

if TYPE_CHECKING:
    from numpy.typing import NDArray

    BoolArray = NDArray[np.bool_]
    IntArray = NDArray[np.int64]

__all__ = [
    "ASSIST_UNKNOWN", "EMPLOYEE", "GROUP_BITS", "LATE", "MAX_AGE", "NEEDS_BIRTH_DATE", "NEEDS_SEX",
    "NO_AMOUNT", "NO_DATE", "OK", "STATUS_NAMES", "BatchResult", "MemberRow", "MemberTable",
    "fen_to_yuan", "member_row", "price_batch", "run_sums", "to_fen",
]  # fmt: skip


STATUS_NAMES = {
    OK: "resident",
    EMPLOYEE: "employee",
    LATE: "late",
    NEEDS_SEX: "needs sex",
    NEEDS_BIRTH_DATE: "needs birth date",
    NO_AMOUNT: "no sourced amount",
    ASSIST_UNKNOWN: "assisted, amount unknown",
}


@dataclass(frozen=True)
class BatchResult:
    """Per-member and per-household results, in integer fen.

    The per-member columns (``category``, ``rule``, ``status``, ``gross_fen``,
    ``assistance_fen``, ``paid_fen``, ``paid_low_fen``) are looked up when first read where
    the schedule was compiled (:mod:`.compiled`), so a run that needs only household totals
    never builds them."""

    members: Outcomes | _Lookup
    households: IntArray  # the household ids: in table order if ascending, else sorted
    household_gross_fen: IntArray
    household_paid_fen: IntArray
    household_members: IntArray
    valid: BoolArray  # per household: every member priced
    #: Per household, the least it may pay; with ``bounded`` the only unknown is assistance.
    household_paid_low_fen: IntArray
    bounded: BoolArray
    #: Position of each household's first member, where the ids were in ascending order.
    household_starts: IntArray | None = None

    @property
    def category(self) -> NDArray[np.int16]:
        """Index into ``schedule.categories``, -1 where none."""
        return self.members.category

    @property
    def rule(self) -> NDArray[np.int16]:
        """Index into ``schedule.assisted``, -1 where none."""
        return self.members.rule

    @property
    def status(self) -> NDArray[np.int16]:
        return self.members.status

    @property
    def gross_fen(self) -> IntArray:
        return self.members.gross

    @property
    def paid_fen(self) -> IntArray:
        """What each member pays (for ``ASSIST_UNKNOWN``: the most they may pay)."""
        return self.members.paid

    @property
    def paid_low_fen(self) -> IntArray:
        """The least each member may pay (= ``paid_fen`` except for ``ASSIST_UNKNOWN``)."""
        return self.members.paid_low

    @property
    def assistance_fen(self) -> IntArray:
        return self.members.gross - self.members.paid

    def household_burden(self, income_yuan: NDArray[Any]) -> NDArray[np.float64]:
        """Paid / income per household (float ratios for analysis; NaN where not valid or
        the income is not positive). Money stays exact in the fen arrays."""
        income = np.asarray(income_yuan, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = self.household_paid_fen / (income * 100)
        return np.where(self.valid & (income > 0), ratio, np.nan)


class _Lookup:
    """Per-member columns of a compiled run, each looked up on first use."""

    def __init__(self, outcomes: Outcomes, key: NDArray[np.int32]) -> None:
        self._outcomes = outcomes
        self._key = key
        self._done: dict[str, NDArray[Any]] = {}

    def _column(self, name: str) -> NDArray[Any]:
        if name not in self._done:
            self._done[name] = getattr(self._outcomes, name)[self._key]
        return self._done[name]

    category = property(lambda self: self._column("category"))
    rule = property(lambda self: self._column("rule"))
    status = property(lambda self: self._column("status"))
    gross = property(lambda self: self._column("gross"))
    paid = property(lambda self: self._column("paid"))
    paid_low = property(lambda self: self._column("paid_low"))


def price_batch(
    schedule: Schedule, table: MemberTable, *, tier: str | None = None, compiled: bool = True
) -> BatchResult:
    """Price every member of the table under the schedule (see the module docstring).
    ``compiled=False`` takes the general path for every member (the tests compare the two)."""
    from ..errors import expect_type

    expect_type(schedule, Schedule, "schedule", "a Schedule (book.standard(...))")
    expect_type(table, MemberTable, "table", "a MemberTable (MemberTable.from_households(...))")
    chosen = check_tier(schedule, tier)
    if schedule.late is None and table.any_late:
        raise DataMissingError(
            schedule.region,
            schedule.coverage_year,
            Note("error.what_late"),
            Note("error.no_late_amount"),
            kind="late",
        )
    tables = compile_schedule(schedule, chosen) if compiled else None
    if tables is not None and not table.dated.size:
        return _households_compiled(table, tables)
    # The general path: categories by the profile table where there is no birth date.
    category, status, gross = category_codes(schedule, table, chosen)
    outcomes = price_members(schedule, table, chosen, category, status, gross)
    return household_sums(table, outcomes)


def category_codes(
    schedule: Schedule, table: MemberTable, tier: str | None
) -> tuple[NDArray[np.int16], NDArray[np.int16], IntArray]:
    profiles = decode_codes(np.arange(PROFILES, dtype=np.int64))
    lut_category, lut_status, lut_gross = categorise(schedule, MemberTable.from_arrays(profiles), tier)
    key = table.code & (PROFILES - 1)
    category, status, gross = lut_category[key], lut_status[key], lut_gross[key]
    dated = table.dated
    if dated.size:
        c, s, g = categorise(schedule, table.take(dated), tier)
        category[dated], status[dated], gross[dated] = c, s, g
    return category, status, gross


def _households_compiled(table: MemberTable, compiled: CompiledSchedule) -> BatchResult:
    starts = table.runs
    key = compiled.rows(table.code)
    members = _Lookup(compiled.outcomes, key)
    out = compiled.outcomes
    if starts is None:
        return household_sums(table, members)
    n = len(table)
    count = np.diff(np.append(starts, n)).astype(np.int64)
    largest = int(count.max()) if count.size else 0
    top = int(max(out.gross.max(initial=0), out.paid.max(initial=0)))
    if top * largest >= 2**31:
        return household_sums(table, members)
    # Two members' worth of sums in one pass: gross in the low 32 bits, paid in the high
    # ones (household totals below 2**31 fen, checked above; the running totals may wrap
    # around in int64, their differences do not).
    money = out.gross | (out.paid << 32)
    both = run_sums(money[key], starts)
    h_gross, h_paid = both & 0xFFFFFFFF, both >> 32
    if bool(out.bad.any()):
        flags = out.paid_low | (out.bad.astype(np.int64) << 32) | (out.unpriced.astype(np.int64) << 48)
        more = run_sums(flags[key], starts)
        h_low = more & 0xFFFFFFFF
        h_bad, h_unpriced = (more >> 32) & 0xFFFF, more >> 48
        valid, bounded = h_bad == 0, (h_bad > 0) & (h_unpriced == 0)
    else:
        h_low = h_paid
        valid = np.ones(starts.shape[0], dtype=bool)
        bounded = np.zeros(starts.shape[0], dtype=bool)
    return BatchResult(
        members=members,
        households=table.household[starts],
        household_gross_fen=h_gross,
        household_paid_fen=h_paid,
        household_members=count,
        valid=valid,
        household_paid_low_fen=h_low,
        bounded=bounded,
        household_starts=starts,
    )


def household_sums(table: MemberTable, members: Outcomes | _Lookup) -> BatchResult:
    """Sum members into households: by run boundaries where the ids are in ascending order
    (each household one run), else by sorting."""
    ids = table.household
    gross, paid, paid_low, status = members.gross, members.paid, members.paid_low, members.status
    bad = status >= NEEDS_SEX
    unpriced = bad & (status != ASSIST_UNKNOWN)
    starts = table.runs
    if starts is None:
        households, slot = np.unique(ids, return_inverse=True)
        count = np.bincount(slot, minlength=households.shape[0]).astype(np.int64)

        def total(values: NDArray[Any]) -> IntArray:
            out = np.zeros(households.shape[0], dtype=np.int64)
            np.add.at(out, slot, values)
            return out
    else:
        households = ids[starts]
        count = np.diff(np.append(starts, len(table))).astype(np.int64)

        def total(values: NDArray[Any]) -> IntArray:
            return run_sums(values, starts)

    h_paid = total(paid)
    h_bad = total(bad)
    return BatchResult(
        members=members,
        households=households,
        household_gross_fen=total(gross),
        household_paid_fen=h_paid,
        household_members=count,
        valid=h_bad == 0,
        household_paid_low_fen=h_paid if paid_low is paid else total(paid_low),
        bounded=(h_bad > 0) & (total(unpriced) == 0),
        household_starts=starts,
    )


def run_sums(values: NDArray[Any], starts: IntArray) -> IntArray:
    """Sums over the runs beginning at ``starts``: running totals read at each run's last
    member, differenced (exact in int64; one pass, faster than np.add.reduceat over many
    short runs)."""
    if values.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.append(starts[1:], values.shape[0]) - 1
    running: IntArray = np.cumsum(values, dtype=np.int64)[ends]
    running[1:] -= running[:-1].copy()
    return running


def fen_to_yuan(fen: int) -> Decimal:
    """Integer fen -> exact yuan."""
    return Decimal(fen).scaleb(-2)
