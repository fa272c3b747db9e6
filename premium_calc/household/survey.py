"""Survey files: one CSV row per member in, a :class:`~premium_calc.household.batch.MemberTable` out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray


    BoolArray = NDArray[np.bool_]
    IntArray = NDArray[np.int64]
from .batch import MemberTable, _member_row, _Row, to_fen


@dataclass(frozen=True)
class SurveyFile:
    """Members read from a CSV file, with household labels and incomes."""

    table: MemberTable
    labels: list[str]  # household label of each household id
    income_fen: IntArray  # per household; -1 where no income was given


CSV_COLUMNS = ("household", "age", "birth_date", "sex", "flags", "income")


def read_survey_csv(
    path: str, year: int, *, late: bool = False, progress: Any = None
) -> SurveyFile:
    """Read members from CSV: ``household,age,sex,flags,income`` (``birth_date`` optional).

    One row per member; ``household`` is any label; ``flags`` are the ``--member`` flags
    separated by ``;`` or spaces; ``income`` is the member's annual income in yuan (a
    household's income is the sum over its members; leave it empty where unknown).
    ``progress`` is called with the number of rows read so far (for progress bars).
    """
    import csv
    from decimal import InvalidOperation

    from ..errors import HouseholdError
    from .parsing import parse_member

    labels: dict[str, int] = {}
    rows: list[_Row] = []
    income: dict[int, int] = {}
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise HouseholdError(f"cannot read the file ({exc.strerror or exc})", file=path) from None
    with handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        missing = [c for c in ("household",) if c not in fields]
        if missing or ("age" not in fields and "birth_date" not in fields):
            raise HouseholdError(
                f"expected a header with columns household, age (or birth_date), and optionally"
                f" sex, flags, income; got {', '.join(fields) or 'no header'}",
                file=path,
            )
        for line, row in enumerate(reader, start=2):
            where = f"{path}:{line}"
            head = (row.get("birth_date") or "").strip() or (row.get("age") or "").strip()
            flags = [f for f in (row.get("flags") or "").replace(";", " ").split() if f]
            sex = (row.get("sex") or "").strip()
            spec = head + (":" + ",".join(([sex] if sex else []) + flags) if sex or flags else "")
            try:
                member = parse_member(spec)
            except HouseholdError as exc:
                raise HouseholdError(f"{where}: {exc.message.split(': ', 1)[-1]}") from None
            label = (row.get("household") or "").strip()
            if not label:
                raise HouseholdError(f"{where}: household: empty (expected a household label)")
            hid = labels.setdefault(label, len(labels))
            raw_income = (row.get("income") or "").strip()
            if raw_income:
                try:
                    value = to_fen(Decimal(raw_income))
                except (InvalidOperation, ValueError):
                    raise HouseholdError(
                        f"{where}: income: {raw_income!r} is not an amount in yuan"
                    ) from None
                if value < 0:
                    raise HouseholdError(f"{where}: income: {raw_income} is negative (expected >= 0)")
                income[hid] = income.get(hid, 0) + value
            try:
                age = member.age_in(year)
            except HouseholdError as exc:
                raise HouseholdError(f"{where}: {exc.message}") from None
            rows.append(_member_row(hid, member, age))
            if progress is not None and line % 10_000 == 0:
                progress(line - 1)
    if not rows:
        raise HouseholdError("no members (expected one row per member after the header)", file=path)
    table = MemberTable.from_rows(rows, late=late)
    incomes = np.array([income.get(h, -1) for h in range(len(labels))], dtype=np.int64)
    return SurveyFile(table=table, labels=list(labels), income_fen=incomes)
