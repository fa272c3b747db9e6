"""A schedule compiled into look-up tables, so pricing a member is a few array look-ups.

Where no assisted rule has conditions (127 of the 135 bundled region-years) and no member has
a birth date, what a member pays depends only on

* their *profile*: employee, sex (or unknown), student, college and age on 1 January, which
  decides the category (or the missing fact), and
* their *situation*: late enrolment, the assisted groups they belong to and their disability
  grade, which decide the assisted rule.

Both are packed into one 28-bit code per member (:func:`member_code`, computed once per table).

:func:`compile_schedule` runs the general rules of :mod:`.batch_rules` once over every profile,
and once over every (class of profile, situation); pricing a table is then two keys and
look-ups per member. The tables are therefore exactly what the general rules give; the tests
hold the two paths to each other and to the scalar path on every region-year.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..ratebook.schedule import Schedule
from .batch_rules import ASSIST_UNKNOWN, LATE, NEEDS_SEX, OK, assist, categorise, to_fen
from .member_table import (
    GROUP_BITS,
    GROUP_COMBOS,
    PROFILE_BITS,
    PROFILES,
    SITUATION_BITS,
    SITUATIONS,
    MemberTable,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray


def decode_codes(code: NDArray[np.int64]) -> dict[str, Any]:
    """Member columns of codes (values no member can have are clipped: those rows are unused)."""
    return {
        "household": code,
        "age": np.minimum(code & 0xFF, 130),
        "sex": np.minimum((code >> 8) & 3, 2),
        "student": ((code >> 10) & 1).astype(bool),
        "college": ((code >> 11) & 1).astype(bool),
        "employee": ((code >> 12) & 1).astype(bool),
        "disability": np.minimum((code >> PROFILE_BITS) & 7, 4),
        "groups": (code >> (PROFILE_BITS + 3)) & (GROUP_COMBOS - 1),
        "late": ((code >> (PROFILE_BITS + 3 + len(GROUP_BITS))) & 1).astype(bool),
    }


@dataclass(frozen=True)
class Outcomes:
    """What members in each situation row pay and why (one entry per row of the table)."""

    category: NDArray[np.int16]
    rule: NDArray[np.int16]
    status: NDArray[np.int16]
    gross: NDArray[np.int64]
    paid: NDArray[np.int64]
    paid_low: NDArray[np.int64]

    @property
    def bad(self) -> NDArray[np.bool_]:
        return np.asarray(self.status >= NEEDS_SEX)

    @property
    def unpriced(self) -> NDArray[np.bool_]:
        return np.asarray(self.bad & (self.status != ASSIST_UNKNOWN))


@dataclass(frozen=True)
class CompiledSchedule:
    """Look-up tables of one schedule and tier."""

    #: Profile (low 13 bits of a code) -> class of profile, shifted into the bits above a
    #: situation, so that ``class_of[code & (PROFILES - 1)] | (code >> PROFILE_BITS)`` is the
    #: member's row in :attr:`outcomes`.
    class_of: NDArray[np.int32]
    outcomes: Outcomes

    def rows(self, code: NDArray[np.int32]) -> NDArray[np.int32]:
        """Each member's row in :attr:`outcomes`."""
        row: NDArray[np.int32] = self.class_of[code & (PROFILES - 1)]
        row |= code >> PROFILE_BITS
        return row


def _grid(columns: dict[str, Any]) -> MemberTable:
    return MemberTable.from_arrays(columns)


def _build(schedule: Schedule, tier: str | None) -> CompiledSchedule:
    # 1. Every profile, by the general category rules.
    profiles = decode_codes(np.arange(PROFILES, dtype=np.int64))
    category, status, gross = categorise(schedule, _grid(profiles), tier)
    # Profiles with the same category, status and gross are one class (a representative
    # profile stands for each: without conditions, assisted rules read nothing else).
    signature = np.stack([category.astype(np.int64), status.astype(np.int64), gross])
    _, first, profile_class = np.unique(signature, axis=1, return_index=True, return_inverse=True)
    classes = first.shape[0]
    # 2. Every class x situation.
    row = np.arange(classes * SITUATIONS, dtype=np.int64)
    cls = row >> SITUATION_BITS
    pick = first[cls]
    situation = decode_codes(((row & (SITUATIONS - 1)) << PROFILE_BITS) | pick)
    situation["household"] = row
    outcomes = price_members(schedule, _grid(situation), tier, category[pick], status[pick], gross[pick])
    class_of = (profile_class.reshape(-1).astype(np.int32)) << SITUATION_BITS
    return CompiledSchedule(class_of=class_of, outcomes=outcomes)


def price_members(
    schedule: Schedule,
    table: MemberTable,
    tier: str | None,
    category: NDArray[np.int16],
    status: NDArray[np.int16],
    gross: NDArray[np.int64],
) -> Outcomes:
    """Assisted rules and late enrolment over categorised members (the general path)."""
    paid = gross
    rule = np.full(len(table), -1, dtype=np.int16)
    if schedule.assisted:
        from .batch_rules import needs_assist_pass

        candidates = np.flatnonzero(needs_assist_pass(schedule, table) & (status == OK))
        if candidates.size:
            p, r, s = assist(schedule, table.take(candidates), gross[candidates], status[candidates])
            paid = gross.copy()
            status = status.copy()
            paid[candidates], rule[candidates], status[candidates] = p, r, s
    if schedule.late is not None and bool(table.late.any()):
        late = table.late & (status == OK) & (rule == -1)
        gross = np.where(late, to_fen(schedule.late.amount), gross)
        paid = np.where(late, gross, paid)
        status = np.where(late, LATE, status).astype(np.int16)
    bad = status >= NEEDS_SEX
    unpriced = bad & (status != ASSIST_UNKNOWN)
    if bool(unpriced.any()):
        gross = np.where(unpriced, 0, gross)
        paid = np.where(unpriced, 0, paid)
    paid_low = np.where(status == ASSIST_UNKNOWN, 0, paid) if bool(bad.any()) else paid
    return Outcomes(category=category, rule=rule, status=status, gross=gross, paid=paid, paid_low=paid_low)


_CACHE: OrderedDict[tuple[int, str | None], tuple[Schedule, CompiledSchedule]] = OrderedDict()
_CACHE_SIZE = 64


def compile_schedule(schedule: Schedule, tier: str | None) -> CompiledSchedule | None:
    """The schedule's look-up tables (cached), or None where an assisted rule has conditions
    (those members go through the general rules)."""
    if any(a.rule.conditions for a in schedule.assisted):
        return None
    key = (id(schedule), tier)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is schedule:
        _CACHE.move_to_end(key)
        return hit[1]
    compiled = _build(schedule, tier)
    _CACHE[key] = (schedule, compiled)  # the schedule is kept, so its id stays its own
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return compiled
