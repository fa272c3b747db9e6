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


def _category_for(schedule: Schedule, category: str | None) -> ScheduleCategory | str:
    """The category a series follows in one year, or why there is none."""
    if category is None:
        try:
            return match_category(schedule, REFERENCE_ADULT, 1)
        except DataMissingError as exc:
            return exc.reason
    for cat in schedule.categories:
        if cat.id == category:
            return cat
    ids = ", ".join(c.id for c in schedule.categories)
    return f"no category {category!r} in {schedule.coverage_year} (categories: {ids})"


def category_rule(category: str | None) -> str:
    """Which category is "the" premium, in English (``category_rule`` of a result)."""
    if category is None:
        return str(Note("note.category_reference_adult"))
    return str(Note("note.category_by_id", category=repr(category)))
