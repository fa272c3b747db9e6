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
from ..ratefiles.pydantic_errors import _first_error
from .members import MEMBER_FLAGS, Household, HouseholdFile, Member

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
