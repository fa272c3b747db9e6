"""Paragraphs that wrap as a Chinese reader expects, at whatever width the console has.

rich folds text without spaces anywhere, so a long Chinese note breaks inside ``2024-09-23`` or
starts a line with ``，``. A :class:`Paragraph` breaks between Chinese characters, never inside
a run of Latin letters and digits (dates, amounts, codes, web addresses), never before closing
punctuation (``，。、；：）`` ...) or after opening punctuation (``（“《`` ...), and at spaces
in English; continuation lines are indented under the text after a prefix such as ``注：``.

These are the rules of Chinese line breaking (避头尾) that matter in this tool's texts, a small
part of Unicode's line-breaking algorithm (UAX #14). The full algorithm is in ``uniseg``; it
costs ~28 ms to import and ~12 ms per note here, too much for a command that answers in a
fraction of a second, so the rules above are applied directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, Group, RenderResult
    from rich.style import Style
    from rich.text import Text

#: May not start a line (closing punctuation, full-width and half-width).
NO_LINE_START = "，。、；：？！）」』》〉】〕”’…%‰,.;:?!)]}"
#: May not end a line (opening punctuation).
NO_LINE_END = "（「『《〈【〔“‘([{"

# One unbreakable unit: opening marks, then a run of Latin letters, digits and ASCII punctuation
# (a word, a date, an amount, a web address) or a single other character, then closing marks;
# or a run of spaces (a break opportunity, dropped at a line's end).
_UNIT = re.compile(
    rf"(?:[{re.escape(NO_LINE_END)}]\s*)*"  # opening marks stay with what they open
    r"(?:[^\s\u2e80-\uffef“”‘’…]+|[^\s])"
    rf"(?:\s*[{re.escape(NO_LINE_START)}])*"  # closing marks stay with what they close, spaces or not
    r"|\s+"
)


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def units(text: str) -> list[str]:
    """The text cut where a line may break (joined, the units give the text back).

    >>> units("集中缴费期2024-09-23至2025-02-28；非新生儿")
    ['集', '中', '缴', '费', '期', '2024-09-23', '至', '2025-02-28；', '非', '新', '生', '儿']
    """
    return _UNIT.findall(text)


def fill(text: str, width: int, prefix: str = "") -> list[str]:
    """``prefix`` + ``text`` in lines of at most ``width`` cells, continuation lines indented by
    the prefix's width (a unit wider than a line is cut by cells, as a last resort)."""
    indent = " " * _cells(prefix)
    width = max(width, _cells(prefix) + 4)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = prefix if not lines else indent, _cells(prefix)
        for unit in units(paragraph):
            size = _cells(unit)
            if unit.isspace():
                if used + size <= width and line.strip():
                    line, used = line + unit, used + size
                continue
            if used + size > width and line.strip():
                lines.append(line.rstrip())
                line, used = indent, len(indent)
            while used + size > width:  # longer than a whole line: cut by cells
                room = width - used
                head, rest = _split_cells(unit, room)
                lines.append(line + head)
                line, used, unit = indent, len(indent), rest
                size = _cells(unit)
            line, used = line + unit, used + size
        lines.append(line.rstrip())
    return lines


def _split_cells(text: str, room: int) -> tuple[str, str]:
    taken = 0
    for i, ch in enumerate(text):
        taken += _cells(ch)
        if taken > room:
            return text[: max(i, 1)], text[max(i, 1) :]
    return text, ""


class Paragraph:
    """A rich renderable: ``prefix`` + ``text`` filled to the console's width by :func:`fill`.

    >>> from rich.console import Console
    >>> console = Console(width=30, force_terminal=False, color_system=None)
    >>> with console.capture() as shown:
    ...     console.print(Paragraph("集中缴费期2024-09-23至2025-02-28，过期不候。", prefix="注："))
    >>> print(shown.get())
    注：集中缴费期2024-09-23至
        2025-02-28，过期不候。
    <BLANKLINE>
    """

    def __init__(self, text: str, *, prefix: str = "", style: str | Style | None = None) -> None:
        self.text, self.prefix, self.style = text, prefix, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        for line in fill(self.text, options.max_width, self.prefix):
            yield Text(line, style=self.style or "")

    def lines(self, width: int) -> Iterator[str]:
        yield from fill(self.text, width, self.prefix)


def wrapped(text: Text) -> Group:
    """A rich ``Text`` of lines as :class:`Paragraph` s: each line keeps its style (that of its
    first span, else the text's) and its leading spaces, under which its continuation lines are
    indented."""
    from rich.console import Group

    parts = []
    for line in text.split("\n", allow_blank=True):
        plain = line.plain
        lead = len(plain) - len(plain.lstrip(" "))
        style = line.spans[0].style if line.spans else (line.style or None)
        parts.append(Paragraph(plain[lead:], prefix=plain[:lead], style=style))
    return Group(*parts)


#: Line starts that are a list mark, under which a paragraph's continuation lines hang.
_MARK = re.compile(r"^(\s*(?:[·•*\-†≥?]\s?|\[\d+\]\s))")


def as_paragraph(line: str, style: str | Style | None = None) -> Paragraph:
    """A line of prose as a :class:`Paragraph`, its leading spaces and list mark (``· ``,
    ``[1] ``) as the prefix its continuation lines hang under."""
    found = _MARK.match(line)
    prefix = found.group(1) if found else line[: len(line) - len(line.lstrip(" "))]
    return Paragraph(line[len(prefix) :], prefix=prefix, style=style)
