"""Map TOML key paths to line numbers.

``tomllib`` reports lines only for syntax errors; schema errors come back as key paths
(``year[2].category[0].individual``). This light scanner finds the line that sets a key
path so every error and every explained value can point at ``file:line``. It runs only
when a line is needed (an error, ``rates explain``), never on the calculation path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path

KeyPath = tuple[str | int, ...]


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


_KEY = re.compile(r'^\s*([A-Za-z0-9_\-."]+?)\s*=')


_INLINE_KEY = re.compile(r"([A-Za-z0-9_\-]+)\s*=")


def _split_key(raw: str) -> list[str]:
    return [part.strip().strip('"') for part in raw.split(".")]


def index_lines(text: str) -> dict[KeyPath, int]:
    """Return ``{key path: 1-based line}`` for every table, array entry and key."""
    found: dict[KeyPath, int] = {}
    counts: dict[KeyPath, int] = {}
    current: KeyPath = ()
    depth = 0  # bracket depth of a multi-line value
    open_string: str | None = None  # delimiter of a multi-line string being skipped
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if open_string is not None:
            if line.count(open_string) % 2 == 1:
                open_string = None
            continue
        if depth > 0:
            depth += stripped.count("[") + stripped.count("{")
            depth -= stripped.count("]") + stripped.count("}")
            continue
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header and "=" not in line.split("#")[0]:
            is_array = header.group(1) == "[["
            names = _split_key(header.group(2))
            path: KeyPath = ()
            # Resolve each name against the latest entry of arrays already seen.
            for name in names[:-1]:
                path = (*path, name)
                if path in counts:
                    path = (*path, counts[path] - 1)
            path = (*path, names[-1])
            if is_array:
                index = counts.get(path, 0)
                counts[path] = index + 1
                found.setdefault(path, lineno)
                path = (*path, index)
            found[path] = lineno
            current = path
            continue
        key = _KEY.match(line)
        if key:
            path = (*current, *_split_key(key.group(1)))
            found.setdefault(path, lineno)
            value = line[key.end() :]
            delimiter = _open_multiline(value)
            if delimiter is not None:
                # The value continues on the next lines: skip them (they are not keys).
                open_string = delimiter
                continue
            value_code = value.split("#")[0] if '"' not in value else value
            opened = value_code.count("[") + value_code.count("{")
            closed = value_code.count("]") + value_code.count("}")
            if "{" in value_code or "[" in value_code:
                _index_inline(value_code, path, lineno, found)
            if opened > closed:
                depth = opened - closed
    return found


def _open_multiline(value: str) -> str | None:
    """The delimiter of a multi-line string that ``value`` opens and does not close."""
    stripped = value.strip()
    for delimiter in ('"""', "'''"):
        if stripped.startswith(delimiter) and stripped.count(delimiter) % 2 == 1:
            return delimiter
    return None


def _index_inline(value: str, path: KeyPath, lineno: int, found: dict[KeyPath, int]) -> None:
    """Record keys of inline tables (and arrays of inline tables) on one line."""
    stripped = value.strip()
    if stripped.startswith("["):
        # An array of inline tables: number the tables in order.
        index = 0
        level = 0
        for char_pos, char in enumerate(stripped):
            if char == "{":
                if level == 0:
                    end = stripped.find("}", char_pos)
                    chunk = stripped[char_pos : end if end != -1 else None]
                    found.setdefault((*path, index), lineno)
                    for m in _INLINE_KEY.finditer(chunk):
                        found.setdefault((*path, index, m.group(1)), lineno)
                    index += 1
                level += 1
            elif char == "}":
                level -= 1
        return
    for m in _INLINE_KEY.finditer(stripped):
        found.setdefault((*path, m.group(1)), lineno)


def line_of(text: str, path: Sequence[str | int]) -> int | None:
    """The line of the longest prefix of ``path`` that the file sets, or None."""
    lines = index_lines(text)
    clean: KeyPath = tuple(p for p in path if isinstance(p, int) or not is_type_tag(p))
    for end in range(len(clean), 0, -1):
        hit = lines.get(clean[:end])
        if hit is not None:
            return hit
    return None


def line_in_file(path: Path, key: Sequence[str | int]) -> int | None:
    """:func:`line_of` in a file read now (``None`` when it cannot be read): the line an
    origin's value or section is set on, computed only when a message or explanation asks."""
    try:
        return line_of(path.read_text(encoding="utf-8"), key)
    except OSError:
        return None


def position_of(text: str, path: Sequence[str | int]) -> tuple[int, int] | None:
    """``(line, column)``, both 1-based, of the longest prefix of ``path`` the file sets.

    The column is that of the key's name on its line (``tier1`` in ``tiers = { tier1 =
    400 }``), or of the first non-blank character for a table header or array entry.
    """
    lines = _cached_index(text)
    clean: KeyPath = tuple(p for p in path if isinstance(p, int) or not is_type_tag(p))
    for end in range(len(clean), 0, -1):
        hit = lines.get(clean[:end])
        if hit is not None:
            source_lines = text.splitlines()
            line = source_lines[hit - 1] if hit <= len(source_lines) else ""
            return hit, _column(line, clean[:end])
    return None


def key_at(text: str, line: int, column: int | None = None) -> KeyPath | None:
    """The key path set at ``line`` (1-based) of ``text``, for an error the TOML parser reports
    at a line and column: of the keys on the line, the last one whose name starts at or before
    ``column`` (without a column, or if none does, the first one on the line). A line that sets
    no key the scanner can read (``coverage：2024``) gives the table it is in (the nearest table
    header above it), and ``None`` before any header.

    ``collection = { start = 2024-9-1 }`` with the error at the ``-9`` gives
    ``(..., 'collection', 'start')``. The scan is the light one of :func:`index_lines`, so it
    works on a file the parser refuses.
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    source = lines[line - 1]
    found = [
        (_column(source, path), len(path), path)
        for path, number in _cached_index(text).items()
        if number == line and path
    ]
    if not found:
        return _table_at(text, lines, line)
    before = [hit for hit in found if column is not None and hit[0] <= column]
    if before:
        return max(before, key=lambda hit: hit[:2])[2]
    return min(found, key=lambda hit: (hit[0], -hit[1]))[2]


def _table_at(text: str, lines: list[str], line: int) -> KeyPath | None:
    """The path of the nearest table header (``[region]``, ``[[year]]``) at or above ``line``."""
    headers = [
        (number, len(path), path)
        for path, number in _cached_index(text).items()
        if number <= line and path and lines[number - 1].lstrip().startswith("[")
    ]
    return max(headers, key=lambda hit: hit[:2])[2] if headers else None


@functools.lru_cache(maxsize=16)
def _cached_index(text: str) -> dict[KeyPath, int]:
    """:func:`index_lines` of a text, kept for the next lookup in the same file."""
    return index_lines(text)


def _column(line: str, path: KeyPath) -> int:
    last = path[-1] if path else None
    if isinstance(last, str):
        name = re.escape(last)
        key = re.search(rf'(?<![A-Za-z0-9_\-"]){name}"?\s*=', line)
        if key:
            return key.start() + 1
        header = re.search(rf"(?<![A-Za-z0-9_\-]){name}(?![A-Za-z0-9_\-])", line)
        if header and line.lstrip().startswith("["):
            return header.start() + 1
    return len(line) - len(line.lstrip()) + 1


def is_type_tag(part: str) -> bool:
    """pydantic puts union member names (``list[Condition]``, ``function-before[...]``,
    ``Condition``) in locs; keys and ids of rate files are lower-case, model names are not."""
    return (
        any(ch in part for ch in "[(")
        or part in {"int", "str", "bool", "float", "decimal", "date"}
        or part[:1].isupper()
    )


def format_path(path: Sequence[str | int]) -> str:
    """``('year', 2, 'category', 0, 'individual')`` -> ``year[2].category[0].individual``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif is_type_tag(part):
            continue
        else:
            out += ("." if out else "") + part
    return out


_PATH_TOKEN = re.compile(r"[^.\[\]]+|\[\d+\]")


def parse_path(text: str) -> KeyPath:
    """``year[2].category[0].individual`` -> ``('year', 2, 'category', 0, 'individual')``.

    The inverse of :func:`format_path`, for key paths that arrive as text (a
    :class:`~premium_calc.upkeep.problems.Problem`, an error); code that builds a key path
    keeps it as a tuple.
    """
    return tuple(int(token[1:-1]) if token.startswith("[") else token for token in _PATH_TOKEN.findall(text))
