"""Households from what people type: member specs (``72:female,dibao``), lists of them, and
household files (TOML or JSON).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from ..errors import HouseholdError
from ..ratefiles.model import AssistedGroup

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
from ..messages import Note
from ..ratefiles.pydantic_errors import household_error_text
from .members import MEMBER_FLAGS, Household, HouseholdFile, Member

_GROUPS = set(get_args(AssistedGroup))


def _at(where: str, key: str, **fields: object) -> Note:
    """A problem with one member spec: ``--member '45x': ...`` (the spec, then what is wrong)."""
    return Note("error.at_member", where=where, detail=Note(key, **fields))


def parse_member(spec: str, *, index: int = 1, where: str | None = None) -> Member:
    """Parse ``AGE[:flag,...]`` or ``YYYY-MM-DD[:flag,...]`` (see :data:`MEMBER_FLAGS`).

    ``where`` names the spec in error messages (default ``--member '<spec>'``)."""
    where = f"--member {spec!r}" if where is None else where
    head, _, tail = spec.strip().partition(":")
    fields: dict[str, Any] = {}
    head = head.strip()
    if not head:
        raise HouseholdError(_at(where, "error.member_empty"))
    if "-" in head[1:]:
        try:
            fields["birth_date"] = dt.date.fromisoformat(head)
        except ValueError:
            raise HouseholdError(_at(where, "error.member_not_a_date", value=repr(head))) from None
    else:
        try:
            age = int(head)
        except ValueError:
            raise HouseholdError(_at(where, "error.member_not_an_age", value=repr(head))) from None
        if not 0 <= age <= 130:
            raise HouseholdError(_at(where, "error.member_age_impossible", age=age))
        fields["age"] = age
    groups: list[str] = []
    for raw in filter(None, (f.strip().lower() for f in tail.split(","))):
        if raw in ("male", "female", "m", "f"):
            sex = {"m": "male", "f": "female"}.get(raw, raw)
            if "sex" in fields and fields["sex"] != sex:
                raise HouseholdError(_at(where, "error.member_both_sexes"))
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
            hint = Note("error.did_you_mean_flag", flag=close[0]) if close else ""
            raise HouseholdError(
                _at(
                    where, "error.member_unknown_flag", flag=repr(raw), hint=hint,
                    flags=", ".join(MEMBER_FLAGS),
                )
            )
    if groups:
        fields["assisted"] = tuple(groups)
    try:
        return Member(**fields)
    except ValidationError as exc:
        raise HouseholdError(Note("error.at_member", where=where, detail=household_error_text(exc))) from None


def build_household(
    members: Iterable[Member | str], income: Decimal | int | str | None = None
) -> Household:
    """A household from members or member specs, with an optional annual income."""
    parsed = [
        parse_member(m, index=i) if isinstance(m, str) else m
        for i, m in enumerate(members, start=1)
    ]
    if not parsed:
        raise HouseholdError(Note("error.household_no_members"))
    value: Decimal | None = None
    if income is not None:
        try:
            value = Decimal(str(income))
        except ArithmeticError:
            raise HouseholdError(_not_an_amount(income), field="income") from None
        if not value.is_finite():
            raise HouseholdError(_not_an_amount(income), field="income")
        if value < 0:
            raise HouseholdError(Note("error.income_negative", value=value), field="income")
    try:
        return Household(members=tuple(parsed), income=value)
    except ValidationError as exc:
        raise HouseholdError(household_error_text(exc)) from None


def _not_an_amount(income: object) -> Note:
    return Note("error.income_not_an_amount", value=repr(income))


def load_household_file(path: Path | str) -> HouseholdFile:
    """Read a household from a ``.toml`` or ``.json`` file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise HouseholdError(Note("error.cannot_read", reason=exc.strerror or exc), file=str(p)) from None
    except UnicodeDecodeError:
        raise HouseholdError(Note("error.not_utf8"), file=str(p)) from None
    data: Any
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text, parse_float=Decimal)
        else:
            data = tomllib.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        invalid = Note("error.invalid_json", line=exc.lineno, detail=exc.msg)
        raise HouseholdError(invalid, file=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        raise HouseholdError(Note("error.invalid_toml", detail=exc), file=str(p)) from None
    if not isinstance(data, dict):
        raise HouseholdError(Note("error.household_not_a_table"), file=str(p))
    try:
        return HouseholdFile.model_validate(data)
    except ValidationError as exc:
        raise HouseholdError(household_error_text(exc), file=str(p)) from None
