"""Households: members with the facts category and assistance rules look at, and income.

Build them in Python (``Household(members=[Member(age=45), ...], income=14000)``), from
CLI member specs (:func:`~premium_calc.household.parsing.parse_member`: ``"72:female,dibao"``)
or from a TOML/JSON file (:func:`~premium_calc.household.parsing.load_household_file`).
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import Self

from ..errors import HouseholdError
from ..messages import Note
from ..ratefiles.model import ASSISTED_GROUPS, AssistedGroup, Sex

Yuan = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


#: Flags accepted after ``AGE:`` in a member spec, with their meaning (for --help).
MEMBER_FLAGS: dict[str, str] = {
    "male": "sex: male",
    "female": "sex: female",
    "student": "in primary or secondary school (中小学生)",
    "college": "in college or university (大学生)",
    "employee": "covered by employee medical insurance: pays no resident premium",
    **{f"disabled{g}": f"disability grade {g} (残疾{'一二三四'[g - 1]}级)" for g in (1, 2, 3, 4)},
    **{group: f"assisted group: {zh} / {en}" for group, (zh, en) in ASSISTED_GROUPS.items()},
}


def spec_text(spec: str, lang: str) -> str:
    """A member as :meth:`Member.describe` writes it (``70:female,dibao``), in ``lang``:
    ``70岁：女、低保`` in Chinese; a label the user gave, or an English spec, as it is."""
    from ..messages import has, tr, uses_cjk

    head, sep, tail = spec.partition(":")
    if not uses_cjk(lang) or (sep and not all(has(f"flag.{f}") for f in tail.split(","))):
        return spec
    if not sep and not head.isdigit():
        return spec  # a label or a birth date
    shown = tr("member.age", lang, age=head) if head.isdigit() else head
    flags = [tr(f"flag.{f}", lang) for f in tail.split(",")] if sep else []
    return shown + ("：" + "、".join(flags) if flags else "")


class Spec:
    """A member spec for a note's field: shown by :func:`spec_text` in the note's language
    (``str()`` and English: the spec as written)."""

    __slots__ = ("spec",)

    def __init__(self, spec: str) -> None:
        self.spec = spec

    @property
    def zh(self) -> str:
        return spec_text(self.spec, "zh")

    @property
    def en(self) -> str:
        return self.spec

    def __str__(self) -> str:
        return self.spec

    def __repr__(self) -> str:
        return f"Spec({self.spec!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spec) and other.spec == self.spec

    def __hash__(self) -> int:
        return hash(self.spec)


#: How deep inside model construction this thread is (see :class:`_Checked`).
_BUILDING: ContextVar[int] = ContextVar("premium_calc_building", default=0)


#: The ages at which a flag is plausible (age on 1 January of the coverage year, both ends
#: included; ``None``: no upper end): a school student (中小学生, from kindergarten-age pupils
#: to late secondary school), a college student, a worker covered by employee insurance
#: (the legal working age is 16, 劳动法 Art. 15). A 70-year-old "student" is a slip.
FLAG_AGES: dict[str, tuple[int, int | None]] = {
    "student": (3, 30),
    "college": (14, None),
    "employee": (16, None),
}


def implausible_flag(flag: str, age: int) -> Note | None:
    """Why a member of this age cannot have this flag, or ``None``."""
    low, high = FLAG_AGES[flag]
    if age < low or (high is not None and age > high):
        top = high if high is not None else 130
        return Note("error.flag_age", flag=Note(f"flag.{flag}"), age=age, low=low, high=top)
    return None


class _Checked(BaseModel):
    """A model built by people: ``Member(age=-1)`` raises a :class:`HouseholdError` that names
    the field in one line (in English and Chinese), not pydantic's ValidationError
    (``model_validate``, pydantic's own entry, keeps raising that)."""

    model_config = ConfigDict(defer_build=True)  # no schema built at import (it has no fields)

    def __init__(self, /, **data: Any) -> None:
        # pydantic calls this __init__ for nested members too: only the outermost call turns
        # the ValidationError (whose locations pydantic merges) into a HouseholdError.
        depth = _BUILDING.get()
        token = _BUILDING.set(depth + 1)
        try:
            super().__init__(**data)
        except ValidationError as exc:
            if depth:
                raise
            from ..ratefiles.pydantic_errors import household_error_text

            raise HouseholdError(household_error_text(exc)) from None
        finally:
            _BUILDING.reset(token)

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """pydantic's own entry: its ValidationError (with every location) is kept for the
        caller to word, as :func:`~premium_calc.household.parsing.load_household_file` does
        with the file's name."""
        token = _BUILDING.set(_BUILDING.get() + 1)
        try:
            return super().model_validate(obj, **kwargs)
        finally:
            _BUILDING.reset(token)


class Member(_Checked):
    """One person in the household.

    Give ``age`` (whole years on 1 January of the coverage year) or ``birth_date``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    age: int | None = Field(default=None, ge=0, le=130, strict=True)  # true is not an age
    birth_date: dt.date | None = Field(default=None, ge=dt.date(1890, 1, 1), le=dt.date(2100, 12, 31))
    sex: Sex | None = None
    student: bool = False
    college: bool = False
    disability: int | None = Field(default=None, ge=1, le=4, strict=True)
    assisted: tuple[AssistedGroup, ...] = ()
    employee: bool = False
    income: Yuan | None = None
    label: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Member:
        if self.age is None and self.birth_date is None:
            raise PydanticCustomError("schema.member_needs_age", "a member needs an age or a birth date")
        if self.student and self.college:
            raise PydanticCustomError(
                "schema.member_student_college", "a member is a school student or a college student, not both"
            )
        for flag in FLAG_AGES:
            wrong = implausible_flag(flag, self.age) if getattr(self, flag) and self.age is not None else None
            if wrong is not None:
                raise PydanticCustomError("schema.flag_age", str(wrong), dict(wrong.fields))
        return self

    def age_in(self, coverage_year: int) -> int:
        """Age in whole years on 1 January of the coverage year; a baby born during the
        coverage year itself (newborns enrol in their birth year) is 0."""
        if self.birth_date is None:
            assert self.age is not None
            return self.age
        day = dt.date(coverage_year, 1, 1)
        b = self.birth_date
        age = day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        if age < 0 and b.year == coverage_year:
            return 0
        if age < 0:
            raise HouseholdError(
                Note("error.not_yet_born", born=b.isoformat(), year=coverage_year), field="birth_date"
            )
        return age

    def birth_range(self, coverage_year: int) -> tuple[dt.date, dt.date]:
        """The earliest and latest possible birth date (exact when the birth date is known)."""
        if self.birth_date is not None:
            return self.birth_date, self.birth_date
        assert self.age is not None
        # Age A on 1 January Y: born between 2 January Y-A-1 and 1 January Y-A.
        return dt.date(coverage_year - self.age - 1, 1, 2), dt.date(coverage_year - self.age, 1, 1)

    def describe(self) -> str:
        """A short label such as ``45`` or ``72:female,dibao``."""
        if self.label:
            return self.label
        head = self.birth_date.isoformat() if self.birth_date else str(self.age)
        flags: list[str] = [f for f in (self.sex,) if f]
        flags += [f for f in ("student", "college", "employee") if getattr(self, f)]
        if self.disability:
            flags.append(f"disabled{self.disability}")
        flags += list(self.assisted)
        return head + (":" + ",".join(flags) if flags else "")


class Household(_Checked):
    """Members and income. ``income`` is the annual household total in yuan; or give each
    member an ``income`` and the total is their sum."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    members: tuple[Member, ...] = Field(min_length=1)
    income: Yuan | None = None

    @model_validator(mode="after")
    def _check(self) -> Household:
        has_member_income = any(m.income is not None for m in self.members)
        if self.income is not None and has_member_income:
            raise PydanticCustomError(
                "schema.household_two_incomes", "give the household income or per-member incomes, not both"
            )
        return self

    @property
    def annual_income(self) -> Decimal | None:
        """The household's annual income: given, or the sum of every member's; ``None`` when
        none is given or when some members give one and others do not (see
        :attr:`members_without_income`): a member left out is not counted as earning 0."""
        if self.income is not None:
            return self.income
        if self.members_without_income:
            return None
        incomes = [m.income for m in self.members if m.income is not None]
        return sum(incomes, Decimal(0)) if incomes else None

    @property
    def members_without_income(self) -> list[int]:
        """Where some members give an income, the (1-based) numbers of those who give none;
        empty when the household income is given, or no member gives one."""
        if self.income is not None or all(m.income is None for m in self.members):
            return []
        return [i for i, m in enumerate(self.members, start=1) if m.income is None]

    @property
    def size(self) -> int:
        return len(self.members)


class HouseholdFile(_Checked):
    """A household file: the household, and optionally where and when to price it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    region: str | None = None
    year: int | None = None
    tier: str | None = None
    description: str | None = None
    source: str | None = None
    members: tuple[Member, ...] = Field(min_length=1)
    income: Yuan | None = None

    def household(self) -> Household:
        """The household; a file that gives both a household income and member incomes is
        refused with a HouseholdError (never a bare validation error)."""
        return Household(members=self.members, income=self.income)
