"""Survey files on disk: members streamed from CSV or Parquet in household-aligned batches, and
results written atomically (:func:`open_writer`: a temporary file replaces the target on success).

:func:`iter_batches` yields :class:`FileBatch` es of about ``batch_rows`` rows (more only for a
larger household) that never split a household, named as in :data:`COLUMNS` (``columns`` maps a
canonical name to the file's header; other headers are dropped); ``household`` and ``age`` or
``birth_date`` are required. CSV: every column a string (empty is ``""``), streamed in blocks of
:data:`CSV_BLOCK_BYTES` (no row may be longer; memory stays near 32 blocks plus the batches);
without ``encoding`` the first 64 KiB decide: UTF-8 (a BOM is dropped) if they decode, else
``gb18030`` (a superset of GBK). A row with the wrong number of fields is skipped and listed in
:attr:`SurveyReader.skipped`, a blank row (empty fields only) dropped. Lines count records (the
header is line 1; a quoted value over several lines is one). Parquet (``.parquet``, ``.pq`` or
starting with ``PAR1``): columns keep their types; places are rows.

Households must be contiguous: checked vectorised within a chunk (where the label changes; a label
in two runs), and across chunks against the labels of finished households, kept as ranges of
consecutive values while they are integers (or 1-17 digits) in ascending order (1, 2, 3, ... costs
nothing, a gap 16 bytes), else in a Python ``set`` (roughly 100 bytes per household). On a repeat
the file is read again for the earlier line.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import stat
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]
import pyarrow.csv as pcsv  # type: ignore[import-untyped, unused-ignore]
import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

from ...errors import HouseholdError, OptionError
from ...messages import Note

if TYPE_CHECKING:
    from numpy.typing import NDArray

    IntArray = NDArray[np.int64]

#: The canonical columns, in the order a batch's table has them.
COLUMNS = ("household", "region", "year", "weight", "age", "birth_date", "sex", "flags", "income", "late")
#: How much of a file decides its encoding and must hold its header line.
SNIFF_BYTES = 64 * 1024
#: The CSV block size, so the longest row a CSV file may have.
CSV_BLOCK_BYTES = 2 * 1024 * 1024
#: At most this many :class:`SkippedRow` s are kept (:attr:`SurveyReader.skipped_count` counts all).
MAX_SKIPPED = 1000
PARQUET_SUFFIXES = (".parquet", ".pq")
_PARQUET_CHUNK = 65_536
_LINE = "__line__"
_SCALE = 10**17  # a digit label's key: its length * _SCALE + its value ("007" and "7" differ)
_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class SkippedRow:
    """A CSV row skipped because it has the wrong number of fields."""

    line: int | None
    expected_fields: int
    actual_fields: int
    text: str  #: its first 200 characters

    @property
    def reason(self) -> Note:
        return Note("population.file.wrong_fields", expected=self.expected_fields, actual=self.actual_fields)


@dataclass(frozen=True)
class FileBatch:
    """Whole households: rows of the file with canonical column names, and where they are."""

    table: pa.Table
    first_line: int  #: the line (CSV; the header is line 1) or row (Parquet, from 1) of row 0
    kind: Literal["line", "row"]
    rows_done: int  #: rows yielded so far, this batch's included
    rows_total: int | None  #: Parquet: the rows of the file; CSV: None
    bytes_done: int | None  #: CSV: bytes read so far (approximately: read-ahead counts)
    bytes_total: int | None  #: CSV: the file's size
    lines: IntArray  #: the line (or row) of every row, read-only (skipped rows leave gaps)


class SurveyReader(Iterator[FileBatch]):
    """The batches of one survey file, in one pass (see the module docstring). The file and its
    header are checked when the reader is made; :attr:`skipped` lists the CSV rows skipped."""

    def __init__(
        self, path: str | Path, *, columns: Mapping[str, str] | None = None,
        encoding: str | None = None, batch_rows: int = 1_000_000,
    ) -> None:
        if batch_rows < 1:
            raise OptionError("--batch-rows", Note("error.population_file.batch_rows", value=batch_rows))
        self.path, self.name, self.batch_rows = Path(path), str(path), batch_rows
        self.skipped: list[SkippedRow] = []
        self.skipped_count = self._bytes_done = 0
        try:
            info = self.path.stat()
            if not stat.S_ISREG(info.st_mode):  # a directory, a device such as /dev/zero, a FIFO
                raise HouseholdError(Note("error.population_file.not_regular"), file=self.name)
            with self.path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
        except OSError as exc:
            note = Note("error.cannot_read", reason=exc.strerror or exc)
            raise HouseholdError(note, file=self.name) from None
        self.size = info.st_size
        parquet = self.path.suffix.lower() in PARQUET_SUFFIXES or head[:4] == b"PAR1"
        self.format: Literal["csv", "parquet"] = "parquet" if parquet else "csv"
        self.rows_total: int | None = None
        self.encoding: str | None = None
        if parquet:
            try:
                self._parquet = pq.ParquetFile(self.name)
            except (pa.ArrowException, OSError) as exc:
                raise self._failed(exc) from None
            self.rows_total = int(self._parquet.metadata.num_rows)
            header = list(self._parquet.schema_arrow.names)
        elif b"\x00" in head:
            raise HouseholdError(Note("error.population_file.binary"), file=self.name)
        else:
            self.encoding = _encoding(head, encoding, final=self.size <= SNIFF_BYTES)
            self._ratio = len(head) / max(1, len(head.decode(self.encoding, "replace").encode()))
            header = self._csv_header(head)
        #: canonical name -> the file's header, for the columns the file has
        self.headers = _match(header, dict(columns or {}), self.name)
        self._batches = self._generate()

    def __next__(self) -> FileBatch:
        return next(self._batches)

    def _generate(self) -> Iterator[FileBatch]:
        aligner = _Aligner(self)
        try:
            for chunk in self._chunks(list(self.headers), record=True):
                yield from aligner.feed(chunk)
            yield from aligner.feed(None)
        finally:
            if self.format == "parquet":
                self._parquet.close()

    def _chunks(self, canon: list[str], *, record: bool) -> Iterator[pa.Table]:
        """Chunks of the file with canonical names, plain labels and a column of line numbers."""
        return self._csv_chunks(canon, record) if self.format == "csv" else self._parquet_chunks(canon)

    def _csv_chunks(self, canon: list[str], record: bool) -> Iterator[pa.Table]:
        shifts: list[int] = []  # of each skipped line not yet passed: its line - the skips before it
        seen = [0]

        def skip(row: Any) -> str:
            if row.number is not None:
                shifts.append(row.number - seen[0])
            seen[0] += 1
            self.skipped_count += record
            if record and len(self.skipped) < MAX_SKIPPED:
                found = (row.number, row.expected_columns, row.actual_columns, row.text[:200])
                self.skipped.append(SkippedRow(*found))
            return "skip"

        names = [self.headers[c] for c in canon]
        options = (
            pcsv.ReadOptions(use_threads=False, block_size=CSV_BLOCK_BYTES,
                             encoding="utf8" if self.encoding == "utf-8" else self.encoding),
            pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=skip),
            pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), include_columns=names,
                                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        done = passed = blocks = 0  # rows read (blank ones too), skipped lines before the next row
        with pa.OSFile(self.name) as source:
            try:
                for batch in pcsv.open_csv(source, *options):
                    n = batch.num_rows
                    base = np.arange(done + 2, done + 2 + n, dtype=np.int64)
                    pending = np.asarray(shifts, dtype=np.int64)
                    lines = base + passed + np.searchsorted(pending, base, side="right")
                    gone = int(np.searchsorted(pending, done + n + 2, side="right"))
                    del shifts[:gone]
                    done, passed = done + n, passed + gone
                    if record:
                        blocks += 1  # a batch a block of UTF-8; the file is read far ahead
                        self._bytes_done = int(min(source.tell(), blocks * CSV_BLOCK_BYTES * self._ratio))
                    table = pa.Table.from_batches([batch]).rename_columns(canon)
                    yield self._labelled(_drop_blank(table.append_column(_LINE, pa.array(lines))))
            except (pa.ArrowException, UnicodeError, OSError) as exc:
                raise self._failed(exc, line=done + passed + 2) from None

    def _parquet_chunks(self, canon: list[str]) -> Iterator[pa.Table]:
        names, done = [self.headers[c] for c in canon], 0
        try:
            for batch in self._parquet.iter_batches(batch_size=_PARQUET_CHUNK, columns=names):
                table = pa.Table.from_batches([batch]).select(names).rename_columns(canon)
                lines = np.arange(done + 1, done + 1 + table.num_rows, dtype=np.int64)
                done += table.num_rows
                yield self._labelled(table.append_column(_LINE, pa.array(lines)))
        except (pa.ArrowException, OSError) as exc:
            raise self._failed(exc) from None

    def _labelled(self, table: pa.Table) -> pa.Table:
        """``table`` with plain household labels, trimmed if strings; none may be empty."""
        labels = table.column("household")
        if pa.types.is_dictionary(labels.type):
            labels = labels.cast(labels.type.value_type)
        empty = pc.is_null(labels)
        if pa.types.is_string(labels.type) or pa.types.is_large_string(labels.type):
            labels = pc.utf8_trim_whitespace(labels)
            empty = pc.or_kleene(empty, pc.equal(labels, ""))
        if pc.any(empty).as_py():
            line = table.column(_LINE)[pc.index(empty, True).as_py()].as_py()
            where = f"{self.name}:{line}" if self.format == "csv" else f"{self.name}: row {line}"
            raise HouseholdError(Note("error.survey_no_label", where=where))
        return table.set_column(table.schema.get_field_index("household"), "household", labels)

    def _first_line(self, label: object) -> int | None:
        """The line (or row) where ``label`` first occurs: the file is read again (errors only)."""
        for table in self._chunks(["household"], record=False):
            labels = table.column("household")
            found = pc.index(labels, pa.scalar(label, labels.type)).as_py()
            if found >= 0:
                return int(table.column(_LINE)[found].as_py())
        return None

    def _csv_header(self, head: bytes) -> list[str]:
        first, newline, _ = head.partition(b"\n")
        if not newline and len(head) < self.size:
            raise HouseholdError(Note("error.population_file.header_too_long"), file=self.name)
        try:
            text = first.decode("utf-8-sig" if self.encoding == "utf-8" else str(self.encoding)).rstrip("\r")
        except UnicodeDecodeError:
            note = Note("error.population_file.header_encoding", encoding=self.encoding)
            raise HouseholdError(note, file=self.name) from None
        return next(csv.reader([text])) if text.strip() else []

    def _failed(self, exc: BaseException, line: int | None = None) -> HouseholdError:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        if "straddl" in reason:
            note = Note("error.population_file.row_too_long", line=line, kib=CSV_BLOCK_BYTES >> 10)
        elif "UTF8" in reason or isinstance(exc, UnicodeError):
            note = Note("error.population_file.not_encoding", encoding=self.encoding, reason=reason)
        else:
            fmt = "CSV" if self.format == "csv" else "Parquet"
            note = Note("error.population_file.read_failed", format=fmt, reason=reason)
        return HouseholdError(note, file=self.name)


def iter_batches(
    path: str | Path, *, columns: Mapping[str, str] | None = None, encoding: str | None = None,
    batch_rows: int = 1_000_000,
) -> SurveyReader:
    """The household-aligned batches of a CSV or Parquet survey file (see the module docstring)."""
    return SurveyReader(path, columns=columns, encoding=encoding, batch_rows=batch_rows)


def _encoding(head: bytes, given: str | None, *, final: bool) -> str:
    if given is None:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=final)
        except UnicodeDecodeError:
            return "gb18030"
        return "utf-8"
    try:
        name = codecs.lookup(given).name
    except LookupError:
        note = Note("error.population_file.unknown_encoding", encoding=given)
        raise OptionError("--encoding", note) from None
    return "utf-8" if name == "utf-8-sig" else name


def _match(header: list[str], mapping: dict[str, str], name: str) -> dict[str, str]:
    """canonical name -> header, from ``--column`` pairs and the canonical names themselves."""
    given: dict[str, str] = {}  # mapped header -> its column
    for column, wanted in mapping.items():
        if column not in COLUMNS:
            detail = Note("error.population_file.unknown_column", column=column, known=", ".join(COLUMNS))
            raise OptionError("--column", detail)
        if wanted.strip() in given:
            first = given[wanted.strip()]
            detail = Note("error.population_file.same_header", header=wanted, first=first, second=column)
            raise OptionError("--column", detail)
        given[wanted.strip()] = column
    more = f", … (+{len(header) - 20})" if len(header) > 20 else ""
    got = ", ".join(header[:20]) + more or Note("error.no_header")
    stripped = [h.strip() for h in header]
    found: dict[str, str] = {}
    for column in COLUMNS:
        target = mapping.get(column, column).strip()
        if given.get(target, column) != column:
            continue  # the header named like this column is mapped to another one
        places = [i for i, h in enumerate(stripped) if h == target]
        if len(places) > 1:
            raise HouseholdError(Note("error.population_file.duplicate_header", header=target), file=name)
        if places:
            found[column] = header[places[0]]
        elif column in mapping:
            note = Note("error.population_file.mapped_missing", header=target, column=column, got=got)
            raise HouseholdError(note, file=name)
    if "household" not in found or not {"age", "birth_date"} & found.keys():
        pairs = ", ".join(f"{k}={v}" for k, v in mapping.items())
        shown = Note("population.file.mapping", pairs=pairs) if pairs else ""
        raise HouseholdError(Note("error.population_file.header", mapping=shown, got=got), file=name)
    return found


def _drop_blank(table: pa.Table) -> pa.Table:
    """Without the rows whose fields are all empty (blank lines, ``,,,``)."""
    blank = pc.equal(table.column("household"), "")
    if not pc.any(blank).as_py():
        return table
    for name in table.column_names[1:-1]:  # household first, the line column last
        blank = pc.and_(blank, pc.equal(table.column(name), ""))
    return table.filter(pc.invert(blank))


class _Aligner:
    """Cuts chunks into batches at household boundaries, checking households are contiguous."""

    def __init__(self, reader: SurveyReader) -> None:
        self.reader = reader
        self.tail: pa.Table | None = None  # the last household's rows (maybe more to come)
        self.buffer: pa.Table | None = None  # whole households not yet yielded
        self.starts = _NONE  # where they start in the buffer
        self.finished = _Finished()
        self.rows_done = 0

    def feed(self, chunk: pa.Table | None) -> Iterator[FileBatch]:
        """The batches of complete households once ``chunk`` is in (``None``: the file ended)."""
        parts = [t for t in (self.tail, chunk) if t is not None]
        pending = pa.concat_tables(parts) if len(parts) > 1 else (parts[0] if parts else None)
        if pending is not None and pending.num_rows:
            labels = pending.column("household").combine_chunks()
            change = pc.not_equal(labels.slice(1), labels.slice(0, len(labels) - 1))
            starts = np.concatenate(([0], np.flatnonzero(change.to_numpy(zero_copy_only=False)) + 1))
            cut = pending.num_rows if chunk is None else int(starts[-1])
            self.tail = None if chunk is None else pending.slice(cut)
            starts = starts[starts < cut].astype(np.int64)
            if cut:
                self._check(labels.take(starts), pending.column(_LINE).to_numpy()[starts])
                held = 0 if self.buffer is None else self.buffer.num_rows
                done = pending.slice(0, cut)
                self.buffer = done if self.buffer is None else pa.concat_tables([self.buffer, done])
                self.starts = np.concatenate((self.starts, starts + held))
        yield from self._emit(final=chunk is None)

    def _check(self, labels: pa.Array, lines: IntArray) -> None:
        """No household label in two runs, nor one already finished before."""
        cross, within, codes = self.finished.check_and_add(labels), None, None
        if not self.finished.increasing and pc.count_distinct(labels).as_py() < len(labels):
            codes = pc.dictionary_encode(labels).indices.to_numpy(zero_copy_only=False)  # by first use
            within = int(np.flatnonzero(codes[1:] <= np.maximum.accumulate(codes)[:-1])[0]) + 1
        if cross is None and within is None:
            return
        if cross is not None and (within is None or cross <= within):
            label, line = labels[cross].as_py(), int(lines[cross])
            first = self.reader._first_line(label)
        else:
            assert within is not None and codes is not None
            label, line = labels[within].as_py(), int(lines[within])
            first = int(lines[int(np.flatnonzero(codes == codes[within])[0])])
        key = "error.population_file.household_again" + ("" if self.reader.format == "csv" else "_row")
        raise HouseholdError(Note(key, label=label, line=line, first=first), file=self.reader.name)

    def _emit(self, *, final: bool) -> Iterator[FileBatch]:
        buffer, starts, size, pos = self.buffer, self.starts, self.reader.batch_rows, 0
        end = 0 if buffer is None else buffer.num_rows
        while buffer is not None and (end - pos >= size or (final and end > pos)):
            cut = end
            if end > pos + size:
                i = int(np.searchsorted(starts, pos + size, side="right"))
                if starts[i - 1] > pos:
                    cut = int(starts[i - 1])
                elif i < starts.size:  # one household larger than a batch
                    cut = int(starts[i])
            yield self._batch(buffer.slice(pos, cut - pos), last=final and cut == end)
            pos = cut
        if buffer is not None and pos:
            self.buffer = buffer.slice(pos) if pos < end else None
            self.starts = starts[starts >= pos] - pos if pos < end else _NONE

    def _batch(self, table: pa.Table, *, last: bool) -> FileBatch:
        reader, csv_file = self.reader, self.reader.format == "csv"
        lines = np.array(table.column(_LINE).to_numpy(), dtype=np.int64)
        lines.flags.writeable = False
        self.rows_done += table.num_rows
        return FileBatch(
            table=table.drop_columns([_LINE]), first_line=int(lines[0]), kind="line" if csv_file else "row",
            rows_done=self.rows_done, rows_total=reader.rows_total,
            bytes_done=(reader.size if last else reader._bytes_done) if csv_file else None,
            bytes_total=reader.size if csv_file else None, lines=lines,
        )


class _Finished:
    """The labels of finished households: integer keys while ascending as ranges, else a set."""

    def __init__(self) -> None:
        self.ascending = self.increasing = True  # increasing: the labels last added (so unique)
        self.low, self.high = array("q"), array("q")  # consecutive keys low[i]..high[i]
        self.others: set[object] = set()  # int keys once not ascending, and all other labels

    def check_and_add(self, labels: pa.Array) -> int | None:
        """The position of the first of ``labels`` already finished (then adds them all)."""
        keys, at, rest = _keys(labels)
        values, hit = labels.take(rest).to_pylist() if rest else [], None
        steps = np.diff(keys)
        up = bool(np.all(steps > 0))
        self.increasing = up and not rest
        if up and keys.size and self.ascending and (not self.high or keys[0] > self.high[-1]):
            breaks = np.flatnonzero(steps != 1) + 1
            low, high = keys[np.r_[0, breaks]].tolist(), keys[np.r_[breaks - 1, keys.size - 1]].tolist()
            if self.high and low[0] == self.high[-1] + 1:
                self.high[-1] = high.pop(0)
                low.pop(0)
            self.low.extend(low)
            self.high.extend(high)
        elif keys.size:
            self.ascending = False
            if self.low:
                low, high = np.frombuffer(self.low, dtype=np.int64), np.frombuffer(self.high, dtype=np.int64)
                i = np.searchsorted(low, keys, side="right") - 1
                inside = np.flatnonzero((i >= 0) & (keys <= high[np.maximum(i, 0)]))
                hit = int(at[inside[0]]) if inside.size else None
            rest, values = rest + at.tolist(), values + keys.tolist()
        again = [p for p, v in zip(rest, values, strict=True) if v in self.others]
        self.others.update(values)
        return min([*again, *([] if hit is None else [hit])], default=None)


def _keys(labels: pa.Array) -> tuple[IntArray, IntArray, list[int]]:
    """Integer keys of the integer-like labels, their positions, and the positions of the rest."""
    every = np.arange(len(labels), dtype=np.int64)
    if pa.types.is_integer(labels.type):
        with contextlib.suppress(pa.ArrowInvalid):  # uint64 beyond int64: a set
            return np.asarray(pc.cast(labels, pa.int64()).to_numpy(), dtype=np.int64), every, []
    if not (pa.types.is_string(labels.type) or pa.types.is_large_string(labels.type)):
        return _NONE, every[:0], every.tolist()
    digits = pc.match_substring_regex(labels, r"^[0-9]{1,17}$").to_numpy(zero_copy_only=False)
    numbers = labels.filter(pa.array(digits))
    lengths = pc.cast(pc.utf8_length(numbers), pa.int64())
    keys = pc.add(pc.multiply(lengths, _SCALE), pc.cast(numbers, pa.int64()))
    return np.asarray(keys.to_numpy(), dtype=np.int64), every[digits], every[~digits].tolist()
