"""Tables that fit the terminal: natural widths where they fit, wrapped text columns where the
unbreakable words still fit, else one block per row (``label: value`` lines).

Words are never broken: a line breaks only at a space or beside a wide (CJK) character, so a
region id (``cn/hebei/shijiazhuang/ltc_pilot``), a year (``2026``, ``2004-2023``), an amount
(``1,070``, ``520†``, ``+5.77%``) or a date always stays whole on one line, and nothing is cut
with an ellipsis. Nothing here prints: the command prints the renderable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.box import Box
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.table import Table
    from rich.text import Text

    Cell = str | Text

#: A column that wraps is never made narrower than this (or its widest word, or its whole text
#: if that is shorter): a column of two cells holds no readable text.
MIN_WRAP = 8

#: Closing punctuation kept on the line of the character before it.
_CLOSERS = set("，。、：；！？）」』】》")
#: Opening punctuation kept on the line of the character after it.
_OPENERS = set("（「『【《")


#: Narrow opening brackets and quotes, kept with what follows them.
_NARROW_OPENERS = "([{\"'“‘"
#: Narrow closing brackets and punctuation, kept with what comes before them.
_NARROW_CLOSERS = ")]}\"'”’.,;:!?%†*"
#: A word may break after the hyphen of a compound (``long-|term``), never inside a number,
#: a date or a range of years (``2004-2023``).
_HYPHEN = re.compile(r"(?<=[A-Za-z]-)(?=[A-Za-z])")


def cells(text: str) -> int:
    """Terminal cells a text takes (CJK characters take two)."""
    from rich.cells import cell_len

    return cell_len(text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def words(text: str) -> list[tuple[str, bool]]:
    """The unbreakable pieces of one line of text, each with whether a space comes before it.

    A run of narrow non-space characters is one piece (an id, an amount, a range of years);
    every wide character is a piece of its own, with closing punctuation joined to the piece
    before and opening punctuation to the piece after.
    """
    out: list[tuple[str, bool]] = []
    space = False
    run = ""
    opener = ""

    def push(piece: str) -> None:
        nonlocal space, opener
        if piece and not piece.strip(_NARROW_OPENERS):  # "(" before a wide character
            opener += piece
            return
        if piece and not piece.strip(_NARROW_CLOSERS) and out and not space:  # ")" after one
            last, before = out[-1]
            out[-1] = (last + piece, before)
            return
        for i, part in enumerate(_HYPHEN.split(piece)):
            out.append((opener + part if i == 0 else part, space and i == 0))
            opener = ""
        space = False

    for char in text:
        if char.isspace():
            if run:
                push(run)
                run = ""
            space = space or bool(out) or bool(opener)
        elif _wide(char):
            if run:
                push(run)
                run = ""
            if char in _CLOSERS and out and not space:
                piece, before = out[-1]
                out[-1] = (piece + char, before)
            elif char in _OPENERS:
                opener += char
            else:
                push(char)
        else:
            run += char
    if run or opener:
        push(run)
    return out


def _indent(paragraph: str) -> tuple[str, str]:
    body = paragraph.lstrip(" ")
    return paragraph[: len(paragraph) - len(body)], body


def min_width(text: str) -> int:
    """The narrowest a text can be wrapped to without breaking a word (indentation kept)."""
    widest = 0
    for paragraph in text.split("\n"):
        indent, body = _indent(paragraph)
        pieces = words(body)
        widest = max(widest, len(indent) + max((cells(p) for p, _ in pieces), default=0))
    return widest


def natural_width(text: str) -> int:
    """The widest line of a text as given."""
    return max((cells(line) for line in text.split("\n")), default=0)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells, broken at spaces and beside wide characters only; each
    line of ``text`` keeps its leading indentation on every line it wraps to. A word wider
    than ``width`` stays whole (on a line of its own)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        indent, body = _indent(paragraph)
        line = indent
        filled = False
        for piece, spaced in words(body):
            joined = line + (" " if spaced and filled else "") + piece
            if not filled or cells(joined) <= width:
                line, filled = joined, True
            else:
                lines.append(line)
                line = indent + piece
        lines.append(line.rstrip() if filled else paragraph.rstrip())
    return lines


@dataclass(frozen=True)
class Column:
    """A column: its header, alignment, and whether its text may wrap (``False``: amounts and
    marks, always on the lines given)."""

    header: str
    justify: Literal["left", "center", "right"] = "left"
    wrap: bool = True
    vertical: Literal["top", "middle", "bottom"] = "top"


@dataclass(frozen=True)
class Style:
    """How a table is drawn: its box (None: none), edges and padding between columns."""

    box: Box | None = None
    show_edge: bool = True
    pad_edge: bool = False
    collapse_padding: bool = False
    show_lines: bool = False


def _narrowest(cell: Cell) -> int:
    """The narrowest a cell may be made: its widest word, and at least :data:`MIN_WRAP` cells
    beside its indentation (unless all of it is narrower)."""
    if not isinstance(cell, str):
        return natural_width(cell.plain)
    readable = max(min(natural_width(p), len(_indent(p)[0]) + MIN_WRAP) for p in cell.split("\n"))
    return max(min_width(cell), readable)


def _plain(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.plain


@dataclass
class Grid:
    """Columns and rows of text, to be drawn in the first of ``styles`` that fits the width.

    Cells are strings (wrapped as needed) or rich ``Text`` (styled; never wrapped).
    """

    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    title: str | None = None
    styles: Sequence[Style] = (Style(),)
    title_justify: Literal["left", "center", "right"] = "left"
    _ranges: list[tuple[int, int]] = field(default_factory=list, init=False, repr=False)

    def ranges(self) -> list[tuple[int, int]]:
        """Each column's narrowest and natural width (headers included)."""
        if not self._ranges:
            for i, column in enumerate(self.columns):
                cells_ = [column.header, *(row[i] for row in self.rows)]
                natural = max(natural_width(_plain(c)) for c in cells_)
                narrow = natural
                if column.wrap:
                    narrow = max(
                        min(natural_width(column.header), MIN_WRAP),
                        *(_narrowest(c) for c in cells_[1:]),
                    )
                self._ranges.append((narrow, natural))
        return self._ranges

    def _table(self, style: Style, widths: Sequence[int]) -> Table:
        from rich.table import Table

        table = Table(
            title=self.title,
            title_justify=self.title_justify,
            box=style.box,
            show_edge=style.show_edge,
            pad_edge=style.pad_edge,
            collapse_padding=style.collapse_padding,
            show_lines=style.show_lines,
        )
        for column, width in zip(self.columns, widths, strict=True):
            header = _block(column.header, width, column)
            table.add_column(header, no_wrap=True, overflow="fold", width=width, vertical=column.vertical)
        for row in self.rows:
            table.add_row(*(_block(c, w, col) for c, w, col in zip(row, widths, self.columns, strict=True)))
        return table

    def overhead(self, console: Console, options: ConsoleOptions, style: Style) -> int:
        """Cells the table takes beyond its columns' text: edges, dividers, padding."""
        from rich.measure import Measurement
        from rich.table import Table

        probe = Table(
            box=style.box,
            show_edge=style.show_edge,
            pad_edge=style.pad_edge,
            collapse_padding=style.collapse_padding,
        )
        for _ in self.columns:
            probe.add_column("x", width=1)
        wide = options.update_width(10**6)
        return Measurement.get(console, wide, probe).maximum - len(self.columns)

    def layout(self, console: Console, options: ConsoleOptions, width: int) -> Table | None:
        """The table at natural widths, or with wrapped columns, in the first style that
        fits ``width``; None if none does."""
        narrow = [lo for lo, _ in self.ranges()]
        natural = [hi for _, hi in self.ranges()]
        for style in self.styles:
            room = width - self.overhead(console, options, style)
            if sum(natural) <= room:
                return self._table(style, natural)
            if sum(narrow) <= room:
                return self._table(style, _spread(narrow, natural, room))
        return None

    def widest(self, console: Console, options: ConsoleOptions) -> Table:
        """The table in its last style at its narrowest widths, however wide that is."""
        return self._table(self.styles[-1], [lo for lo, _ in self.ranges()])

    def stacked(self, width: int) -> Iterator[Text]:
        """One block per row: the first cell as a heading, then ``  header: value`` lines
        (values wrapped beside their label, or under it when the label leaves too little)."""
        from rich.text import Text

        if self.title:
            yield Text(self.title, overflow="fold")
        for row in self.rows:
            head = row[0]
            if isinstance(head, str):  # a heading starts at the margin (indentation dropped)
                head = "\n".join(line.strip() for line in head.split("\n"))
            yield Text(head, overflow="fold") if isinstance(head, str) else head
            for column, cell in zip(self.columns[1:], row[1:], strict=True):
                text = _plain(cell)
                if not text.strip():
                    continue
                label = f"  {column.header}: "
                room = width - cells(label)
                lines = wrap(text, room) if isinstance(cell, str) else [text]
                if isinstance(cell, str) and max(cells(x) for x in lines) > room:
                    lines = ["", *wrap(text, width - 4)]
                    yield Text(label.rstrip(), overflow="fold")
                    yield from (Text("    " + x, overflow="fold") for x in lines[1:])
                    continue
                first = Text(label, overflow="fold")
                first.append(lines[0]) if isinstance(cell, str) else first.append_text(cell)
                yield first
                pad = " " * cells(label)
                yield from (Text(pad + x, overflow="fold") for x in lines[1:])

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Fitted([self])


def _block(cell: Cell, width: int, column: Column) -> Text:
    """A cell as the lines it takes in a column ``width`` cells wide: wrapped (if the column
    wraps) and aligned as a block, its lines left-aligned within it (wrapped prose reads from
    the left even in a column of right-aligned amounts). Never parsed as markup."""
    from rich.text import Text

    text = Text(cell) if isinstance(cell, str) else cell.copy()
    if isinstance(cell, str) and column.wrap:
        text = Text("\n".join(wrap(cell, width)))
    lines = text.split("\n")
    block = max((cells(line.plain) for line in lines), default=0)
    gap = max(width - block, 0)
    left = {"left": 0, "center": gap // 2, "right": gap}[column.justify]
    out = Text()
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        out.append(" " * left)
        out.append_text(line)
    return out


def _spread(narrow: Sequence[int], natural: Sequence[int], room: int) -> list[int]:
    """Widths from ``narrow`` towards ``natural`` sharing ``room``: the columns that need the
    fewest cells to be whole get them first (fewest columns wrapped), the rest goes to the
    next one."""
    widths = list(narrow)
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: (natural[i] - narrow[i], i)):
        extra = min(natural[i] - widths[i], spare)
        widths[i] += extra
        spare -= extra
    return widths


@dataclass
class Fitted:
    """The first of several grids (say, with separate and with merged columns) that fits the
    console; if none does, the last one stacked (``fallback="stack"``) or the first one drawn
    at its narrowest widths, wider than the console (``fallback="wide"``: the terminal wraps
    it)."""

    grids: Sequence[Grid]
    fallback: Literal["stack", "wide"] = "stack"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for grid in self.grids:
            table = grid.layout(console, options, width)
            if table is not None:
                yield table
                return
        if self.fallback == "stack":
            yield from self.grids[-1].stacked(width)
            return
        from rich.measure import Measurement

        table = self.grids[0].widest(console, options)
        needed = Measurement.get(console, options.update_width(10**6), table).maximum
        yield from console.render(table, options.update_width(needed))
