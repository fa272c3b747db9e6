"""Map TOML key paths to line numbers.

``tomllib`` reports lines only for syntax errors; schema errors come back as key paths
(``year[2].category[0].individual``). This light scanner finds the line that sets a key
path so every error and every explained value can point at ``file:line``. It runs only
when a line is needed (an error, ``rates explain``), never on the calculation path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*([A-Za-z0-9_\-."]+?)\s*=')
_INLINE_KEY = re.compile(r'([A-Za-z0-9_\-]+)\s*=')


def _split_key(raw: str) -> list[str]:
    return [part.strip().strip('"') for part in raw.split(".")]


def index_lines(text: str) -> dict[KeyPath, int]:
    """Return ``{key path: 1-based line}`` for every table, array entry and key."""
    found: dict[KeyPath, int] = {}
    counts: dict[KeyPath, int] = {}
    current: KeyPath = ()
    depth = 0  # bracket depth of a multi-line value
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
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
            value = line[key.end():]
            value_code = value.split("#")[0] if '"' not in value else value
            opened = value_code.count("[") + value_code.count("{")
            closed = value_code.count("]") + value_code.count("}")
            if "{" in value_code or "[" in value_code:
                _index_inline(value_code, path, lineno, found)
            if opened > closed:
                depth = opened - closed
    return found


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
    clean: KeyPath = tuple(p for p in path if isinstance(p, int) or not _is_type_tag(p))
    for end in range(len(clean), 0, -1):
        hit = lines.get(clean[:end])
        if hit is not None:
            return hit
    return None


def _is_type_tag(part: str) -> bool:
    """pydantic puts union member names (``list[Condition]``, ``function-before[...]``) in locs."""
    return any(ch in part for ch in "[(") or part in {"int", "str", "bool", "float"}


def format_path(path: Sequence[str | int]) -> str:
    """``('year', 2, 'category', 0, 'individual')`` -> ``year[2].category[0].individual``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _is_type_tag(part):
            continue
        else:
            out += ("." if out else "") + part
    return out
