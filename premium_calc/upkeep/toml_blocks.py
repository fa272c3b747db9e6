"""``[[year]]`` blocks of a rate file as text, and tomlkit edits inside one block that keep its
comments, layout and newlines.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..messages import Note
from ..ratefiles.keypaths import index_lines
from ..ratefiles.reading import Region

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib
if TYPE_CHECKING:
    from tomlkit.items import Item, Table

from ..errors import EditError


@dataclass
class YearBlocks:
    """A file's text cut into the ``[[year]]`` entries (by line) and what lies around them."""

    lines: list[str]
    spans: list[tuple[int, int]]  # 0-based [start, end) line ranges, one per [[year]]

    def text(self, index: int) -> str:
        start, end = self.spans[index]
        return "".join(self.lines[start:end])

    def replace(self, index: int, new: str) -> str:
        start, end = self.spans[index]
        return "".join(self.lines[:start]) + new + "".join(self.lines[end:])

    def insert_at(self, line: int, new: str) -> str:
        return "".join(self.lines[:line]) + new + "".join(self.lines[line:])


def year_blocks(text: str, region: Region, path: Path) -> YearBlocks:

    index = index_lines(text)
    lines = text.splitlines(keepends=True)
    count = len(region.data.year)
    starts = [index.get(("year", i)) for i in range(count)]
    tops = sorted(
        {line for key, line in index.items() if len(key) == 1 and line > 0}
        | {s for s in starts if s is not None}
    )
    spans: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        if start is None:
            raise _cannot_locate(path, i)
        later = [t for t in tops if t > start]
        end = later[0] - 1 if later else len(lines)
        spans.append((start - 1, end))
    blocks = YearBlocks(lines, spans)
    # Make sure each block is exactly the entry it should be.
    for i, entry in enumerate(region.data.year):
        try:
            parsed = tomllib.loads(blocks.text(i))
        except (tomllib.TOMLDecodeError, RecursionError):
            raise _cannot_locate(path, i) from None
        years = parsed.get("year")
        if not isinstance(years, list) or len(years) != 1 or years[0].get("coverage") != entry.coverage:
            raise _cannot_locate(path, i)
    return blocks


def _cannot_locate(path: Path, index: int) -> EditError:
    return EditError(Note("edit.cannot_locate", path=path, entry=index + 1))


def split_trailing(block: str) -> tuple[str, str]:
    """``(content, trailing)``: trailing blank and comment lines belong to what follows."""
    lines = block.splitlines(keepends=True)
    cut = len(lines)
    while cut > 0 and (not lines[cut - 1].strip() or lines[cut - 1].lstrip().startswith("#")):
        cut -= 1
    return "".join(lines[:cut]), "".join(lines[cut:])


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def same_newlines(original: str, rendered: str) -> str:
    """New lines end like the original's where the original ends every line with CRLF."""
    if "\r\n" in original and "\n" not in original.replace("\r\n", ""):
        return re.sub(r"(?<!\r)\n", "\r\n", rendered)
    return rendered


def parse_block(text: str) -> Any:
    import tomlkit

    doc = tomlkit.parse(text)
    _fix_dates(doc)
    return doc


def _fix_dates(node: Any) -> None:
    """tomlkit drops the blank after a date inside an inline table: keep it with the date."""
    from tomlkit.items import AoT, Date, DateTime, InlineTable, Table, Time
    from tomlkit.toml_document import TOMLDocument

    if isinstance(node, AoT):
        for table in node.body:
            _fix_dates(table)
        return
    if isinstance(node, TOMLDocument | Table | InlineTable):
        container = node if isinstance(node, TOMLDocument) else node.value
        for key, item in container.body:
            if key is None:
                continue
            if (
                isinstance(node, InlineTable)
                and isinstance(item, Date | DateTime | Time)
                and item.trivia.comment_ws
                and hasattr(item, "_raw")
            ):
                item._raw += item.trivia.comment_ws
                item.trivia.comment_ws = ""
            _fix_dates(item)


def toml_item(literal: str) -> Item:
    import tomlkit

    item = tomlkit.value(literal)
    _fix_dates(item)
    return item


def inline_text(pairs: list[tuple[str, str]]) -> str:
    return "{ " + ", ".join(f"{k} = {v}" for k, v in pairs) + " }" if pairs else "{}"


def _inline_pairs(item: Any) -> list[tuple[str, str]]:
    """``[(key text, value text)]`` of an inline table, in order."""
    out: list[tuple[str, str]] = []
    for key, value in item.value.body:
        if key is None:
            continue
        out.append((key.as_string().strip(), value.as_string().strip()))
    return out


#: The usual order of members in the inline tables of rate files.
_MEMBER_ORDER = ("amount", "start", "end", "waiting_days", "source", "note")


def set_member(table: Table, name: str, member: str, literal: str | None) -> None:
    """Set (or with ``None`` remove) ``member`` of the table or inline table ``table[name]``."""
    from tomlkit.items import InlineTable
    from tomlkit.items import Table as TomlTable

    current = table.get(name)
    if isinstance(current, TomlTable):
        if literal is None:
            if member in current:
                del current[member]
        else:
            current[member] = toml_item(literal)
        return
    pairs = _inline_pairs(current) if isinstance(current, InlineTable) else []
    keys = [k.strip('"') for k, _ in pairs]
    if literal is None:
        pairs = [(k, v) for k, v in pairs if k.strip('"') != member]
    elif member in keys:
        pairs[keys.index(member)] = (pairs[keys.index(member)][0], literal)
    else:
        # A new member goes before the first one that comes later in the usual order.
        rank = _MEMBER_ORDER.index(member) if member in _MEMBER_ORDER else len(_MEMBER_ORDER)
        position = next(
            (i for i, k in enumerate(keys) if k in _MEMBER_ORDER and _MEMBER_ORDER.index(k) > rank),
            len(pairs),
        )
        pairs.insert(position, (member, literal))
    table[name] = toml_item(inline_text(pairs))


def set_after(table: Table, after: str, name: str, item: Item) -> None:
    """``table[name] = item``, a new key placed right after ``after`` where tomlkit allows."""
    if name in table:
        table[name] = item
        return
    container = getattr(table, "value", None)
    if after in table and container is not None:
        # tomlkit has no public "insert after": its containers did (_insert_after, up to 0.15.2),
        # and insert at a body index (_insert_at, all versions).
        insert_after = getattr(container, "_insert_after", None)
        insert_at = getattr(container, "_insert_at", None)
        body = getattr(container, "body", [])
        at = next((i for i, (k, _) in enumerate(body) if k is not None and k.key == after), None)
        try:
            if insert_after is not None:
                insert_after(after, name, item)
                return
            if insert_at is not None and at is not None:
                insert_at(at + 1, name, item)
                return
        except Exception:  # pragma: no cover - tomlkit internals changed: fall back to the end
            pass
    table[name] = item


def get_member(table: Table, name: str, member: str) -> Any:
    current = table.get(name)
    if current is None:
        return None
    return current.get(member)


def render_block(original: str, doc: Any) -> str:
    """Render an edited block; lines tomlkit did not mean to change stay byte for byte."""
    import tomlkit

    rendered = tomlkit.dumps(doc)
    baseline = tomlkit.dumps(parse_block(original))
    if baseline == original:
        return rendered
    old = original.splitlines(keepends=True)
    base = baseline.splitlines(keepends=True)
    new = rendered.splitlines(keepends=True)
    if len(old) != len(base):
        return rendered
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, base, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(old[i1:i2] if tag == "equal" else new[j1:j2])
    return "".join(out)
