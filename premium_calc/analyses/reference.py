"""The reference adult: which category is "the" premium of a region when none is named.
"""

from __future__ import annotations

from ..errors import DataMissingError
from ..household.members import Member
from ..household.rules import match_category
from ..messages import Note
from ..ratebook.schedule import Schedule, ScheduleCategory

#: The member whose category is "the" premium of a region when no category is named.
REFERENCE_ADULT = Member(age=40, label="reference adult (40)")


def category_for(schedule: Schedule, category: str | None) -> ScheduleCategory | Note:
    """The category a series follows in one year (``category`` by id, or the reference
    adult's), or a note saying why there is none."""
    if category is None:
        try:
            return match_category(schedule, REFERENCE_ADULT, 1)
        except DataMissingError as exc:
            return Note.verbatim(exc.reason)
    for cat in schedule.categories:
        if cat.id == category:
            return cat
    ids = ", ".join(c.id for c in schedule.categories)
    return Note("note.no_category_in_year", category=repr(category), year=schedule.coverage_year, ids=ids)


def category_rule(category: str | None) -> str:
    """Which category is "the" premium, in English (``category_rule`` of a result)."""
    if category is None:
        return str(Note("note.category_reference_adult"))
    return str(Note("note.category_by_id", category=repr(category)))
