"""Households: members with the facts category and assistance rules look at, and income.

Build them in Python (``Household(members=[Member(age=45), ...], income=14000)``), from
CLI member specs (``parse_member("72:female,dibao")``) or from a TOML/JSON file
(:func:`load_household_file`).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import HouseholdError
from .schema import ASSISTED_GROUPS, AssistedGroup, Sex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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


class Member(BaseModel):
    """One person in the household.

    Give ``age`` (whole years on 1 January of the coverage year) or ``birth_date``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    age: int | None = Field(default=None, ge=0, le=130)
    birth_date: dt.date | None = None
    sex: Sex | None = None
    student: bool = False
    college: bool = False
    disability: int | None = Field(default=None, ge=1, le=4)
    assisted: tuple[AssistedGroup, ...] = ()
    employee: bool = False
    income: Yuan | None = None
    label: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Member:
        if self.age is None and self.birth_date is None:
            raise ValueError("a member needs an age or a birth date")
        if self.student and self.college:
            raise ValueError("a member is a school student or a college student, not both")
        return self

    def age_in(self, coverage_year: int) -> int:
        """Age in whole years on 1 January of the coverage year."""
        if self.birth_date is None:
            assert self.age is not None
            return self.age
        day = dt.date(coverage_year, 1, 1)
        b = self.birth_date
        age = day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        if age < 0:
            raise HouseholdError(
                f"born {b.isoformat()}, after 1 January {coverage_year}: not yet born in that"
                " coverage year (expected a birth date before the year)",
                field="birth_date",
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


class Household(BaseModel):
    """Members and income. ``income`` is the annual household total in yuan; or give each
    member an ``income`` and the total is their sum."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    members: tuple[Member, ...] = Field(min_length=1)
    income: Yuan | None = None

    @model_validator(mode="after")
    def _check(self) -> Household:
        has_member_income = any(m.income is not None for m in self.members)
        if self.income is not None and has_member_income:
            raise ValueError("give the household income or per-member incomes, not both")
        return self

    @property
    def annual_income(self) -> Decimal | None:
        if self.income is not None:
            return self.income
        incomes = [m.income for m in self.members if m.income is not None]
        return sum(incomes, Decimal(0)) if incomes else None

    @property
    def size(self) -> int:
        return len(self.members)


class HouseholdFile(BaseModel):
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
        return Household(members=self.members, income=self.income)


_GROUPS = set(get_args(AssistedGroup))


def parse_member(spec: str, *, index: int = 1) -> Member:
    """Parse ``AGE[:flag,...]`` or ``YYYY-MM-DD[:flag,...]`` (see :data:`MEMBER_FLAGS`)."""
    where = f"--member {spec!r}"
    head, _, tail = spec.strip().partition(":")
    fields: dict[str, Any] = {}
    head = head.strip()
    if not head:
        raise HouseholdError(f"{where}: expected AGE[:flag,...], e.g. 45 or 12:student")
    if "-" in head[1:]:
        try:
            fields["birth_date"] = dt.date.fromisoformat(head)
        except ValueError:
            raise HouseholdError(f"{where}: {head!r} is not a date (expected YYYY-MM-DD)") from None
    else:
        try:
            age = int(head)
        except ValueError:
            raise HouseholdError(
                f"{where}: {head!r} is not an age (expected a whole number 0-130 or YYYY-MM-DD)"
            ) from None
        if not 0 <= age <= 130:
            raise HouseholdError(f"{where}: age {age} is impossible (expected 0-130)")
        fields["age"] = age
    groups: list[str] = []
    for raw in filter(None, (f.strip().lower() for f in tail.split(","))):
        if raw in ("male", "female", "m", "f"):
            sex = {"m": "male", "f": "female"}.get(raw, raw)
            if "sex" in fields and fields["sex"] != sex:
                raise HouseholdError(f"{where}: both male and female given")
            fields["sex"] = sex
        elif raw in ("student", "college", "employee"):
            fields[raw] = True
        elif raw.startswith("disabled") and raw[8:] in ("1", "2", "3", "4"):
            fields["disability"] = int(raw[8:])
        elif raw in _GROUPS:
            groups.append(raw)
        else:
            import difflib

            close = difflib.get_close_matches(raw, list(MEMBER_FLAGS), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise HouseholdError(
                f"{where}: unknown flag {raw!r}{hint}; expected one of {', '.join(MEMBER_FLAGS)}"
            )
    if groups:
        fields["assisted"] = tuple(groups)
    try:
        return Member(**fields)
    except ValidationError as exc:
        raise HouseholdError(f"{where}: {_first_error(exc)}") from None


def build_household(
    members: Iterable[Member | str], income: Decimal | int | str | None = None
) -> Household:
    """A household from members or member specs, with an optional annual income."""
    parsed = [
        parse_member(m, index=i) if isinstance(m, str) else m
        for i, m in enumerate(members, start=1)
    ]
    if not parsed:
        raise HouseholdError("a household needs at least one member (expected --member AGE)")
    value: Decimal | None = None
    if income is not None:
        try:
            value = Decimal(str(income))
        except ArithmeticError:
            raise HouseholdError(f"{income!r} is not an amount in yuan", field="income") from None
        if not value.is_finite():
            raise HouseholdError(f"{income!r} is not an amount in yuan", field="income")
        if value < 0:
            raise HouseholdError(
                f"{value} is negative (expected an annual household income >= 0 yuan)",
                field="income",
            )
    try:
        return Household(members=tuple(parsed), income=value)
    except ValidationError as exc:
        raise HouseholdError(_first_error(exc)) from None


def load_household_file(path: Path | str) -> HouseholdFile:
    """Read a household from a ``.toml`` or ``.json`` file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise HouseholdError(f"cannot read the file ({exc.strerror or exc})", file=str(p)) from None
    except UnicodeDecodeError:
        raise HouseholdError("the file is not UTF-8 text", file=str(p)) from None
    data: Any
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text, parse_float=Decimal)
        else:
            data = tomllib.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise HouseholdError(
            f"line {exc.lineno}: {exc.msg} (expected valid JSON)", file=str(p)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise HouseholdError(f"{exc} (expected valid TOML)", file=str(p)) from None
    if not isinstance(data, dict):
        raise HouseholdError("expected a table with members and income", file=str(p))
    try:
        return HouseholdFile.model_validate(data)
    except ValidationError as exc:
        raise HouseholdError(_first_error(exc), file=str(p)) from None


def _first_error(exc: ValidationError) -> str:
    from .tomlpos import format_path

    err = exc.errors(include_url=False)[0]
    msg = err["msg"].removeprefix("Value error, ")
    key = format_path(tuple(err["loc"]))
    value = err.get("input")
    shown = "" if err["type"] == "missing" or isinstance(value, dict | list) else f"{value!r}: "
    if err["type"] == "missing":
        msg = "this key is required"
    elif err["type"] == "extra_forbidden":
        msg = (
            "unknown key (expected age, birth_date, sex, student, college, disability,"
            " assisted, employee, income, label)"
        )
    return f"{key + ': ' if key else ''}{shown}{msg[0].lower() + msg[1:]}"
