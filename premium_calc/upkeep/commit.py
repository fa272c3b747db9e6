"""Edit rate files safely: comments and layout kept, validated before anything is replaced.

:func:`~premium_calc.upkeep.set_value.set_value` changes one value of one coverage year,
:func:`~premium_calc.upkeep.new_year.new_year` adds a coverage year copied from another one
(with optional bumps); this module holds what they share. Every edit:

1. resolves the region through the rate book (a region id can only name a discovered rate
   file; the file must lie inside the book's rate directories and be writable);
2. parses the ``[[year]]`` entry being edited with ``tomlkit``, changes it and renders it;
   every byte outside that entry is copied unchanged, and inside it only the changed
   lines differ;
3. validates the new text (TOML syntax, the rate-file schema and every *error* rule of
   :mod:`premium_calc.upkeep.validate`, for the file and for every region that inherits from it):
   an edit that introduces an error changes nothing and raises :class:`EditError`;
4. writes atomically: a temporary file in the same directory, flushed and ``fsync`` ed,
   given the original file mode, then ``os.replace`` d over the original. A failure at
   any step leaves the original file as it was.

With ``dry_run=True`` nothing is written: :meth:`EditResult.diff` shows the change.

Keys (:data:`KEY_HELP`)::

    subsidy                              the year's fiscal subsidy        -> subsidy_source
    collection.start, collection.end     the collection window (dates)   -> collection.source
    late.amount, late.start, late.end, late.waiting_days                 -> late.source
    category.ID.individual               a category's flat amount        -> category source
    category.ID.tiers.TIER               a category's amount for a tier
    category.ID.subsidy                  a category's own fiscal subsidy
    category.ID.includes.NAME            part of individual that is another premium (ltc)
    category.ID.below_minimum            true/false (no source)
    assisted.ID.pays | pays_share | assistance   an assisted rule's amount -> rule source
    note, collection.note, late.note, category.ID.note, assisted.ID.note  (text, no source)

The source given with a value (``source_url``, ``source_title``, ``confidence``) is written
where the format keeps the source of that value (named after the arrow). A category or
assisted rule has one source for all its values.

The rate book keeps what it has read: after an edit, make a new
:class:`~premium_calc.ratebook.RateBook` to see the new values.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RateFileError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratefiles.keypaths import parse_path
from ..ratefiles.reading import Region, load_rate_file
from .validate import validate_descendants, validate_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib
if TYPE_CHECKING:
    from .problems import Problem
from ..errors import EditError, problem_summary


@dataclass(frozen=True)
class EditResult:
    """What an edit did (or, with ``dry_run``, would do)."""

    path: Path
    region: str
    year: int
    old_text: str
    new_text: str
    written: bool
    dry_run: bool
    notes: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    label: str = ""

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text

    def diff(self, name: str | None = None) -> str:
        """A unified diff of the file (empty when nothing changes)."""
        shown = name or str(self.path)
        a, b = (shown, shown) if Path(shown).is_absolute() else (f"a/{shown}", f"b/{shown}")
        return "".join(
            difflib.unified_diff(
                self.old_text.splitlines(keepends=True),
                self.new_text.splitlines(keepends=True),
                fromfile=a,
                tofile=b,
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "region": self.region,
            "year": self.year,
            "edit": self.label,
            "changed": self.changed,
            "written": self.written,
            "dry_run": self.dry_run,
            "notes": list(self.notes),
            "warnings": [w.as_dict() for w in self.warnings],
            "diff": self.diff(),
        }


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise EditError(Note("edit.cannot_read", path=path, reason=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise EditError(Note("edit.not_utf8", path=path)) from None


def _coverages(text: str) -> list[object]:
    """The coverage year of each ``[[year]]`` entry of a text (to match problems across edits)."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return []
    years = data.get("year")
    if not isinstance(years, list):
        return []
    return [y.get("coverage") if isinstance(y, dict) else None for y in years]


def _signature(problem: Problem, coverages: Sequence[object]) -> tuple[object, ...]:
    """What identifies a problem across an edit: lines and entry indices may move, the
    coverage year of its entry does not."""
    year: object = None
    match problem.key_path or parse_path(problem.key):
        case ("year", int(index), *_) if index < len(coverages):
            year = coverages[index]
    return (problem.file, problem.rule, problem.message, year)


def _new_only(
    after: Sequence[Problem], after_text: str, before: Sequence[Problem], before_text: str
) -> list[Problem]:
    """The problems of ``after`` that ``before`` did not have."""
    after_years, before_years = _coverages(after_text), _coverages(before_text)
    seen = Counter(_signature(p, before_years) for p in before)
    out: list[Problem] = []
    for p in after:
        sig = _signature(p, after_years)
        if seen[sig] > 0:
            seen[sig] -= 1
            continue
        out.append(p)
    return out


def check_edit(book: RateBook, region_id: str, path: Path, old_text: str, new_text: str) -> list[Problem]:
    """Errors the new text introduces, in the file or in regions that inherit from it,
    followed by the warnings it introduces in the file (``severity`` tells them apart)."""

    new_problems = validate_text(book, path, new_text, region_id)
    old_problems = validate_text(book, path, old_text, region_id)
    errors = _new_only(
        [p for p in new_problems if p.is_error],
        new_text,
        [p for p in old_problems if p.is_error],
        old_text,
    )
    if not any(p.is_error for p in new_problems):
        # Only then can the new file be loaded for its children.
        with tempfile.TemporaryDirectory(prefix="premium-calc-") as tmp:
            copy = Path(tmp) / path.name
            copy.write_bytes(new_text.encode("utf-8"))
            try:
                region: Region | None = Region(region_id, path, load_rate_file(copy))
            except RateFileError:
                region = None
        if region is not None:
            before = [p for p in validate_descendants(book, region_id) if p.is_error]
            after = [p for p in validate_descendants(book, region_id, region) if p.is_error]
            errors += _new_only(after, "", before, "")
    warnings = _new_only(
        [p for p in new_problems if not p.is_error],
        new_text,
        [p for p in old_problems if not p.is_error],
        old_text,
    )
    return errors + warnings


def finish_edit(
    book: RateBook,
    region_id: str,
    path: Path,
    year: int,
    old_text: str,
    new_text: str,
    dry_run: bool,
    notes: Sequence[str],
    label: str,
) -> EditResult:
    problems = check_edit(book, region_id, path, old_text, new_text)
    errors = [p for p in problems if p.is_error]
    if errors:
        headline = Note("edit.would_break", file=path.name)
        raise EditError(problem_summary(headline, errors), errors, headline)
    warnings = tuple(p for p in problems if not p.is_error)
    result = EditResult(
        path, region_id, year, old_text, new_text, False, dry_run, tuple(notes), warnings, label
    )
    if dry_run or not result.changed:
        return result
    write_atomic(path, new_text, expected=old_text)
    return dataclasses.replace(result, written=True)


def write_atomic(path: Path, text: str, *, expected: str | None = None) -> None:
    """Replace ``path`` with ``text``: temp file in the same directory, fsync, rename.

    The file mode is kept. With ``expected``, the file must still hold that text (it was
    not changed by someone else meanwhile). On any failure the original is left intact.
    """
    data = text.encode("utf-8")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise EditError(Note("edit.cannot_read_unchanged", path=path, reason=exc.strerror or exc)) from None
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if expected is not None and read_text(path) != expected:
            raise EditError(Note("edit.changed_meanwhile", path=path))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise EditError(Note("edit.cannot_write", path=path, reason=exc.strerror or exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    sync_directory(path.parent)


def sync_directory(directory: Path) -> None:
    """Flush a directory's entries (a rename or a new file in it) to disk, where the system can."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
