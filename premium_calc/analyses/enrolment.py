"""Enrolment (参保人数) beside a history: the count at the end of each coverage year, national
series only (the data has no provincial counts), with its source and the caveat that the fall
of 2022-2023 is mostly duplicates removed and moves to employee insurance, not people leaving.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..messages import Note
from ..ratebook.enrollment import EnrollmentStats
from ..ratefiles.model import BilingualText, Source, prose_note

if TYPE_CHECKING:
    from .segments import RawRow

#: The only region with enrolment counts in the data.
ENROLMENT_REGION = "cn"


def attach_enrolment(raws: Sequence[RawRow], region_id: str, stats: EnrollmentStats) -> list[Note]:
    """Put the enrolment of each coverage year on the raw rows of a national history and return
    the notes that go with it (what is counted, the caveats of the years shown, a region other
    than ``cn``: none, and a note saying so)."""
    if region_id != ENROLMENT_REGION:
        return [Note("note.enrolment_national_only")] if stats.years() else []
    found: list[int] = []
    for raw in raws:
        raw.enrolment = stats.figure(raw.coverage_year, ENROLMENT_REGION)
        if raw.enrolment is not None:
            found.append(raw.coverage_year)
    if not found:
        return []
    notes: list[Note] = [Note("note.enrolment_what")]
    if any(r.enrolment is not None and r.enrolment.derived for r in raws):
        notes.append(Note("note.enrolment_derived"))
    for caveat in stats.caveats(found, ENROLMENT_REGION):
        notes.append(
            Note(
                "note.enrolment_caveat",
                text=prose_note(caveat.text),
                source=source_title(caveat.source),
                url=caveat.source.url or "-",
            )
        )
    return notes


def source_title(source: Source) -> Note:
    """A source's title as a note: the Chinese form in Chinese where there is one."""
    return prose_note(BilingualText(zh=source.title_zh or source.title, en=source.title))
