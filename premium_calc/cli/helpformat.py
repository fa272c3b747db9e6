"""Chinese ``--help`` pages: click's own words from the catalog, and wrapping by screen width.

Click (which typer runs on: a copy of its own, ``typer._click``, in recent typer; ``click`` in
older ones) writes a few words of its own into help pages and usage errors ("Usage:",
"Options", "Show this message and exit.", "[default: en]", "Error: ..."). It looks them up
through a module-level ``_`` (``gettext.gettext``) in each of its modules; :func:`install`
points that ``_`` at the catalog (keys ``cli.click.*``) and sets the help formatter to one that
wraps Chinese text by its width on screen (a Chinese character takes two columns and a line may
break between two of them; click counts characters and breaks only at spaces).

:func:`install` is called only for Chinese; English help is click's, untouched.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import typer

from ..messages import tr

#: Click's and typer's English words (their gettext message ids) -> catalog keys.
CLICK_TEXTS: dict[str, str] = {
    "Usage:": "cli.click.usage",
    "Options": "cli.click.options",
    "Arguments": "cli.click.arguments",
    "Commands": "cli.click.commands",
    "Show this message and exit.": "cli.click.help",
    "default: {default}": "cli.click.default",
    "required": "cli.click.required",
    "Error: {message}": "cli.click.error",
    "Try '{command} {option}' for help.": "cli.click.try_help",
    "No such option {name!r}.": "cli.click.no_such_option",
    "No such command {name!r}.": "cli.click.no_such_command",
    "Missing command.": "cli.click.missing_command",
    "Missing option": "cli.click.missing_option",
    "Missing argument": "cli.click.missing_argument",
    "Missing parameter": "cli.click.missing_parameter",
    "Invalid value for {param_hint}: {message}": "cli.click.invalid_value",
    "Aborted!": "cli.click.aborted",
}

#: The modules of click that look their words up through ``_``.
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types")


def click_module(name: str) -> ModuleType:
    """A module of the click typer runs on (``typer._click.core`` or ``click.core``)."""
    base = typer.Context.__mro__[1]  # typer's Context subclasses click's
    package = base.__module__.rpartition(".")[0]
    return importlib.import_module(f"{package}.{name}")


def translator(lang: str) -> Callable[[str], str]:
    """A ``gettext`` for click's words in ``lang`` (a word not in :data:`CLICK_TEXTS` stays)."""

    def gettext(message: str) -> str:
        key = CLICK_TEXTS.get(message)
        return tr(key, lang) if key is not None else message

    return gettext


def install(lang: str) -> None:
    """Let click and typer speak ``lang`` in help pages (and, where click looks its words up,
    in usage errors)."""
    gettext = translator(lang)
    modules = [importlib.import_module("typer.core")]
    for name in CLICK_MODULES:
        try:
            modules.append(click_module(name))
        except ModuleNotFoundError:  # typer's copy of click has fewer modules
            continue
    for module in modules:
        if callable(getattr(module, "_", None)):
            module._ = gettext  # type: ignore[attr-defined]
    base = click_module("formatting").HelpFormatter
    click_module("core").Context.formatter_class = cell_width_formatter(base, gettext)


# --- wrapping by width on screen ---------------------------------------------------------

#: Marks that may not start a line (they stay with the character before them).
_CLOSING = frozenset("，。、；：！？）》」』】〕,.;:!?)]}%")
#: Marks that may not end a line (they stay with the character after them).
_OPENING = frozenset("（《「『【〔([{")


def cell_width(ch: str) -> int:
    """Columns a character takes on a terminal."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """Columns ``text`` takes on a terminal."""
    return sum(cell_width(ch) for ch in text)


def _wide(ch: str) -> bool:
    return cell_width(ch) == 2


def _tokens(text: str) -> list[str]:
    """Runs of spaces, words of narrow characters, and single wide characters, with closing
    marks kept on the token before them, opening marks on the token after them, and a
    ``[...]`` (click's ``[default: zh]``) in one piece."""
    tokens: list[str] = []
    glue_next = False
    depth = 0
    for ch in text:
        prev = tokens[-1] if tokens else ""
        if ch.isspace():
            if prev.isspace():
                tokens[-1] = prev + " "
            else:
                tokens.append(" ")
            glue_next = False
            continue
        joined = bool(prev) and not prev.isspace() and (
            glue_next
            or depth > 0
            or ch in _CLOSING
            or (not _wide(ch) and not _wide(prev[-1]))
        )
        if joined:
            tokens[-1] = prev + ch
        else:
            tokens.append(ch)
        glue_next = ch in _OPENING
        depth += (ch == "[") - (ch == "]")
    return tokens


def _fill(text: str, width: int, initial_indent: str, subsequent_indent: str) -> list[str]:
    lines: list[str] = []
    indent = initial_indent
    line = ""
    gap = ""
    for token in _tokens(text):
        if token.isspace():
            gap = token if line else ""
            continue
        if line and cells(indent + line + gap + token) > width:
            lines.append(indent + line)
            indent, line, gap = subsequent_indent, "", ""
        line += gap + token
        gap = ""
        while cells(indent + line) > width and len(line) > 1:  # a word wider than the line
            room = max(width - cells(indent), 1)
            cut = 1
            while cut < len(line) and cells(line[: cut + 1]) <= room:
                cut += 1
            lines.append(indent + line[:cut])
            indent, line = subsequent_indent, line[cut:]
    if line or not lines:
        lines.append(indent + line)
    return lines


def wrap(
    text: str,
    width: int = 78,
    initial_indent: str = "",
    subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """:func:`click.wrap_text` measured in terminal columns, breaking between Chinese
    characters too."""
    if not preserve_paragraphs:
        return "\n".join(_fill(" ".join(text.split("\n")), width, initial_indent, subsequent_indent))
    paragraphs = [p for p in re.split(r"\n\s*\n", text.expandtabs()) if p.strip()]
    out = []
    for paragraph in paragraphs:
        if paragraph.lstrip(" ").startswith("\b"):  # click's "do not rewrap" mark
            kept = paragraph.lstrip(" ")[1:].strip("\n").splitlines()
            out.append("\n".join(initial_indent + line for line in kept))
            continue
        joined = " ".join(line.strip() for line in paragraph.splitlines())
        out.append("\n".join(_fill(joined, width, initial_indent, subsequent_indent)))
    return "\n\n".join(out)


def cell_width_formatter(base: Any, gettext: Callable[[str], str]) -> Any:
    """Click's help formatter ``base``, wrapping text by its width on screen, with click's
    words through ``gettext`` (typer's copy of click writes them without a lookup)."""

    class CellWidthFormatter(base):  # type: ignore[misc]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, gettext("Usage:") + " " if prefix is None else prefix)

        def write_text(self, text: str) -> None:
            indent = " " * self.current_indent
            self.write(wrap(text, self.width, indent, indent, preserve_paragraphs=True))
            self.write("\n")

        def write_dl(
            self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
        ) -> None:
            rows = list(rows)
            first_width = max((cells(first) for first, _ in rows), default=0)
            first_col = min(first_width, col_max) + col_spacing
            for first, text in rows:
                second = gettext(text)  # "Show this message and exit."
                self.write(f"{'':>{self.current_indent}}{first}")
                if not second:
                    self.write("\n")
                    continue
                if cells(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - cells(first)))
                else:
                    self.write("\n")
                    self.write(" " * (first_col + self.current_indent))
                text_width = max(self.width - first_col - 2, 10)
                lines = wrap(second, text_width, preserve_paragraphs=True).splitlines()
                self.write(f"{lines[0] if lines else ''}\n")
                for line in lines[1:]:
                    self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

    return CellWidthFormatter


def first_sentence(text: str) -> str:
    """The first sentence of a Chinese help text, for the list of commands (click would cut
    a text without spaces down to "...")."""
    paragraph = text.split("\n\n", 1)[0].strip()
    match = re.search(r"[。！？]", paragraph)
    return paragraph[: match.start()] if match else paragraph


__all__ = [
    "CLICK_TEXTS",
    "cell_width_formatter",
    "cells",
    "click_module",
    "first_sentence",
    "install",
    "wrap",
]
