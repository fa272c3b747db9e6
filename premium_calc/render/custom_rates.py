"""Results computed with the user's own rate files say so: a "custom rates: FILE" line under
the sources and a ``custom_rates`` field in ``--json``.

A file copied into an overlay directory (``--rates-dir``, ``PREMIUM_CALC_RATES``) keeps the
official source titles it was copied with, so the sources alone would not tell the reader
that the numbers are the user's. The command line registers the rate book it computes with
(:func:`watch`, called by ``get_book``); :func:`custom_files` then lists the rate files outside
the bundled tree that set a value of any schedule that book resolved, and
:func:`~premium_calc.render.assessment.sources_text` (shared by ``calc``, ``worth``,
``history`` and ``compare``) prints them.
"""

from __future__ import annotations

import weakref
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RateFileError
from ..messages import tr
from ..ratefiles.reading import bundled_rates_dir

if TYPE_CHECKING:
    from ..ratebook.book import RateBook
    from ..ratebook.schedule import Origin, Schedule

#: The rate book the running command computes with (set by the command line), weakly: once the
#: command is done with it, results rendered later (by the library) report nothing from it.
_BOOK: ContextVar[weakref.ref[RateBook] | None] = ContextVar("premium_calc_custom_rates_book", default=None)
#: The ``--json`` field that lists the custom rate files.
FIELD = "custom_rates"


def watch(book: RateBook | None) -> None:
    """Make ``book`` the one whose custom files results report (``None``: none)."""
    _BOOK.set(weakref.ref(book) if book is not None else None)


def _origins(schedule: Schedule) -> list[Origin]:
    out = list(schedule.origins.values())
    for category in schedule.categories:
        out += category.origins.values()
    out += [rule.origin for rule in schedule.assisted]
    return out


def custom_files(book: RateBook | None = None) -> list[Path]:
    """The rate files outside the bundled tree that set a value the book's resolved schedules
    use (``book``: the watched one), in the order first used."""
    if book is None:
        watched = _BOOK.get()
        book = watched() if watched is not None else None
    if book is None:
        return []
    try:
        bundled: Path | None = bundled_rates_dir().resolve()
    except RateFileError:
        bundled = None
    out: list[Path] = []
    for schedule in book.resolved():
        for file in [schedule.origin_file, *(o.file for o in _origins(schedule))]:
            real = file.resolve()
            if bundled is not None and real.is_relative_to(bundled):
                continue
            if real not in out:
                out.append(real)
    return out


def custom_rates_line(lang: str, book: RateBook | None = None) -> str:
    """``custom rates: FILE, ...`` (with what it means), or ``""`` when every value is bundled."""
    from .rates import shown_path

    files = custom_files(book)
    if not files:
        return ""
    return tr("calc.custom_rates", lang, files=", ".join(shown_path(f) for f in files))


def with_custom_rates(data: Any, book: RateBook | None = None) -> Any:
    """A calculation's result for ``--json`` with the ``custom_rates`` field (the files as
    shown, ``[]`` when none); anything else unchanged."""
    from .rates import shown_path

    if not hasattr(data, "model_dump"):
        return data
    dumped = data.model_dump(mode="json")
    if not isinstance(dumped, dict) or not ({"sources", "assessment"} & set(dumped)):
        return data
    dumped[FIELD] = [shown_path(f) for f in custom_files(book)]
    return dumped
