"""Results written whole or not at all: batches go to a temporary file beside the target,
which replaces the target only when every batch was written (an error leaves the old file).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.csv as pcsv  # type: ignore[import-untyped, unused-ignore]
import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

from ...errors import OptionError
from ...messages import Note
from .files import PARQUET_SUFFIXES


class AtomicWriter:
    """Writes batches to a temporary file beside ``path``, put in its place on success only."""

    def __init__(self, path: str | Path, fmt: Literal["csv", "parquet"]) -> None:
        self.path, self.format = Path(path), fmt
        self.schema: pa.Schema | None = None
        self._file: Any = None
        self._writer: Any = None

    def __enter__(self) -> AtomicWriter:
        # beside the target; open() gives a new file's permissions (0666 less the umask; mkstemp: 0600)
        self._file = open(self.path.with_name(f".{self.path.name}.{os.urandom(6).hex()}.tmp"), "xb")
        return self

    def write(self, table: pa.Table) -> None:
        """Append one batch (one Parquet row group); every batch has the same schema. (An empty
        table gives the header of a CSV file, or a Parquet file without rows.)"""
        if self._file is None:
            raise RuntimeError("AtomicWriter.write outside its with block")
        if self._writer is None:
            self.schema, kind = table.schema, pcsv.CSVWriter if self.format == "csv" else pq.ParquetWriter
            self._writer = kind(self._file, self.schema)
        elif not table.schema.equals(self.schema):
            raise ValueError(f"a batch with another schema than the first:\n{table.schema}")
        if self.format == "csv":
            self._writer.write_table(table)
        elif table.num_rows:
            self._writer.write_table(table, row_group_size=table.num_rows)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        handle, writer, done = self._file, self._writer, False
        self._file = self._writer = None
        try:
            if kind is None:
                if writer is None and self.format == "parquet":
                    raise ValueError("no batch: a Parquet file needs a schema (write an empty table)")
                if writer is not None:
                    writer.close()
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
                with contextlib.suppress(OSError):  # keep the permissions of the file replaced
                    os.chmod(handle.name, stat.S_IMODE(self.path.stat().st_mode))
                os.replace(handle.name, self.path)
                done = True
        finally:
            if not done:
                for thing in (writer, handle):
                    with contextlib.suppress(Exception):
                        thing is None or thing.close()
                Path(handle.name).unlink(missing_ok=True)


def open_writer(path: str | Path, fmt: Literal["csv", "parquet"] | None = None) -> AtomicWriter:
    """An :class:`AtomicWriter` for ``path``: CSV (UTF-8, one header) or Parquet (a row group a
    batch), by ``fmt`` or else the suffix."""
    suffix = Path(path).suffix.lower()
    fmt = fmt or ("csv" if suffix == ".csv" else "parquet" if suffix in PARQUET_SUFFIXES else None)
    if fmt not in ("csv", "parquet"):
        raise OptionError("--output", Note("error.population_file.unknown_format", path=str(path)))
    refuse_special(Path(path))
    return AtomicWriter(path, fmt)


def refuse_special(path: Path) -> None:
    """An output that exists must be a regular file: replacing a device (/dev/full), a pipe or
    a directory with a file would break it, so such a target is refused."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OptionError("--out", Note("error.cannot_read", reason=exc.strerror or exc)) from None
    if not stat.S_ISREG(mode):
        raise OptionError("--out", Note("error.out_not_regular", path=str(path)))


__all__ = ["AtomicWriter", "open_writer"]
