"""Reading the values of member columns, whole columns at a time.

Text is handled by pyarrow's compute kernels (trimming, casting, distinct values), numbers by
numpy; only distinct texts that are not plain numbers (``1.2万``, Chinese flags) are read one by
one, each once. A :class:`ValueReader` collects what cannot be read: in a survey file the
member's household is dropped and the row reported; from the API the first bad value raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import HouseholdError
from ...household.member_table import FEMALE, GROUP_BITS, MALE, NO_DATE, UNKNOWN_SEX
from ...messages import Note

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: The largest member income accepted, in yuan (ten billion).
MAX_INCOME_YUAN = 10_000_000_000

#: How many bad rows are listed one by one (all are dropped).
LISTED = 20

SEXES = {
    "": UNKNOWN_SEX, "0": UNKNOWN_SEX, "unknown": UNKNOWN_SEX, "未知": UNKNOWN_SEX,
    "1": MALE, "m": MALE, "male": MALE, "男": MALE, "男性": MALE,
    "2": FEMALE, "f": FEMALE, "female": FEMALE, "女": FEMALE, "女性": FEMALE,
}  # fmt: skip
TRUE = {"1", "true", "yes", "y", "是", "逾期"}
FALSE = {"", "0", "false", "no", "n", "否"}


@dataclass(frozen=True)
class SkippedRow:
    """A member row that could not be read: where, which column, what was there, why."""

    where: str
    column: str
    value: str
    reason: Note
    line: int | None = None  #: its line in the file, where known

    @property
    def note(self) -> Note:
        return Note(
            "error.population_row",
            where=self.where,
            column=self.column,
            value=self.value[:60],
            reason=self.reason,
        )


def arrow_text(values: Any) -> Any:
    """Any column as a trimmed Arrow string array (missing values as "")."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        array = np.asarray(values)
        if array.dtype.kind == "f":
            values = pa.array(np.where(np.isnan(array), "", array.astype(str)), type=pa.string())
        elif array.dtype.kind in "iub":
            values = pa.array(array.astype(str), type=pa.string())
        else:
            values = pa.array(array.astype(object) if array.dtype.kind != "U" else array, type=pa.string(),
                              from_pandas=True)  # fmt: skip
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        values = values.cast(pa.string())
    trimmed = pc.utf8_trim_whitespace(values.fill_null(""))
    return trimmed.combine_chunks() if isinstance(trimmed, pa.ChunkedArray) else trimmed


def numeric(values: Any) -> NDArray[Any] | None:
    """A numeric column as numpy (missing values NaN), or None if it holds text."""
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        t = values.type
        if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t):
            if values.null_count:
                values = values.cast(pa.float64()).fill_null(float("nan"))
            return np.asarray(values.to_numpy(zero_copy_only=False))
        return None
    array = np.asarray(values)
    return array if array.dtype.kind in "iubf" else None


def distinct(values: Any) -> tuple[NDArray[np.int64], list[str]]:
    """Each row's index among the column's distinct (trimmed) texts, and those texts."""
    import pyarrow as pa

    text = arrow_text(values)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    encoded = text.dictionary_encode()
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
    return indices.astype(np.int64, copy=False), encoded.dictionary.to_pylist()


class ValueReader:
    """Converts columns, collecting bad values (or raising at the first)."""

    def __init__(
        self,
        n: int,
        *,
        skip_bad: bool,
        where: str,
        first_line: int | None,
        lines: NDArray[np.int64] | None = None,
        listed: int = LISTED,
    ) -> None:
        self.n = n
        self.listed = listed
        self.skip_bad = skip_bad
        self.where = where
        self.first_line = first_line
        self.lines = lines
        self.bad = np.zeros(n, dtype=bool)
        self.bad_count = 0
        self.skipped: list[SkippedRow] = []

    def line_of(self, row: int) -> int | None:
        if self.lines is not None:
            return int(self.lines[row])
        return self.first_line + row if self.first_line is not None else None

    def place(self, row: int) -> str:
        if self.lines is not None:
            line = int(self.lines[row])
            return f"{self.where}:{line}" if self.where else f"line {line}"
        if self.first_line is not None:
            return f"{self.where}:{self.first_line + row}" if self.where else f"line {self.first_line + row}"
        return f"{self.where}: row {row}" if self.where else f"row {row}"

    def fail(self, rows: NDArray[Any], column: str, values: Any, reason: Note) -> None:
        """Mark ``rows`` bad (their households are dropped) or raise for the first."""
        rows = np.asarray(rows)
        rows = rows[~self.bad[rows]] if rows.size else rows
        if not rows.size:
            return

        def shown(row: int) -> str:
            if values is None:
                return ""
            value = values[row]
            return str(value.as_py() if hasattr(value, "as_py") else value)

        first = int(rows[0])
        if not self.skip_bad:
            raise HouseholdError(SkippedRow(self.place(first), column, shown(first), reason).note)
        self.bad[rows] = True
        self.bad_count += int(rows.size)
        room = self.listed - len(self.skipped)
        for row in rows[: max(room, 0)].tolist():
            self.skipped.append(SkippedRow(self.place(row), column, shown(row), reason, self.line_of(row)))

    def integers(
        self, name: str, values: Any, low: int, high: int, *, empty: int | None
    ) -> NDArray[np.int64]:
        """Whole numbers within low..high; ``empty`` stands for a missing value (None: required)."""
        numbers = numeric(values)
        if numbers is not None and numbers.dtype.kind in "iub":
            out = numbers.astype(np.int64)
            missing = np.zeros(self.n, dtype=bool)
        elif numbers is not None:
            missing = np.isnan(numbers)
            whole = np.isfinite(numbers) & (numbers == np.round(numbers))
            self.fail(np.flatnonzero(~missing & ~whole), name, numbers, Note("error.population_whole_number"))
            out = np.where(whole, numbers, 0).astype(np.int64)
        else:
            index, texts = distinct(values)
            parsed = [int(t) if _INT.match(t) else None for t in texts]
            table = np.array([0 if p is None else p for p in parsed] or [0], dtype=np.int64)
            missing = np.array([t == "" for t in texts] or [False])[index]
            wrong = np.array([p is None and t != "" for p, t in zip(parsed, texts, strict=True)] or [False])
            self.fail(
                np.flatnonzero(wrong[index]), name, arrow_text(values), Note("error.population_whole_number")
            )
            out = table[index]
        if empty is None:
            self.fail(np.flatnonzero(missing), name, None, Note("error.population_missing"))
        else:
            out = np.where(missing, empty, out)
        outside = ~missing & ((out < low) | (out > high))
        self.fail(np.flatnonzero(outside), name, out, Note("error.population_range", low=low, high=high))
        return out

    def money_fen(self, name: str, values: Any) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Yuan -> integer fen, rounded to the nearest fen; and where no value was given.

        Plain decimals with at most two decimals below 10**11 yuan come out exactly (a float64
        holds them within far less than half a fen); ``1.2万``, ``８０００``, ``￥8000`` are read
        by :func:`~premium_calc.household.amounts.parse_yuan`."""
        import pyarrow as pa
        import pyarrow.compute as pc

        numbers = numeric(values)
        if numbers is not None:
            numbers = numbers.astype(np.float64)
            missing = np.isnan(numbers)
        else:
            text = arrow_text(values)
            empty = pc.equal(text, "")
            try:
                cast = pc.cast(pc.if_else(empty, "0", text), pa.float64())
                odd = np.zeros(self.n, dtype=bool)
            except pa.ArrowInvalid:
                plain = pc.match_substring_regex(text, _PLAIN)
                cast = pc.cast(pc.if_else(plain, text, "0"), pa.float64())
                odd = ~np.asarray(pc.or_(plain, empty).to_numpy(zero_copy_only=False), dtype=bool)
            numbers = np.asarray(cast.to_numpy(zero_copy_only=False), dtype=np.float64).copy()
            missing = np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)
            if odd.any():
                self._unusual_amounts(name, text, odd, numbers)
        with np.errstate(invalid="ignore"):
            wrong = ~missing & ~(np.isfinite(numbers) & (numbers >= 0) & (numbers <= MAX_INCOME_YUAN))
        self.fail(np.flatnonzero(wrong), name, numbers, Note("error.population_amount", high=MAX_INCOME_YUAN))
        fen = np.rint(np.where(missing | wrong | self.bad, 0, numbers) * 100).astype(np.int64)
        return fen, missing

    def _unusual_amounts(
        self, name: str, text: Any, odd: NDArray[np.bool_], numbers: NDArray[np.float64]
    ) -> None:
        from ...household.amounts import parse_yuan

        rows = np.flatnonzero(odd)
        texts = text.take(rows).to_pylist()
        seen: dict[str, float | Note] = {}
        for row, t in zip(rows.tolist(), texts, strict=True):
            if t not in seen:
                try:
                    seen[t] = float(parse_yuan(t, field=name))
                except HouseholdError as exc:
                    seen[t] = exc.detail_note
            value = seen[t]
            if isinstance(value, Note):
                self.fail(np.array([row]), name, text, value)
            else:
                numbers[row] = value

    def birth_days(self, values: Any) -> NDArray[np.int64]:
        """Birth dates as days since 1970-01-01 (NO_DATE where not given)."""
        import pyarrow as pa

        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if isinstance(values, pa.Array) and (
            pa.types.is_date(values.type) or pa.types.is_timestamp(values.type)
        ):
            values = values.cast(pa.date32()).to_numpy(zero_copy_only=False)
        array = np.asarray(values) if not isinstance(values, pa.Array) else None
        if array is not None and array.dtype.kind == "M":
            days = array.astype("datetime64[D]")
            return np.where(np.isnat(days), NO_DATE, days.astype(np.int64))
        index, texts = distinct(values)
        parsed: list[int | None] = []
        for t in texts:
            try:
                parsed.append(int(np.datetime64(t, "D").astype(np.int64)) if t else NO_DATE)
            except ValueError:
                parsed.append(None)
        wrong = np.array([p is None for p in parsed] or [False])
        self.fail(
            np.flatnonzero(wrong[index]), "birth_date", arrow_text(values), Note("error.population_date")
        )
        return np.array([NO_DATE if p is None else p for p in parsed] or [NO_DATE], dtype=np.int64)[index]

    def choices(self, name: str, values: Any, table: dict[str, int], note: Note) -> NDArray[np.int64]:
        """Each row's value looked up (case-insensitively) in ``table``; numbers stand for
        themselves where the table has their text."""
        numbers = numeric(values)
        if numbers is not None and numbers.dtype.kind in "iub":
            codes = numbers.astype(np.int64)
            allowed = sorted({v for k, v in table.items() if k.isdigit() and int(k) == v})
            lo, hi = allowed[0], allowed[-1]  # the digit codes run lo..hi
            outside = (codes < lo) | (codes > hi)
            if outside.any():
                self.fail(np.flatnonzero(outside), name, codes, note)
                return np.where(outside, 0, codes)
            return codes
        index, texts = distinct(values)
        found = [table.get(t.lower()) for t in texts]
        wrong = np.array([f is None for f in found] or [False])
        self.fail(np.flatnonzero(wrong[index]), name, arrow_text(values), note)
        return np.array([0 if f is None else f for f in found] or [0], dtype=np.int64)[index]

    def flags(self, values: Any) -> dict[str, NDArray[Any]]:
        """Each distinct flags text parsed once, as the household file's flags are."""
        from ...household.parsing import parse_member

        index, texts = distinct(values)
        rows: list[tuple[int, int, int, int, int, int]] = []
        reasons: list[Note | None] = []
        for t in texts:
            tokens = [token for token in re.split(r"[;,，；\s]+", t) if token]
            try:
                # An age at which every flag is plausible: the row's own age is checked after.
                m = parse_member("20" + (":" + ",".join(tokens) if tokens else ""))
            except HouseholdError as exc:
                rows.append((0, 0, 0, 0, 0, UNKNOWN_SEX))
                reasons.append(exc.detail_note)
                continue
            mask = 0
            for group in m.assisted:
                mask |= GROUP_BITS[group]
            sex = {"male": MALE, "female": FEMALE}.get(m.sex or "", UNKNOWN_SEX)
            rows.append((int(m.student), int(m.college), int(m.employee), m.disability or 0, mask, sex))
            reasons.append(None)
        shown = arrow_text(values)
        for at, reason in enumerate(reasons):
            if reason is not None:
                self.fail(np.flatnonzero(index == at), "flags", shown, reason)
        table = rows or [(0, 0, 0, 0, 0, 0)]
        # One small array per column over the distinct texts, looked up by each row's index.
        out: dict[str, NDArray[Any]] = {}
        for position, (name, dtype) in enumerate(_FLAG_COLUMNS):
            out[name] = np.array([r[position] for r in table], dtype=dtype)[index]
        return out


_FLAG_COLUMNS = (
    ("student", np.bool_), ("college", np.bool_), ("employee", np.bool_), ("disability", np.int8),
    ("groups", np.int32), ("flag_sex", np.int8),
)  # fmt: skip


_INT = re.compile(r"^[+-]?\d{1,12}$")
_PLAIN = r"^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def age_from_birth(days: NDArray[np.int64], year: NDArray[np.int64]) -> NDArray[np.int64]:
    """Age on 1 January of the coverage year (0 for a baby born in the coverage year itself),
    as :meth:`~premium_calc.household.members.Member.age_in` counts it."""
    born = days.astype("datetime64[D]")
    born_year = born.astype("datetime64[Y]").astype(np.int64) + 1970
    jan1 = born.astype("datetime64[Y]").astype("datetime64[D]")
    age = year - born_year - (born != jan1).astype(np.int64)
    return np.asarray(np.where((age < 0) & (born_year == year), 0, age), dtype=np.int64)
