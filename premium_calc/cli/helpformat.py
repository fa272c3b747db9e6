"""Chinese ``--help`` pages: click's own words from the catalog, and wrapping by screen width.

Click (which typer runs on: a copy of its own, ``typer._click``, in recent typer; ``click`` in
older ones) writes a few words of its own into help pages and usage errors ("Usage:",
"Options", "Show this message and exit.", "[default: en]", "Error: ..."). It looks them up
through a module-level ``_`` (``gettext.gettext``) in each of its modules; :func:`install`
points that ``_`` at the catalog (keys ``cli.click.*``) and sets the help formatter to one that
wraps Chinese text by its width on screen (a Chinese character takes two columns and a line may
break between two of them; click counts characters and breaks only at spaces).

:func:`install` is called only for Chinese; English help is click's words, untouched.

In both languages :func:`readable_metavars` names option values by what they are
(``--region PLACE``, ``--year YEAR``, ``--rates-dir DIR``) instead of typer's Python types
(``<str>``, ``<int>``, ``<list[Path]>``): one vocabulary across commands, see ``docs/cli.md``.
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
    # typer's shell completion options (help texts of the root command)
    "Install completion for the current shell.": "cli.click.install_completion",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "cli.click.show_completion"
    ),
    "repeatable": "cli.click.repeatable",
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


# --- value names in help ---------------------------------------------------------------

#: The value name of every option that has no ``metavar=`` of its own, by its long name: the
#: same option shows the same name in every command. An option not listed here is named by
#: its type (:func:`metavar_of`).
METAVARS: dict[str, str] = {
    "--region": "PLACE",
    "--income-region": "PLACE",
    "--synthetic": "PLACE",
    "--year": "YEAR",
    "--paid-in": "YEAR",
    "--from": "YEAR",
    "--to": "YEAR",
    "--years": "YEARS",
    "--member": "AGE[:FLAG,...]",
    "--household": "FILE",
    "--preset": "NAME",
    "--income": "YUAN",
    "--income-stat": "STAT",
    "--tier": "TIER",
    "--category": "CATEGORY",
    "--level": "LEVEL",
    "--thresholds": "SHARE,...",
    "--rates-dir": "DIR",
    "--output": "FILE",
    "--out": "FILE",
    "--rejects": "FILE",
    "--plot": "FILE",
    "--encoding": "ENCODING",
    "--on-error": "skip|stop",
    "--engine": "local|dask",
    "--setting": "rural|urban|all",
    "--size": "WxH",
    "--dpi": "DPI",
    "--households": "N",
    "--seed": "N",
    "--min-cell": "N",
    "--batch-rows": "N",
    "--source": "URL",
    "--source-title": "TITLE",
    "--confidence": "high|medium|low",
    "--bump": "KEY=CHANGE",
    "--version": "VERSION",
    "--stay": "YUAN[:LEVEL]",
    "--skip": "N|all",
    "--in-scope": "SHARE",
    "--lang": "zh|en",
}

#: Value names by type, for options not in :data:`METAVARS` and for arguments.
_BY_TYPE = {"int": "N", "float": "NUMBER", "Decimal": "NUMBER", "str": "TEXT", "Path": "FILE"}


def metavar_of(param: Any, ctx: Any = None) -> str:
    """The value name ``--help`` shows for an option: its own ``metavar=``, else
    :data:`METAVARS` by its long name, else its type (a list of X: X; a path: ``DIR`` for an
    option ending in ``-dir``, else ``FILE``; a choice: ``a|b``)."""
    if param.metavar is not None:
        return str(param.metavar)
    for opt in sorted(param.opts, key=len, reverse=True):
        if opt in METAVARS:
            return METAVARS[opt]
    label = str(param.display_type(ctx)).strip("<>") if hasattr(param, "display_type") else "TEXT"
    while label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    if "|" in label:
        return label
    if label in ("Path", "path") or "Path" in label:
        return "DIR" if any(opt.endswith("-dir") for opt in param.opts) else "FILE"
    return _BY_TYPE.get(label, label.upper())


def readable_metavars() -> None:
    """Let typer's options and arguments show :func:`metavar_of` in ``--help`` (typer 0.2x
    writes ``<str>``, ``<list[Path]>``), and mark a repeatable option ``[repeatable]``. Older
    typer (click's own metavars, ``TEXT``) is left as it is."""
    core = importlib.import_module("typer.core")
    option, argument = getattr(core, "TyperOption", None), getattr(core, "TyperArgument", None)
    if option is None or argument is None or not hasattr(option, "display_type_rich"):
        return
    if getattr(option, "_premium_calc_metavars", False):
        return
    help_record = option.get_help_record

    def display_type_rich(self: Any, ctx: Any) -> str:
        return metavar_of(self, ctx)

    def get_help_record(self: Any, ctx: Any) -> tuple[str, str] | None:
        record: tuple[str, str] | None = help_record(self, ctx)
        if record is None or not self.multiple or self.is_flag or _says_repeat(self.help or ""):
            return record
        name, text = record
        word = translator(_help_language(ctx))("repeatable")
        if text.endswith("]") and "  [" in text:  # click's "[default: ...; required]"
            return name, f"{text[:-1]}; {word}]"
        return name, f"{text}  [{word}]" if text else f"[{word}]"

    def argument_name(self: Any) -> str:
        return str(self.metavar) if self.metavar is not None else str(self.name).upper()

    option.display_type_rich = display_type_rich
    option.get_help_record = get_help_record
    option._premium_calc_metavars = True
    argument.display_name_raw = property(argument_name)
    argument.display_type_rich = lambda self, ctx: None


def _says_repeat(text: str) -> bool:
    """Whether an option's help already says it may be given more than once."""
    return "repeat" in text.lower() or any(word in text for word in ("多次", "重复", "可以写几个"))


def _help_language(ctx: Any) -> str:
    """The language help is written in: the one the CLI chose when it was imported."""
    from .language import LANG

    return LANG


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
        joined = (
            bool(prev)
            and not prev.isspace()
            and (glue_next or depth > 0 or ch in _CLOSING or (not _wide(ch) and not _wide(prev[-1])))
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

        def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
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


#: A first sentence up to this many cells is a command's line in the list of commands whole
#: (two lines at most on 80 columns); a longer one is cut after the last clause that fits in
#: SHORT_HELP_CELLS (one line).
WHOLE_SENTENCE_CELLS, SHORT_HELP_CELLS = 100, 64

#: A sentence ends at one of these (English: followed by a space); a clause at one of these.
_SENTENCE_END = re.compile(r"[。！？]|(?<!e\.g)(?<!i\.e)(?<!etc)[.!?](?=\s|$)")
_CLAUSE_END = re.compile(r"[，：；]|[,:;](?=\s)")


def _pieces(sentence: str) -> list[str]:
    """A sentence cut after each clause mark outside brackets."""
    pieces, start, depth = [], 0, 0
    for i, ch in enumerate(sentence):
        depth += (ch in "(（[【") - (ch in ")）]】")
        if depth == 0 and _CLAUSE_END.match(sentence, i):
            pieces.append(sentence[start : i + 1])
            start = i + 1
    pieces.append(sentence[start:])
    return [piece for piece in pieces if piece.strip()]


def first_sentence(text: str, limit: int = SHORT_HELP_CELLS) -> str:
    """A command's line in the list of commands, whole (click would cut it to "..."; a Chinese
    text without spaces down to nothing): the first sentence of its help, whole up to
    :data:`WHOLE_SENTENCE_CELLS`, else cut after the last clause that fits in ``limit`` cells;
    a question ("Is it worth it?") goes on into the next sentence. Without the full stop."""
    paragraph = " ".join(text.split("\n\n", 1)[0].split())
    sentences: list[str] = []
    start = 0
    for found in _SENTENCE_END.finditer(paragraph):
        sentences.append(paragraph[start : found.end()])
        start = found.end()
    if paragraph[start:].strip() or not sentences:
        sentences.append(paragraph[start:])
    pieces = _pieces(sentences[0])
    if sentences[0].rstrip().endswith(("?", "？")) and len(sentences) > 1:
        pieces = [sentences[0], *_pieces(sentences[1])]
    elif cells(sentences[0].strip()) <= WHOLE_SENTENCE_CELLS:
        pieces = [sentences[0]]
    line = pieces[0]
    for piece in pieces[1:]:
        if cells((line + piece).strip()) > limit:
            break
        line += piece
    return line.strip().rstrip("。.,:;，：；").strip()


__all__ = [
    "CLICK_TEXTS",
    "METAVARS",
    "cell_width_formatter",
    "cells",
    "click_module",
    "first_sentence",
    "install",
    "metavar_of",
    "readable_metavars",
    "wrap",
]
