"""A problem found in a rate file (file, line, column, key path, rule id, message, severity), and
the :class:`FileCheck` that places each problem it is given at ``file:line:col``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import UnknownRegionError
from ..messages import DEFAULT_LANGUAGE, Note
from ..ratebook.book import RateBook
from ..ratefiles.keypaths import KeyPath, format_path, position_of

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem in a rate file.

    ``message`` is the English text; the rules give it as a
    :class:`~premium_calc.messages.Note` (a ``str`` whose value is that text), so
    :meth:`render` can show it in another language. ``key`` is the key path as text
    (``year[2].category[0].individual``), ``key_path`` the same path as data
    (``("year", 2, "category", 0, "individual")``; empty when not known).
    """

    severity: Severity
    file: str
    line: int | None
    column: int | None
    key: str
    message: str
    rule: str
    key_path: KeyPath = ()

    def render(self, file: str | None = None, lang: str = DEFAULT_LANGUAGE) -> str:
        """``file:line:col: key.path: message`` (``file`` replaces the stored path if given;
        the message in ``lang`` when it is a catalog note, else as stored)."""
        where = file if file is not None else self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.text(lang)}"

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The message in ``lang`` (English, or as stored, when there is no catalog text)."""
        if isinstance(self.message, Note):
            return self.message.text(lang)
        return self.message

    def __str__(self) -> str:
        return self.render()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.rule, self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "key": self.key,
            "message": self.message,
            "rule": self.rule,
        }


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


class FileCheck:
    """One rate file being checked: its path, text and the problems found, placed at file:line:col."""

    def __init__(
        self,
        book: RateBook,
        path: Path,
        region_id: str | None,
        validated: set[str],
        *,
        force_overlay: bool = False,
        direct: bool = False,
    ) -> None:
        self.book = book
        self.path = path
        self.validated = validated
        self.problems: list[Problem] = []
        self.direct = direct
        if region_id is not None and not force_overlay and not direct:
            try:
                self.direct = book.path_of(region_id).resolve() == path.resolve()
            except UnknownRegionError:
                self.direct = False
        self.rid = region_id or path.stem
        self.text: str | None = None

    def _text(self) -> str:
        if self.text is None:
            try:
                self.text = self.path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                self.text = ""
        return self.text

    def add(self, severity: Severity, rule: str, key: KeyPath, message: Note) -> None:
        pos = position_of(self._text(), key) if key else None
        line, column = pos if pos is not None else (None, None)
        self.problems.append(
            Problem(severity, str(self.path), line, column, format_path(key), message, rule, tuple(key))
        )

    def error(self, rule: str, key: KeyPath, message: Note) -> None:
        self.add("error", rule, key, message)

    def warning(self, rule: str, key: KeyPath, message: Note) -> None:
        self.add("warning", rule, key, message)

    def at_line(self, key: KeyPath) -> Note | str:
        """`` at line N`` for the line that sets ``key`` (a note), or ``""`` if not found."""
        pos = position_of(self._text(), key)
        return Note("validate.at_line", line=pos[0]) if pos else ""
