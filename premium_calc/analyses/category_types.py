"""Category types shared across regions: what a category means, read from its conditions.

Regions name their categories as they like (``student_child``, ``child_student``, ``minor``,
``student_infant_college`` ... 17 different ids for children and students in 2025), so a
comparison matches categories by what their ``when`` conditions say, not by id:

* ``children``: pupils and minors (``student = true``, or ``max_age`` of 17 or less);
* ``college``: college students (``college = true``);
* ``elderly``: ``min_age`` of 50 or more (for both sexes where it depends on sex);
* ``adult``: working age: the catch-all category (no conditions) or an age band between.

A category may have several types (Shanghai's ``student_infant_college`` is children and college).
Where a region has no category of a type, its members fall to the catch-all category (the first
category that matches wins, and the catch-all matches everyone): a child in Guizhou pays the
``resident`` amount, and that is the region's children's premium.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..ratebook.schedule import Schedule, ScheduleCategory
from ..ratefiles.model import AgeBound, Condition

#: The shared category types, in the order they are listed.
CATEGORY_TYPES = ("children", "college", "adult", "elderly")

#: The type shown for a region's only category (everyone pays it).
ALL_RESIDENTS = "all"

#: What people may type for a type (ids of regions that mean the same are accepted too).
TYPE_ALIASES = {
    "children": "children",
    "child": "children",
    "kids": "children",
    "student": "children",
    "students": "children",
    "pupils": "children",
    "儿童": "children",
    "学生": "children",
    "中小学生": "children",
    "学生儿童": "children",
    "未成年人": "children",
    "college": "college",
    "university": "college",
    "大学生": "college",
    "adult": "adult",
    "adults": "adult",
    "working_age": "adult",
    "working-age": "adult",
    "成年人": "adult",
    "成人": "adult",
    "劳动年龄": "adult",
    "劳动年龄内居民": "adult",
    "elderly": "elderly",
    "old": "elderly",
    "老年人": "elderly",
    "老人": "elderly",
    "老年": "elderly",
    "城乡老年人": "elderly",
}

#: The youngest age counted as elderly (Beijing: women from 50).
ELDERLY_FROM = 50
#: The oldest age counted as a child or pupil.
CHILD_UNTIL = 17


def category_type(query: str | None) -> str | None:
    """The shared type a ``--category`` value names (``None``: it names no type, maybe an id)."""
    if query is None:
        return None
    return TYPE_ALIASES.get(query.strip().lower())


def _low(bound: AgeBound | None) -> int | None:
    """The lowest age a bound allows for any sex (``{male = 60, female = 50}`` -> 50)."""
    if bound is None:
        return None
    return bound if isinstance(bound, int) else min(bound.male, bound.female)


def _high(bound: AgeBound | None) -> int | None:
    if bound is None:
        return None
    return bound if isinstance(bound, int) else max(bound.male, bound.female)


def condition_type(condition: Condition) -> str:
    """The type of one alternative of a ``when`` (every key of it must hold)."""
    if condition.college:
        return "college"
    if condition.student:
        return "children"
    low, high = _low(condition.min_age), _high(condition.max_age)
    if high is not None and high <= CHILD_UNTIL:
        return "children"
    if low is not None and low >= ELDERLY_FROM:
        return "elderly"
    return "adult"


def types_of(category: ScheduleCategory) -> tuple[str, ...]:
    """Every type a category covers, in :data:`CATEGORY_TYPES` order (the catch-all: adult)."""
    found = {condition_type(c) for c in category.conditions} or {"adult"}
    return tuple(t for t in CATEGORY_TYPES if t in found)


def is_catch_all(category: ScheduleCategory) -> bool:
    return not category.conditions


def _entry_age(category: ScheduleCategory) -> int:
    """The youngest age of a category (to prefer the band a type starts in: 60-69 before 70+)."""
    lows = [_low(c.min_age) for c in category.conditions]
    return min((v if v is not None else 0 for v in lows), default=0)


def categories_of_type(schedule: Schedule, kind: str) -> list[ScheduleCategory]:
    """The categories of a schedule that mean ``kind``, the band the type starts in first; else
    the catch-all (where the region's members of that type are priced); else none."""
    matching = [c for c in schedule.categories if kind in types_of(c) and not is_catch_all(c)]
    if matching:
        order = {c.id: i for i, c in enumerate(schedule.categories)}
        return sorted(matching, key=lambda c: (_entry_age(c), order[c.id]))
    return [c for c in schedule.categories if is_catch_all(c)][:1]


def known_types(categories: Sequence[ScheduleCategory]) -> list[str]:
    """The types the given categories cover (for an error listing what exists)."""
    found = {t for c in categories for t in types_of(c)}
    return [t for t in CATEGORY_TYPES if t in found]
