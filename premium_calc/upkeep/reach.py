"""Whom a coverage year's categories reach: every age, or a year in which calculations fail.

A resolved schedule gives each member the first category whose conditions hold. A year whose
categories leave out some ages (``min_age = 18`` with nothing for children) validates as a
file, yet every calculation for such a member fails. This rule probes members of every age and
both sexes, without other flags (a school student or a disabled member is a plain resident of
the same age first), and reports:

``category-unreachable`` (error)
    no member of any age finds a category: every calculation for the year fails.
``category-gap`` (warning)
    members of some ages find no category (the ages are named).

Ages are probed once per stretch over which no condition changes (the bounds ``min_age`` and
``max_age + 1`` of every category cut 0-130 into stretches), so the check is exact and cheap.
A condition on the birth date that an age alone cannot decide counts as reached.
"""

from __future__ import annotations

from ..messages import Note
from ..ratebook.schedule import Schedule
from ..ratefiles.keypaths import KeyPath
from ..ratefiles.model import AgeBound, Condition
from .problems import FileCheck

OLDEST = 130


def check_reach(check: FileCheck, index: int, schedule: Schedule) -> None:
    """Report ages the year's categories do not reach (see the module docstring)."""
    from ..household.members import Member
    from ..household.rules import matches

    if not schedule.categories:
        return  # ``category-none`` says so
    gaps: list[tuple[int, int, tuple[str, ...]]] = []
    cuts = _cuts(c for cat in schedule.categories for c in cat.conditions)
    for low, high in zip(cuts, [*cuts[1:], OLDEST + 1], strict=True):
        left_out = tuple(
            sex
            for sex in ("male", "female")
            if not any(
                matches(cat, Member(age=low, sex=sex), schedule.coverage_year) is not False
                for cat in schedule.categories
            )
        )
        if left_out:
            gaps.append((low, high - 1, left_out))
    if not gaps:
        return
    where: KeyPath = ("year", index)
    year = schedule.coverage_year
    if sum(high - low + 1 for low, high, sexes in gaps if len(sexes) == 2) == OLDEST + 1:
        check.error("category-unreachable", where, Note("validate.category_unreachable", year=year))
        return
    ages = _stretch(*gaps[-1])
    for gap in reversed(gaps[:-1]):
        ages = Note("validate.ages_more", first=_stretch(*gap), rest=ages)
    check.warning("category-gap", where, Note("validate.category_gap", year=year, ages=ages))


def _cuts(conditions: object) -> list[int]:
    """The ages at which some condition starts or stops holding, 0 first."""
    cuts = {0}
    for cond in conditions:  # type: ignore[attr-defined]
        assert isinstance(cond, Condition)
        for bound, shift in ((cond.min_age, 0), (cond.max_age, 1)):
            for age in _ages(bound):
                if 0 <= age + shift <= OLDEST:
                    cuts.add(age + shift)
    return sorted(cuts)


def _ages(bound: AgeBound | None) -> tuple[int, ...]:
    if bound is None:
        return ()
    return (bound,) if isinstance(bound, int) else (bound.male, bound.female)


def _stretch(low: int, high: int, sexes: tuple[str, ...]) -> Note:
    span = (
        Note("validate.ages_one", age=low) if low == high else Note("validate.ages_span", low=low, high=high)
    )
    if len(sexes) == 2:
        return span
    return Note(f"validate.ages_{sexes[0]}", ages=span)
