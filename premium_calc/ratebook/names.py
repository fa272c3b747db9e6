"""Finding a region by id, Chinese or English name or alias, from file headers only."""

from __future__ import annotations

import re
from pathlib import Path

from ..ratefiles.reading import REGION_ID

_FIRST_YEAR = re.compile(r"^\s*\[\[\s*year\s*\]\]", re.MULTILINE)


def _header(path: Path) -> dict[str, object] | None:
    """The TOML before a rate file's first ``[[year]]`` (``None`` if it cannot be read)."""
    from ..ratefiles.reading import read_limited_text

    try:  # never blocks on a FIFO, never reads a huge file
        text = read_limited_text(path, ValueError)
    except ValueError:
        return None
    return _header_of(text)


def header_part(text: str) -> str:
    """The text of a rate file before its first ``[[year]]`` (what the functions here parse)."""
    match = _FIRST_YEAR.search(text)
    return text[: match.start()] if match else text


def _header_of(text: str) -> dict[str, object] | None:
    from ..ratefiles.reading import toml_module  # a book served from the cache parses nothing

    tomllib = toml_module()
    try:
        head: dict[str, object] = tomllib.loads(header_part(text))
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    return head


def header_of_text(text: str) -> tuple[list[str], str | None]:
    """The names and aliases (:func:`header_names`) and the code (:func:`header_code`) of a
    rate file's text, parsing its header once."""
    head = _header_of(text)
    return _names(head), _code(head)


def header_of_file(path: Path) -> tuple[list[str], str | None]:
    """:func:`header_of_text` of a rate file (empty names and no code if it cannot be read)."""
    head = _header(path)
    return _names(head), _code(head)


def header_names(path: Path) -> list[str]:
    """The zh/en names and aliases in a rate file's header (empty if it cannot be read)."""
    return _names(_header(path))


def _names(head: dict[str, object] | None) -> list[str]:
    region = head.get("region") if head is not None else None
    if not isinstance(region, dict):
        return []
    names: list[str] = []
    name = region.get("name")
    if isinstance(name, dict):
        names += [v for v in (name.get("zh"), name.get("en")) if isinstance(v, str)]
    aliases = region.get("aliases")
    if isinstance(aliases, list):
        names += [a for a in aliases if isinstance(a, str)]
    return names


def header_code(path: Path) -> str | None:
    """The 6-digit 行政区划代码 in a rate file's header, if it has one."""
    return _code(_header(path))


def _code(head: dict[str, object] | None) -> str | None:
    region = head.get("region") if head is not None else None
    code = region.get("code") if isinstance(region, dict) else None
    return code if isinstance(code, str) else None


def region_id_of_path(rel: str) -> str | None:
    """The region id of a rate file's path relative to its rate directory (``None``: none)."""
    region_id = rel[: -len(".toml")]
    return region_id if REGION_ID.match(region_id) else None


def normalize_name(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())
