"""A table of many households' members as columns (the input of the vectorised engine).

Each column has a fixed dtype and range (:data:`COLUMN_TYPES`); :meth:`MemberTable.from_arrays`
checks them. A table also caches what every pricing of it reads: each member's packed code
(profile and situation, see :mod:`.compiled`), the household runs, the members with a birth
date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import HouseholdError
from ..messages import Note
from ..ratefiles.model import ASSISTED_GROUPS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .members import Household, Member

    BoolArray = NDArray[np.bool_]
    IntArray = NDArray[np.int64]

#: Bit of each assisted group in :attr:`MemberTable.groups`.
GROUP_BITS: dict[str, int] = {g: 1 << i for i, g in enumerate(ASSISTED_GROUPS)}

UNKNOWN_SEX, MALE, FEMALE = 0, 1, 2

#: Disability grade g is bit ``DISABILITY_BIT << g`` in the masks of the assisted-rule pass.
DISABILITY_BIT = 1 << (len(ASSISTED_GROUPS) + 1)

EPOCH = np.datetime64("1970-01-01", "D")

#: ``birth_date`` where it is unknown.
NO_DATE = -(2**31)


#: Every combination of assisted groups.
GROUP_COMBOS = 1 << len(GROUP_BITS)

# A member's code (MemberTable.code), 28 bits: the profile (age 8 bits, sex 2, student,
# college, employee) in the low 13 bits, the situation (disability grade 3 bits, groups 11,
# late) above them.
PROFILE_BITS = 13
PROFILES = 1 << PROFILE_BITS
SITUATION_BITS = 15
SITUATIONS = 1 << SITUATION_BITS


def member_code(table: MemberTable) -> NDArray[np.int32]:
    """Every member's code (see above): computed once per table, read by every pricing."""
    code = table.age.astype(np.int32)
    code |= table.sex.astype(np.int32) << 8
    code |= table.student.astype(np.int32) << 10
    code |= table.college.astype(np.int32) << 11
    code |= table.employee.astype(np.int32) << 12
    code |= table.disability.astype(np.int32) << PROFILE_BITS
    code |= table.groups << (PROFILE_BITS + 3)
    code |= table.late.astype(np.int32) << (PROFILE_BITS + 3 + len(GROUP_BITS))
    return code


#: The oldest age a member table accepts (as the household file does).
MAX_AGE = 130

#: Column -> (numpy dtype, lowest, highest) of a MemberTable.
COLUMN_TYPES: dict[str, tuple[type[np.generic], int, int]] = {
    "household": (np.int64, -(2**63), 2**63 - 1),
    "age": (np.int16, 0, MAX_AGE),
    "sex": (np.int8, UNKNOWN_SEX, FEMALE),
    "student": (np.bool_, 0, 1),
    "college": (np.bool_, 0, 1),
    "employee": (np.bool_, 0, 1),
    "disability": (np.int8, 0, 4),
    "groups": (np.int32, 0, (1 << len(GROUP_BITS)) - 1),
    "birth_date": (np.int32, NO_DATE, 2**31 - 1),
    "late": (np.bool_, 0, 1),
}


@dataclass(frozen=True)
class MemberTable:
    """Members of many households, one array entry per member.

    ``age`` is the age on 1 January of the coverage year; ``birth_date`` (days since
    1970-01-01, or -2**31 where unknown) refines birth-date rules. ``sex`` is 0 (unknown),
    1 (male) or 2 (female); ``groups`` is a bit mask of :data:`GROUP_BITS`; ``disability``
    0 for none or the grade 1-4. Members of one household should be contiguous (the fast
    household sums need it; other orders are summed by sorting).
    """

    household: NDArray[np.int64]
    age: NDArray[np.int16]
    sex: NDArray[np.int8]
    student: BoolArray
    college: BoolArray
    employee: BoolArray
    disability: NDArray[np.int8]
    groups: NDArray[np.int32]
    birth_date: NDArray[np.int32]
    late: BoolArray

    def __len__(self) -> int:
        return int(self.household.shape[0])

    @classmethod
    def from_arrays(cls, columns: Mapping[str, Any], *, where: str = "") -> MemberTable:
        """A validated table from columns: ``household`` and ``age`` are required, the others
        default to "no" / unknown. Every column must be one-dimensional, of the same length,
        integral (or boolean) and within its range; a bad column raises a HouseholdError
        naming it."""

        def bad(note: Note) -> HouseholdError:
            return HouseholdError(note, file=where or None)

        if "household" not in columns or "age" not in columns:
            raise bad(Note("error.columns_required", got=", ".join(columns) or "-"))
        unknown = sorted(set(columns) - set(COLUMN_TYPES))
        if unknown:
            raise bad(Note("error.column_unknown", column=unknown[0], expected=", ".join(COLUMN_TYPES)))
        n = -1
        out: dict[str, Any] = {}
        for name, (dtype, low, high) in COLUMN_TYPES.items():
            if name not in columns:
                out[name] = None
                continue
            array = np.asarray(columns[name])
            if array.ndim != 1:
                raise bad(Note("error.column_shape", column=name, ndim=array.ndim))
            if n < 0:
                n = array.shape[0]
            elif array.shape[0] != n:
                raise bad(Note("error.column_length", column=name, got=array.shape[0], expected=n))
            if not (np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_):
                raise bad(Note("error.column_dtype", column=name, dtype=str(array.dtype)))
            if array.size and (array.min() < low or array.max() > high):
                row = int(np.flatnonzero((array < low) | (array > high))[0])
                raise bad(
                    Note("error.column_range", column=name, row=row, value=array[row], low=low, high=high)
                )
            out[name] = np.ascontiguousarray(array, dtype=dtype)
        for name, (dtype, _, _) in COLUMN_TYPES.items():
            if out[name] is None:
                out[name] = np.full(n, NO_DATE if name == "birth_date" else 0, dtype=dtype)
        return cls(**out)

    @classmethod
    def from_households(
        cls, households: Sequence[Household], year: int, *, late: bool = False
    ) -> MemberTable:
        """Build the table from Household objects (household i gets id i)."""
        from ..errors import expect_type
        from .members import Household

        expect_type(year, int, "year", "a coverage year (a whole number)")
        if isinstance(households, str | bytes) or not isinstance(households, Iterable):
            expect_type(households, list, "households", "a list of Household objects")
        for i, household in enumerate(households):
            expect_type(household, Household, f"households[{i}]", "a Household (build_household(...))")
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
            household=data[:, 0].copy(),
            age=data[:, 1].astype(np.int16),
            sex=data[:, 2].astype(np.int8),
            student=data[:, 3].astype(bool),
            college=data[:, 4].astype(bool),
            employee=data[:, 5].astype(bool),
            disability=data[:, 6].astype(np.int8),
            groups=data[:, 7].astype(np.int32),
            birth_date=data[:, 8].astype(np.int32),
            late=np.full(data.shape[0], late, dtype=bool),
        )

    @functools.cached_property
    def code(self) -> NDArray[np.int32]:
        """Every member's 28-bit code (:func:`.compiled.member_code`), computed on first use."""
        return member_code(self)

    @functools.cached_property
    def runs(self) -> IntArray | None:
        """Position of each household's first member where the ids ascend, else None."""
        ids = self.household
        if ids.shape[0] == 0:
            return np.zeros(0, dtype=np.int64)
        if not bool(np.all(ids[1:] >= ids[:-1])):
            return None
        return np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))

    @functools.cached_property
    def dated(self) -> IntArray:
        """Positions of the members with a birth date."""
        return np.flatnonzero(self.birth_date != NO_DATE)

    @functools.cached_property
    def any_late(self) -> bool:
        return bool(self.late.any())

    def take(self, index: NDArray[Any]) -> MemberTable:
        """The members at ``index`` (positions or a boolean mask), as a new table."""
        return MemberTable(**{name: getattr(self, name)[index] for name in COLUMN_TYPES})


MemberRow = tuple[int, int, int, bool, bool, bool, int, int, int]


def member_row(hid: int, m: Member, age: int) -> MemberRow:
    """One member as the integer columns of a MemberTable."""
    mask = 0
    for group in m.assisted:
        mask |= GROUP_BITS[group]
    born = (m.birth_date - dt.date(1970, 1, 1)).days if m.birth_date is not None else NO_DATE
    sex = {"male": MALE, "female": FEMALE}.get(m.sex or "", UNKNOWN_SEX)
    return (hid, age, sex, m.student, m.college, m.employee, m.disability or 0, mask, born)
