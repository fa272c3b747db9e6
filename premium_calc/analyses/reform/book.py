"""A rate book under a reform: :class:`ReformedBook` answers :meth:`~RateBook.standard` and
:meth:`~RateBook.schedule` with the reform's ``[[change]]`` entries applied, so everything that
prices through a book (``assess``, populations) prices the reform's values.

The reformed schedules carry a note that they are a scenario, and every changed value an
:class:`~premium_calc.ratebook.schedule.Origin` in the reform file with the reform's own source
(:func:`~.changes.reform_source`). The ``[contribution]`` of a reform is not applied here (it
needs the household's income): see :func:`~.household.assess_reform` and
:func:`~.contribution_arrays.member_amounts_fen`.
"""

from __future__ import annotations

import threading

from ...messages import Note
from ...ratebook.book import RateBook
from ...ratebook.schedule import Schedule
from .changes import apply_changes, parse_changes, reform_source
from .model import Reform


class ReformedBook(RateBook):
    """``base`` (a :class:`RateBook`) with ``reform``'s changes applied to what it resolves.

    It shares the base book's directories and what it has read; schedules are reformed on
    first use and kept. ``book.base`` is the book without the reform.
    """

    def __init__(self, base: RateBook, reform: Reform) -> None:
        from ...errors import expect_type

        expect_type(base, RateBook, "base", "a RateBook")
        expect_type(reform, Reform, "reform", "a Reform (load_reform(...))")
        if isinstance(base, ReformedBook):  # a reform over a reform: apply both, in order
            raise TypeError("ReformedBook over a ReformedBook: combine the reforms instead")
        self.__dict__.update(base.__dict__)
        self.base = base
        self.reform = reform
        self._changes = parse_changes(reform.change, reform.file, reform.change_lines)
        _check_regions(base, reform)
        self._source = reform_source(reform.name.en, reform.name.zh)
        self._reformed: dict[tuple[str, str, int], Schedule] = {}
        self._reform_lock = threading.Lock()

    def __getstate__(self) -> dict[str, object]:
        return {"base": self.base, "reform": self.reform}

    def __setstate__(self, state: dict[str, object]) -> None:
        base, reform = state["base"], state["reform"]
        assert isinstance(base, RateBook) and isinstance(reform, Reform)
        self.__init__(base, reform)  # type: ignore[misc]

    def schedule(self, region: str, year: int) -> Schedule:
        """The reformed schedule of a region (id or name) and coverage year (strict, as
        :meth:`RateBook.schedule`)."""
        return self._reform("schedule", region, year)

    def standard(self, region: str, year: int) -> Schedule:
        """The reformed standard of a region or place (falling back as :meth:`RateBook.standard`)."""
        return self._reform("standard", region, year)

    def _reform(self, how: str, region: str, year: int) -> Schedule:
        key = (how, region, year)
        known = self._reformed.get(key)
        if known is not None:
            return known
        base = self.base.schedule(region, year) if how == "schedule" else self.base.standard(region, year)
        reformed = self.reformed(base)
        with self._reform_lock:
            return self._reformed.setdefault(key, reformed)

    def reformed(self, schedule: Schedule) -> Schedule:
        """``schedule`` (of the base book) with the reform's changes, and the scenario note."""
        from dataclasses import replace

        changed_schedule, changed = apply_changes(
            schedule, self._changes, self.reform.file, self._source, self.reform.change_lines,
            self.reform.file_changes,
        )  # fmt: skip
        note = Note("note.reform_scenario", name=self.reform.name)
        notes = [note]
        if changed:
            notes.append(Note("note.reform_changed", keys=", ".join(dict.fromkeys(changed))))
        return replace(changed_schedule, notes=(*notes, *changed_schedule.notes))

    def changed_keys(self, region: str, year: int) -> list[str]:
        """The keys the reform changes in a region's standard for a year (empty: none apply)."""
        base = self.base.standard(region, year)
        file_changes = self.reform.file_changes
        return apply_changes(base, self._changes, self.reform.file, self._source, None, file_changes)[1]


def _check_regions(book: RateBook, reform: Reform) -> None:
    """Every change names a region the book has (a typo would otherwise change nothing)."""
    from ...errors import ReformFileError, UnknownRegionError
    from .changes import SETTINGS_FILE

    for i, entry in enumerate(reform.change):
        try:
            book.path_of(entry.region)
        except UnknownRegionError as exc:
            hint = (
                Note("error.did_you_mean", suggestions=", ".join(exc.suggestions)) if exc.suggestions else ""
            )
            note = Note("error.reform_unknown_region", region=repr(entry.region), hint=hint)
            if i >= reform.file_changes:
                raise ReformFileError(SETTINGS_FILE, note, rule="change") from None
            path = ("change", i, "region")
            from ...ratefiles.keypaths import line_in_file

            line = line_in_file(reform.file, path) if reform.file.is_file() else None
            raise ReformFileError(
                reform.file, note, line=line, key=f"change[{i}].region", key_path=path
            ) from None


__all__ = ["ReformedBook"]
