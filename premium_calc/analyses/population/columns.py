"""A population from columns: numpy arrays, a pandas or polars DataFrame, an Arrow table.

:func:`from_columns` reads one entry per member (the members of a household contiguous):

======================  ==============================================================
column                  meaning (default where the column is absent)
======================  ==============================================================
``household``           any label (numbers or text); required
``age``                 age on 1 January of the coverage year, or
``birth_date``          ``YYYY-MM-DD`` (preferred where both are given); one is required
``sex``                 ``male``/``female``, ``m``/``f``, ``男``/``女``, 1/2 (unknown)
``flags``               the ``--member`` flags, separated by ``;``, ``,`` or spaces
                        (``student``, ``dibao``, ``残疾二级``, ``职工医保`` ...) (none)
``income``              the member's income in yuan a year (``8000``, ``1.2万``); a
                        household's income is the sum of the incomes given (unknown)
``weight``              how many real households the household stands for (1)
``region``              region id, name or code (the ``region`` argument)
``year``                coverage year (the ``year`` argument)
``late``                enrols late: ``1``/``true``/``yes``/``是`` (no)
======================  ==============================================================

``weight``, ``region`` and ``year`` belong to the household: its members must agree.
Money becomes integer fen: decimal text exactly, floats rounded to the nearest fen; weights
become integer ten-thousandths (:data:`WEIGHT_SCALE`), rounded half to even, so that every
weighted sum later is an exact integer.

A value that cannot be read raises a :class:`~premium_calc.errors.HouseholdError` naming the
column and the row, or (``skip_bad=True``, for survey files) drops the member's household and
is reported in :attr:`Population.skipped`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import HouseholdError
from ...household.batch import run_sums
from ...household.member_table import MAX_AGE, NO_DATE, MemberTable
from ...household.members import FLAG_AGES
from ...messages import Note
from .values import (
    FALSE,
    LISTED,
    SEXES,
    TRUE,
    SkippedRow,
    ValueReader,
    age_from_birth,
    arrow_text,
    distinct,
    numeric,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Weights are held as integers in units of 1 / WEIGHT_SCALE of a household.
WEIGHT_SCALE = 10_000

#: The largest weight accepted (a household standing for a billion).
MAX_WEIGHT = 1_000_000_000

COLUMNS = ("household", "region", "year", "weight", "age", "birth_date", "sex", "flags", "income", "late")


@dataclass(frozen=True)
class Population:
    """Members as a :class:`MemberTable` (household ids 0..H-1, ascending, contiguous) and, per
    household, its label, region, year, weight, income and size."""

    table: MemberTable
    labels: NDArray[Any]  # per household: its label as given
    members: NDArray[np.int64]  # per household
    weight: NDArray[np.int64]  # per household, in 1 / WEIGHT_SCALE
    income_fen: NDArray[np.int64]  # per household; -1 where no member's income was given
    #: Per household, the index of its region in ``regions`` (``None``: no region column).
    region: NDArray[np.int32] | None = None
    regions: tuple[str, ...] = ()
    #: Per household, its coverage year (``None``: no year column).
    year: NDArray[np.int16] | None = None
    skipped: tuple[SkippedRow, ...] = field(default=())
    #: Member rows dropped with their households (bad values; the first are in ``skipped``).
    dropped_rows: int = 0

    @property
    def households(self) -> int:
        return int(self.members.shape[0])

    def __len__(self) -> int:
        return self.households

    def split(self, parts: int) -> list[Population]:
        """The population cut into ``parts`` pieces at household boundaries (for batches)."""
        bounds = np.linspace(0, self.households, parts + 1).round().astype(np.int64)
        starts = self.table.runs
        assert starts is not None
        member_at = np.append(starts, len(self.table))
        out = []
        for lo, hi in itertools.pairwise(bounds.tolist()):
            rows = np.arange(member_at[lo], member_at[hi])
            table = self.table.take(rows)
            table = MemberTable.from_arrays(
                {**{name: getattr(table, name) for name in _TABLE_COLUMNS}, "household": table.household - lo}
            )
            out.append(
                Population(
                    table=table,
                    labels=self.labels[lo:hi],
                    members=self.members[lo:hi],
                    weight=self.weight[lo:hi],
                    income_fen=self.income_fen[lo:hi],
                    region=None if self.region is None else self.region[lo:hi],
                    regions=self.regions,
                    year=None if self.year is None else self.year[lo:hi],
                )
            )
        return out


_TABLE_COLUMNS = ("household", "age", "sex", "student", "college", "employee", "disability", "groups",
                  "birth_date", "late")  # fmt: skip


def as_columns(data: Any) -> dict[str, Any]:
    """Columns of any supported input as a name -> array mapping (numpy or Arrow arrays)."""
    if isinstance(data, Mapping):
        return {str(k): v for k, v in data.items()}
    if hasattr(data, "to_arrow") and not hasattr(data, "column_names"):
        data = data.to_arrow()  # polars
    if hasattr(data, "column_names") and hasattr(data, "column"):  # Arrow Table / RecordBatch
        return {name: data.column(name) for name in data.column_names}
    if hasattr(data, "columns") and hasattr(data, "iloc"):  # pandas
        return {str(name): data[name].to_numpy() for name in data.columns}
    raise HouseholdError(Note("error.population_input", got=type(data).__name__))


def from_columns(
    data: Any,
    *,
    year: int | None = None,
    region: str | None = None,
    where: str = "",
    first_line: int | None = None,
    skip_bad: bool = False,
    lines: NDArray[np.int64] | None = None,
    listed: int = LISTED,
) -> Population:
    """Members from columns (see the module docstring). ``year`` and ``region`` stand in
    where there is no such column (or an empty value); ``where`` and ``first_line`` name the
    file and the line of the first row in messages (``lines``: the line of every row, where
    rows were skipped on the way); ``skip_bad`` drops the households of rows
    that cannot be read (and lists the first ``listed`` of them in :attr:`Population.skipped`)
    instead of raising."""
    columns = as_columns(data)

    def refuse(note: Note) -> HouseholdError:
        return HouseholdError(note, file=where or None)

    extra = sorted(set(columns) - set(COLUMNS))
    if extra:
        raise refuse(Note("error.column_unknown", column=extra[0], expected=", ".join(COLUMNS)))
    if "household" not in columns or not ({"age", "birth_date"} & set(columns)):
        raise refuse(Note("error.columns_required", got=", ".join(columns) or "-"))
    lengths = {name: len(values) for name, values in columns.items()}
    n = lengths["household"]
    for name, length in lengths.items():
        if length != n:
            raise refuse(Note("error.column_length", column=name, got=length, expected=n))
    r = ValueReader(n, skip_bad=skip_bad, where=where, first_line=first_line, lines=lines, listed=listed)

    label_index, label_texts = _labels(r, columns["household"])
    years = (
        r.integers("year", columns["year"], 2000, 2100, empty=year if year is not None else -1)
        if "year" in columns
        else np.full(n, year if year is not None else -1, dtype=np.int64)
    )
    age = (
        r.integers("age", columns["age"], 0, MAX_AGE, empty=-1 if "birth_date" in columns else None)
        if "age" in columns
        else np.full(n, -1, dtype=np.int64)
    )
    born = r.birth_days(columns["birth_date"]) if "birth_date" in columns else np.full(n, NO_DATE, np.int64)
    dated = born != NO_DATE
    if dated.any():
        r.fail(np.flatnonzero(dated & (years < 0)), "birth_date", None, Note("error.population_needs_year"))
        from_birth = age_from_birth(born, np.where(years < 0, 2000, years))
        r.fail(
            np.flatnonzero(dated & (from_birth < 0)), "birth_date", None, Note("error.population_born_later")
        )
        r.fail(np.flatnonzero(dated & (from_birth > MAX_AGE)), "birth_date", None,
               Note("error.population_range", low=0, high=MAX_AGE))  # fmt: skip
        if "age" in columns:  # both given: they must agree, or which is right is unknown
            mismatch = np.flatnonzero(dated & (age >= 0) & (age != from_birth))
            r.fail(mismatch, "age", arrow_text(columns["age"]), Note("error.population_age_birth"))
        age = np.where(dated, from_birth, age)
    r.fail(np.flatnonzero(age < 0), "age", None, Note("error.population_missing"))
    sex = (
        r.choices("sex", columns["sex"], SEXES, Note("error.population_sex"))
        if "sex" in columns
        else np.zeros(n, dtype=np.int64)
    )
    flags = r.flags(columns["flags"]) if "flags" in columns else None
    if flags is not None:
        sex = np.where(sex == 0, flags.pop("flag_sex"), sex)
        for flag, (low, high) in FLAG_AGES.items():
            top = high if high is not None else MAX_AGE
            wrong = flags[flag].astype(bool) & ((age < low) | (age > top))
            why = Note("error.population_flag_age", flag=Note(f"flag.{flag}"), low=low, high=top)
            r.fail(np.flatnonzero(wrong), "flags", arrow_text(columns["flags"]), why)
    late = (
        r.choices(
            "late",
            columns["late"],
            {t: 1 for t in TRUE} | {f: 0 for f in FALSE},
            Note("error.population_yes_no"),
        )
        if "late" in columns
        else np.zeros(n, dtype=np.int64)
    )
    income, no_income = r.money_fen("income", columns["income"]) if "income" in columns else (
        np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))  # fmt: skip
    weight = (
        _weights(r, columns["weight"]) if "weight" in columns else np.full(n, WEIGHT_SCALE, dtype=np.int64)
    )
    if "region" in columns:
        region_index, region_texts = distinct(columns["region"])
    else:
        region_index, region_texts = np.zeros(n, dtype=np.int64), [""]

    # Households: runs of one label; a label in two runs is an error whatever skip_bad says.
    change = np.concatenate(([True], label_index[1:] != label_index[:-1])) if n else np.zeros(0, bool)
    starts = np.flatnonzero(change)
    run_of_row = np.cumsum(change) - 1
    run_label = label_index[starts]
    ascending = run_label.size < 2 or bool(np.all(run_label[1:] > run_label[:-1]))
    if not ascending and np.unique(run_label).shape[0] != run_label.shape[0]:
        _not_contiguous(r, run_label, starts, label_texts)
    first = starts[run_of_row]
    for name, values in (("weight", weight), ("region", region_index), ("year", years)):
        r.fail(np.flatnonzero(values != values[first]), name, None, Note("error.population_differs"))

    run_bad = np.bincount(run_of_row[r.bad], minlength=starts.shape[0]) > 0
    keep = ~run_bad[run_of_row]
    kept_runs = np.flatnonzero(~run_bad)
    new_run = np.cumsum(~run_bad) - 1
    everyone = bool(keep.all())
    rows: Any = slice(None) if everyone else np.flatnonzero(keep)
    household = run_of_row if everyone else new_run[run_of_row[rows]]
    member_columns = {
        "household": household,
        "age": age[rows],
        "sex": sex[rows],
        "birth_date": born[rows],
        "late": late[rows].astype(bool),
    }
    if flags is not None:
        member_columns |= {name: values[rows] for name, values in flags.items()}
    table = MemberTable.from_arrays(member_columns, where=where)
    h_starts = starts[kept_runs]
    runs = table.runs
    assert runs is not None
    members = np.diff(np.append(runs, len(table))).astype(np.int64)
    h_income = run_sums(income[rows], runs)
    h_given = run_sums((~no_income[rows]).astype(np.int64), runs)
    texts = label_texts if isinstance(label_texts, _Offset) else np.array(label_texts, dtype=object)
    regions = tuple(t or (region or "") for t in region_texts)
    return Population(
        table=table,
        labels=np.asarray(texts[run_label[kept_runs]]),
        members=members,
        weight=weight[h_starts],
        income_fen=np.where(h_given > 0, h_income, -1),
        region=region_index[h_starts].astype(np.int32) if ("region" in columns or region) else None,
        regions=regions if ("region" in columns or region) else (),
        year=years[h_starts].astype(np.int16) if (years >= 0).all() and n else None,
        skipped=tuple(r.skipped),
        dropped_rows=int((~keep).sum()),
    )


def _labels(r: ValueReader, values: Any) -> tuple[NDArray[np.int64], Any]:
    """Each row's household as an integer (whole-number labels stand for themselves), and
    what turns those integers back into labels."""
    numbers = numeric(values)
    if numbers is not None and numbers.dtype.kind in "iu":
        ids = numbers.astype(np.int64)
        low = int(ids.min()) if ids.size else 0
        return ids - low, _Offset(low)
    index, texts = distinct(values)
    if "" in texts:
        r.fail(np.flatnonzero(index == texts.index("")), "household", None, Note("error.population_missing"))
    return index, texts


class _Offset:
    """Whole-number labels: the label of integer i is i + the smallest label."""

    def __init__(self, low: int) -> None:
        self.low = low

    def __getitem__(self, index: Any) -> Any:
        return np.asarray(index) + self.low


def _weights(r: ValueReader, values: Any) -> NDArray[np.int64]:
    numbers = numeric(values)
    if numbers is None:
        import pyarrow as pa
        import pyarrow.compute as pc

        from .values import arrow_text

        text = arrow_text(values)
        try:
            numbers = np.asarray(pc.cast(pc.if_else(pc.equal(text, ""), "1", text), pa.float64()).to_numpy())
        except pa.ArrowInvalid:
            ok = pc.match_substring_regex(text, r"^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
            bad = ~np.asarray(pc.or_(ok, pc.equal(text, "")).to_numpy(zero_copy_only=False), dtype=bool)
            r.fail(np.flatnonzero(bad), "weight", text, Note("error.population_weight", high=MAX_WEIGHT))
            numbers = np.asarray(pc.cast(pc.if_else(ok, text, "1"), pa.float64()).to_numpy())
    numbers = numbers.astype(np.float64)
    numbers = np.where(np.isnan(numbers), 1.0, numbers)
    with np.errstate(invalid="ignore"):
        wrong = ~(np.isfinite(numbers) & (numbers >= 0) & (numbers <= MAX_WEIGHT))
    r.fail(np.flatnonzero(wrong), "weight", numbers, Note("error.population_weight", high=MAX_WEIGHT))
    units: NDArray[np.int64] = np.rint(np.where(wrong, 0, numbers) * WEIGHT_SCALE).astype(np.int64)
    return units


def _not_contiguous(
    r: ValueReader, run_label: NDArray[np.int64], starts: NDArray[np.int64], texts: Any
) -> None:
    order = np.argsort(run_label, kind="stable")
    sorted_labels = run_label[order]
    repeat = int(np.flatnonzero(sorted_labels[1:] == sorted_labels[:-1])[0])
    first, again = int(starts[order[repeat]]), int(starts[order[repeat + 1]])
    raise HouseholdError(
        Note(
            "error.population_not_contiguous",
            household=str(texts[int(sorted_labels[repeat])]),
            again=r.place(again),
            first=r.place(first),
        )
    )
