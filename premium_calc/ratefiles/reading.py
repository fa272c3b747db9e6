"""Reading rate files from disk: the bundled tree, rate directories, TOML with exact decimals,
one validated :class:`Region` per file, and the data version. Nothing here resolves inheritance.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RateFileError
from ..messages import Note

if TYPE_CHECKING:
    from .model import Name, RateFile, YearEntry

# The TOML parser, pydantic and the models are imported where a file is parsed: a rate book served
# from the cache (premium_calc.ratebook.cache) needs none of them to start.

#: Environment variable: extra rate directories (os.pathsep-separated) overlaying the bundled tree.
RATES_PATH_ENV = "PREMIUM_CALC_RATES"


#: Sub-directory of a rate directory that holds statistics, not regions.
STATS_DIR = "stats"
#: Sub-directory of a rate directory that holds benefit rules (what the fund pays back).
BENEFITS_DIR = "benefits"
#: Sub-directories of a rate directory whose TOML files are not rate files of regions.
NOT_REGIONS = frozenset({STATS_DIR, BENEFITS_DIR})


REGION_ID = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


def rate_dirs(dirs: object, name: str = "dirs") -> tuple[Path, ...]:
    """A list of rate directories given by a caller, checked: paths only (``5`` or ``"abc"``
    split into letters are refused), never a blank one (``Path("")`` is the current directory,
    never read by accident). An :class:`OptionError` or :class:`RateFileError` otherwise."""
    from ..errors import expect_type

    if isinstance(dirs, str | bytes) or not isinstance(dirs, Iterable):
        expect_type(dirs, list, name, "a list of rate directories (paths)")
    out: list[Path] = []
    for d in dirs:  # type: ignore[attr-defined]
        expect_type(d, (Path, str), name, "rate directories (paths)")
        if not str(d).strip():
            raise RateFileError(Path(str(d)), Note("error.no_rate_directory"), rule="file")
        out.append(Path(d))
    return tuple(out)


def bundled_rates_dir() -> Path:
    """The rate tree shipped with the package (wheel) or beside it (source checkout)."""
    here = Path(__file__).resolve().parent.parent  # the premium_calc package
    for candidate in (here / "rates", here.parent / "rates"):
        if (candidate / "cn.toml").is_file():
            return candidate
    raise RateFileError(here / "rates", Note("error.no_bundled_tree"), rule="file")


def data_version(rates_dir: Path | None = None) -> str:
    """The version string of the rate data (``rates/DATA_VERSION``), separate from the code's;
    ``"unknown"`` for a rate directory without that file (a user's overlay)."""
    from ..errors import expect_type

    if rates_dir is not None:
        expect_type(rates_dir, (Path, str), "rates_dir", "a rate directory (a path)")
        if not Path(rates_dir).is_dir():
            raise RateFileError(Path(rates_dir), Note("error.no_rate_directory"), rule="file")
    path = Path(rates_dir or bundled_rates_dir()) / "DATA_VERSION"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown"


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")

#: The largest rate, statistics or household file read (a rate file is a few dozen KiB).
MAX_FILE_BYTES = 4 * 2**20


def read_limited_text(path: Path, fail: Callable[[Note], Exception], *, limit: int = MAX_FILE_BYTES) -> str:
    """A regular UTF-8 text file of at most ``limit`` bytes; anything else (a device, a FIFO,
    a directory, a file too large, bytes that are not UTF-8) raises ``fail(note)``. Never
    blocks and never reads more than ``limit + 1`` bytes."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError as exc:
        raise fail(Note("error.cannot_read", reason=exc.strerror or exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise fail(Note("error.is_directory"))
    if not stat.S_ISREG(info.st_mode):
        raise fail(Note("error.not_regular_file"))
    if info.st_size > limit:
        raise fail(Note("error.file_too_large", size=info.st_size, limit=limit))
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise fail(Note("error.cannot_read", reason=exc.strerror or exc)) from None
    if len(raw) > limit:
        raise fail(Note("error.file_too_large", size=len(raw), limit=limit))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise fail(Note("error.not_utf8")) from None


def parse_toml(text: str, **options: Any) -> dict[str, Any]:
    """tomllib.loads, with nesting too deep for the parser reported as a TOMLDecodeError.

    Where ``toml-rs`` is installed (a dependency where it has wheels; not in the browser), it
    parses first, as TOML 1.0 with the same ``parse_float`` (the same exact decimals, written
    scale kept: ``0.70`` is ``Decimal("0.70")``): about 3.4x tomli on the shipped files, which
    both read to equal data (``tests/test_toml_parsers.py``). A text it refuses, or any failure
    of it, is parsed again by tomli, whose error (and its line) is the one reported: errors
    read the same with or without it."""
    fast = _fast_toml()
    if fast is not None:
        try:
            quick: dict[str, Any] = fast.loads(text, toml_version="1.0.0", **options)
            return quick
        except Exception:  # tomli below words the error (or parses what this refused)
            pass
    tomllib = _tomllib()
    try:
        data: dict[str, Any] = tomllib.loads(text, **options)
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None
    return data


def toml_module() -> Any:
    """The TOML parser: ``tomli`` (a dependency; its wheels are compiled with mypyc, about 2.6x
    the standard library's pure-Python ``tomllib`` with ``parse_float=Decimal``), else
    ``tomllib`` (Python 3.11+, where tomli is not installed). Both have ``loads`` and
    ``TOMLDecodeError`` with the same messages (``... (at line L, column C)``)."""
    global _TOML
    if _TOML is None:
        import importlib

        try:
            _TOML = importlib.import_module("tomli")
        except ImportError:  # pragma: no cover - tomli is a dependency
            _TOML = importlib.import_module("tomllib")
    return _TOML


_TOML: Any = None
_tomllib = toml_module  # the former name


def _fast_toml() -> Any:
    """``toml_rs`` if it can be imported (``None`` otherwise, or where
    ``PREMIUM_CALC_TOML=tomli`` asks for tomli alone)."""
    global _FAST
    if _FAST is None:
        import contextlib
        import importlib
        import os

        _FAST = False
        if os.environ.get("PREMIUM_CALC_TOML", "").strip().lower() != "tomli":
            with contextlib.suppress(ImportError):
                _FAST = importlib.import_module("toml_rs")
    return _FAST or None


_FAST: Any = None


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file with exact decimals; syntax errors become RateFileError with a line."""
    return parse_toml_text(path, read_rate_text(path))


def read_rate_text(path: Path) -> str:
    """The text of a rate file (as :func:`read_limited_text`, problems as RateFileError)."""
    return read_limited_text(path, lambda note: RateFileError(path, note, rule="file"))


def parse_toml_text(path: Path, text: str) -> dict[str, Any]:
    """The TOML ``text`` of ``path`` with exact decimals (as :func:`read_toml`)."""
    try:
        return parse_toml(text, parse_float=Decimal)
    except _tomllib().TOMLDecodeError as exc:
        raise toml_error(path, text, exc) from None


def toml_error(path: Path, text: str, exc: Exception) -> RateFileError:
    """A TOML syntax error as a :class:`RateFileError` (rule ``toml``) at ``file:line:col``, with
    the key path of the line where it can be told, and a specific hint where the mistake is a
    common one: a date without leading zeros (``2026-9-1``: expected ``2026-09-01``), or a
    full-width symbol of a Chinese input method outside a string (``，`` ``：`` ``＝`` ``“``:
    expected the half-width one). Otherwise the parser's own words."""
    from .keypaths import format_path, key_at

    msg = str(exc)
    pos = _TOML_POS.search(msg)
    line, column = (int(pos[1]), int(pos[2])) if pos else (None, None)
    hint = _toml_hint(text, line, column)
    scanned = text
    if hint is not None:
        line, column, note, ascii_form = hint
        if ascii_form:  # read the key as it would be with the half-width symbol (``code ＝ "1"``)
            rows = text.splitlines()
            row = rows[line - 1]
            rows[line - 1] = row[: column - 1] + ascii_form + row[column:]
            scanned = "\n".join(rows)
    else:
        detail = _TOML_POS.sub("", msg).strip() or "invalid TOML"
        note = Note("error.invalid_toml", detail=detail)
    key = key_at(scanned, line, column) if line is not None else None
    return RateFileError(
        path,
        note,
        line=line,
        column=column,
        key=format_path(key) if key else None,
        key_path=key,
        rule="toml",
    )


#: A date as people write it that TOML does not read: ``2026-9-1``, ``2026/09/01``.
_LOOSE_DATE = re.compile(r"(?<![\w.:-])(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?![\w.:-])")


def _toml_hint(text: str, line: int | None, column: int | None) -> tuple[int, int, Note, str] | None:
    """``(line, column, what is wrong, the half-width symbol or "")`` of a common mistake on the
    line of a syntax error (or the line before it; the whole file when the parser gives no
    line), or ``None``."""
    lines = text.splitlines()
    if line is None:
        numbers = list(range(1, len(lines) + 1))
    else:
        numbers = [n for n in (line, line - 1) if 1 <= n <= len(lines)]
    for number in numbers:
        code = _outside_strings(lines[number - 1])
        for found in _LOOSE_DATE.finditer(code):
            year, sep, month, day = found.groups()
            if sep == "/" or len(month) < 2 or len(day) < 2:
                fixed = f"{year}-{int(month):02d}-{int(day):02d}"
                note = Note("error.toml_date_form", written=found.group(0), fixed=fixed)
                return number, found.start() + 1, note, ""
        symbol = _full_width_in(code)
        if symbol is not None:
            at, char, ascii_form = symbol
            return number, at, Note("error.toml_full_width", char=char, ascii=ascii_form), ascii_form
    return None


def _outside_strings(line: str) -> str:
    """``line`` with the text of its strings and its comment blanked out (same length, same
    columns): what is left is TOML syntax. A string left open runs to the end of the line."""
    out: list[str] = []
    quote = ""
    escaped = False
    for char in line:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
                out.append(char)
                continue
            out.append(" ")
        elif char in "\"'":
            quote = char
            out.append(char)
        elif char == "#":
            break
        else:
            out.append(char)
    return "".join(out)


#: Full-width and CJK punctuation of a Chinese input method that looks like the ASCII a TOML
#: file needs (household files, :mod:`premium_calc.household.parsing`, use this table too).
FULL_WIDTH: dict[str, str] = {
    **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},
    "\u3000": " ",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "【": "[",
    "】": "]",
    "、": ",",
    "。": ".",
}


def _full_width_in(code: str) -> tuple[int, str, str] | None:
    """The first full-width look-alike (``，`` ``＝`` ``［`` ``“`` ...) in TOML syntax: its
    1-based column, the symbol and its half-width form."""
    for at, char in enumerate(code, start=1):
        if char in FULL_WIDTH:
            return at, char, FULL_WIDTH[char]
    return None


def load_rate_file(path: Path, text: str | None = None) -> RateFile:
    """Read and validate one rate file (``text``: its content, already read)."""
    from pydantic import ValidationError

    from .model import RateFile
    from .pydantic_errors import validation_error

    data = read_toml(path) if text is None else parse_toml_text(path, text)
    try:
        return RateFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(path, exc) from None


@dataclass(frozen=True)
class Region:
    """A parsed rate file."""

    id: str
    path: Path
    data: RateFile

    @property
    def name(self) -> Name:
        return self.data.region.name

    @property
    def parent(self) -> str | None:
        return self.data.region.parent

    def years(self) -> list[int]:
        return sorted(y.coverage for y in self.data.year)

    def year(self, coverage: int) -> tuple[int, YearEntry] | None:
        for index, entry in enumerate(self.data.year):
            if entry.coverage == coverage:
                return index, entry
        return None


def iter_rate_files(root: Path) -> Iterator[Path]:
    """Rate files under a directory (not the statistics or benefit files)."""
    for path in sorted(root.rglob("*.toml")):
        if path.relative_to(root).parts[0] not in NOT_REGIONS:
            yield path
