"""Survey files: one CSV row per member in, a :class:`~premium_calc.household.batch.MemberTable` out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import HouseholdError
from ..messages import Note
from .amounts import parse_yuan
from .parsing import parse_member

if TYPE_CHECKING:
    from numpy.typing import NDArray

    BoolArray = NDArray[np.bool_]
    IntArray = NDArray[np.int64]
from ..units import half_up
from .batch import (
    EMPLOYEE,
    LATE,
    OK,
    STATUS_NAMES,
    BatchResult,
    MemberRow,
    MemberTable,
    fen_to_yuan,
    member_row,
    to_fen,
)
from .burden import RATIO_PLACES


@dataclass(frozen=True)
class SurveyFile:
    """Members read from a CSV file, with household labels and incomes."""

    table: MemberTable
    labels: list[str]  # household label of each household id
    income_fen: IntArray  # per household; -1 where no income was given
    #: Rows that could not be read (their households are left out): (line, why), in order.
    rejected: tuple[tuple[int, Note], ...] = ()
    encoding: str = "utf-8"


#: The longest field of a survey row (a label, flags, an income).
MAX_FIELD = 1 << 16


def sniff_encoding(path: str) -> str:
    """UTF-8 (with or without a BOM) if the file's first 64 KiB decode as it, else GB18030 (a
    superset of GBK, in which most Chinese survey exports come)."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "gb18030"
    return "utf-8-sig"


CSV_COLUMNS = ("household", "age", "birth_date", "sex", "flags", "income")


def read_survey_csv(
    path: str,
    year: int,
    *,
    late: bool = False,
    progress: Any = None,
    encoding: str | None = None,
    on_error: str = "skip",
) -> SurveyFile:
    """Read members from CSV: ``household,age,sex,flags,income`` (``birth_date`` optional).

    One row per member; ``household`` is any label; ``flags`` are the ``--member`` flags
    separated by ``;`` or spaces (Chinese flags too: ``低保;残疾二级``); ``income`` is the member's
    annual income in yuan, as :func:`~.amounts.parse_yuan` reads it (``8000``, ``1.2万``; a
    household's income is the sum over its members; leave it empty where unknown).
    ``progress`` is called with the number of rows read so far (for progress bars).

    The encoding is UTF-8 or GB18030, detected (``encoding`` overrides). A row that cannot be
    read leaves its household out and is listed in :attr:`SurveyFile.rejected` with its line
    (``on_error="stop"``: the first one raises instead).
    """
    import csv
    import os
    import stat

    labels: dict[str, int] = {}
    rows: list[MemberRow] = []
    income: dict[int, int] = {}
    rejected: list[tuple[int, Note]] = []
    bad: set[int] = set()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise HouseholdError(Note("error.not_regular_file"), file=path)
        chosen = encoding or sniff_encoding(path)
        handle = open(path, encoding=chosen, newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise HouseholdError(Note("error.cannot_read", reason=exc.strerror or exc), file=path) from None
    except LookupError:
        raise HouseholdError(Note("error.unknown_encoding", encoding=encoding), file=path) from None
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    line = 1
    try:
        with handle:
            reader = csv.DictReader(handle)
            fields = reader.fieldnames or []
            missing = [c for c in ("household",) if c not in fields]
            if missing or ("age" not in fields and "birth_date" not in fields):
                got = ", ".join(fields) or Note("error.no_header")
                raise HouseholdError(Note("error.survey_header", got=got), file=path)
            twice = [c for i, c in enumerate(fields) if c in fields[:i]]
            if twice:  # DictReader keeps the last: which one was meant is unknown
                duplicate = Note("error.population_file.duplicate_header", header=twice[0])
                raise HouseholdError(duplicate, file=path)
            per_household = [c for c in ("region", "year", "weight") if c in fields]
            if per_household:
                # batch prices one region and year, unweighted: never ignore such a column silently.
                raise HouseholdError(
                    Note("error.survey_use_population", columns=", ".join(per_household)), file=path
                )
            for line, row in enumerate(reader, start=2):
                try:
                    hid, member_row_, value = _member(row, path, line, year, labels)
                except HouseholdError as exc:
                    if on_error == "stop":
                        raise
                    rejected.append((line, exc.note))
                    label = (row.get("household") or "").strip()
                    if label:
                        bad.add(labels.setdefault(label, len(labels)))
                    continue
                rows.append(member_row_)
                if value is not None:
                    income[hid] = income.get(hid, 0) + value
                if progress is not None and line % 10_000 == 0:
                    progress(line - 1)
    except csv.Error as exc:
        raise HouseholdError(
            Note("error.survey_csv", where=f"{path}:{line + 1}", detail=str(exc)[:120])
        ) from None
    except UnicodeDecodeError:
        raise HouseholdError(
            Note("error.survey_encoding", where=f"{path}:{line + 1}", encoding=chosen)
        ) from None
    finally:
        csv.field_size_limit(limit)
    if bad:
        rows, labels, income = _without(rows, labels, income, bad)
    if not rows and rejected:
        raise HouseholdError(rejected[0][1])  # nothing could be read: why the first row could not
    if not rows:
        raise HouseholdError(Note("error.survey_no_members"), file=path)
    table = MemberTable.from_rows(rows, late=late)
    incomes = np.array([income.get(h, -1) for h in range(len(labels))], dtype=np.int64)
    return SurveyFile(
        table=table, labels=list(labels), income_fen=incomes, rejected=tuple(rejected), encoding=chosen
    )


def _member(
    row: dict[str, Any], path: str, line: int, year: int, labels: dict[str, int]
) -> tuple[int, MemberRow, int | None]:
    """One CSV row: its household id, its member row and its income in fen (None: not given)."""
    where = f"{path}:{line}"
    if None in row:  # more fields than the header has
        raise HouseholdError(Note("error.survey_row", where=where, detail=Note("error.survey_extra_fields")))
    head = (row.get("birth_date") or "").strip() or (row.get("age") or "").strip()
    flags = [f for f in (row.get("flags") or "").replace(";", " ").split() if f]
    sex = (row.get("sex") or "").strip()
    spec = head + (":" + ",".join(([sex] if sex else []) + flags) if sex or flags else "")
    member = parse_member(spec, where=where)
    label = (row.get("household") or "").strip()
    if not label:
        raise HouseholdError(Note("error.survey_no_label", where=where))
    value = None
    raw_income = (row.get("income") or "").strip()
    if raw_income:
        try:
            value = to_fen(parse_yuan(raw_income))
        except HouseholdError as exc:
            detail = Note("error.keyed", key="income: ", detail=exc.detail_note)
            raise HouseholdError(Note("error.survey_row", where=where, detail=detail)) from None
    try:
        age = member.age_in(year)
    except HouseholdError as exc:
        raise HouseholdError(Note("error.survey_row", where=where, detail=exc.note)) from None
    hid = labels.setdefault(label, len(labels))
    return hid, member_row(hid, member, age), value


def _without(
    rows: list[MemberRow], labels: dict[str, int], income: dict[int, int], bad: set[int]
) -> tuple[list[MemberRow], dict[str, int], dict[int, int]]:
    """The rows, labels and incomes without the households in ``bad`` (ids renumbered)."""
    new_id: dict[int, int] = {}
    kept_labels: dict[str, int] = {}
    for label, hid in labels.items():
        if hid not in bad:
            new_id[hid] = kept_labels[label] = len(kept_labels)
    kept = [(new_id[r[0]], *r[1:]) for r in rows if r[0] in new_id]
    return kept, kept_labels, {new_id[h]: v for h, v in income.items() if h in new_id}


def household_rows(
    survey: SurveyFile, result: BatchResult, *, standard: str = "", at_least: bool = False
) -> list[dict[str, object]]:
    """One row per household of a priced survey (what ``premium-calc batch`` prints): members,
    gross, assistance and paid (exact yuan), income (the sum of its members' incomes; empty if
    none was given), burden ratio (paid / income, half-up to 4 decimals; empty without an
    income) and a status naming the first member that could not be priced.

    Where only a member's assistance amount is unknown, ``paid`` is empty and ``paid_low`` ..
    ``paid_high`` bound it (so does the burden, ``burden_low`` .. ``burden_high``). ``standard``
    names the region whose entry set the amounts and ``at_least`` (``yes``) marks national
    minimums standing in for a local standard."""
    table = survey.table
    first_bad: dict[int, tuple[int, int]] = {}
    starts: dict[int, int] = {}
    for member_index, (hid, status) in enumerate(
        zip(table.household.tolist(), result.status.tolist(), strict=True)
    ):
        starts.setdefault(hid, member_index)
        if status not in (OK, EMPLOYEE, LATE) and hid not in first_bad:
            first_bad[hid] = (member_index, status)
    rows: list[dict[str, object]] = []
    for pos, hid in enumerate(result.households.tolist()):
        paid = int(result.household_paid_fen[pos])
        gross = int(result.household_gross_fen[pos])
        income = int(survey.income_fen[hid])
        valid = bool(result.valid[pos])
        ratio = ""
        if valid and income > 0:
            ratio = str(half_up(Decimal(paid) / Decimal(income), RATIO_PLACES))
        status = "ok"
        if not valid:
            member_index, code = first_bad[hid]
            status = f"member {member_index - starts[hid] + 1}: {STATUS_NAMES[code]}"
        bounded = result.bounded is not None and bool(result.bounded[pos])
        low = int(result.household_paid_low_fen[pos]) if result.household_paid_low_fen is not None else paid
        bounds = valid or bounded
        burden_low = burden_high = ""
        if bounded and income > 0:
            burden_low = str(half_up(Decimal(low) / Decimal(income), RATIO_PLACES))
            burden_high = str(half_up(Decimal(paid) / Decimal(income), RATIO_PLACES))
        rows.append(
            {
                "household": survey.labels[hid],
                "members": int(result.household_members[pos]),
                "gross": fen_to_yuan(gross) if valid else "",
                "assistance": fen_to_yuan(gross - paid) if valid else "",
                "paid": fen_to_yuan(paid) if valid else "",
                "paid_low": fen_to_yuan(low) if bounds else "",
                "paid_high": fen_to_yuan(paid) if bounds else "",
                "income": fen_to_yuan(income) if income >= 0 else "",
                "burden_ratio": ratio,
                "burden_low": burden_low,
                "burden_high": burden_high,
                "standard": standard,
                "at_least": "yes" if at_least else "",
                "status": status,
            }
        )
    return rows
