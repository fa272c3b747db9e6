"""The reference adult: which category is "the" premium of a region when none is named.
"""

from __future__ import annotations

from ..errors import DataMissingError
from ..household.members import Member
from ..household.rules import match_category
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
    if category is None:
        return (
            "the category of a reference adult (40, no flags): the working-age / catch-all"
            " category; cheapest tier where a region has tiers"
        )
    return f"category {category!r}; cheapest tier where a region has tiers"
