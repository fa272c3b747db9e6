"""Rules on one rate file alone: years, windows, sources (``year-*``, ``window-*``, ``late-window``,
``policy-year``, ``source-*``, duplicates and amounts of one entry).
See :mod:`.validate` for the catalogue of rules."""

from __future__ import annotations

import datetime as dt
import itertools

from ..messages import Note
from ..ratefiles.keypaths import KeyPath
from ..ratefiles.model import RateFile, Source, YearEntry
from .problems import FileCheck

#: Source titles that stand for "no source yet".
PLACEHOLDER_TITLES = frozenset({"", "todo", "tbd", "tba", "?", "??", "unknown", "n/a", "none", "source"})


def check_years(check: FileCheck, data: RateFile) -> None:
    seen: dict[int, int] = {}
    for index, entry in enumerate(data.year):
        if entry.coverage in seen:
            check.error(
                "year-duplicate",
                ("year", index, "coverage"),
                Note(
                    "validate.year_duplicate",
                    year=entry.coverage,
                    at=check.at_line(("year", seen[entry.coverage])),
                ),
            )
        else:
            seen[entry.coverage] = index
        if entry.policy is not None and entry.policy > entry.coverage:
            check.warning(
                "policy-year",
                ("year", index, "policy"),
                Note("validate.policy_year", policy=entry.policy, year=entry.coverage),
            )
    years = sorted(seen)
    for before, after in itertools.pairwise(years):
        if after - before > 1:
            gap = (
                Note("validate.gap_year", year=before + 1)
                if after - before == 2
                else Note("validate.gap_years", first=before + 1, last=after - 1)
            )
            check.warning(
                "year-gap",
                ("year", seen[after], "coverage"),
                Note("validate.year_gap", gap=gap, before=before, after=after),
            )
    windows = [
        (e.collection.start, e.collection.end, e.coverage, i)
        for i, e in enumerate(data.year)
        if e.collection is not None and e.collection.start and e.collection.end
    ]
    for a_start, a_end, a_cov, _ in windows:
        for b_start, b_end, b_cov, b_index in windows:
            if b_cov <= a_cov or a_start > a_end or b_start > b_end:
                continue
            if b_start <= a_end and a_start <= b_end:
                check.error(
                    "year-overlap",
                    ("year", b_index, "collection"),
                    Note(
                        "validate.year_overlap",
                        start=b_start,
                        end=b_end,
                        year=b_cov,
                        other_year=a_cov,
                        other_start=a_start,
                        other_end=a_end,
                    ),
                )


def check_entry(check: FileCheck, index: int, entry: YearEntry) -> None:
    base: KeyPath = ("year", index)
    cov = entry.coverage
    window = entry.collection
    if window is not None:
        if window.start and window.end and window.start > window.end:
            check.error(
                "window-order",
                (*base, "collection", "end"),
                Note("validate.window_order", start=window.start, end=window.end),
            )
        if window.end and window.end > dt.date(cov, 12, 31):
            check.warning(
                "window-year",
                (*base, "collection", "end"),
                Note("validate.window_year_end", end=window.end, year=cov),
            )
        if window.start and window.start < dt.date(cov - 1, 1, 1):
            check.warning(
                "window-year",
                (*base, "collection", "start"),
                Note("validate.window_year_start", start=window.start, year=cov, previous=cov - 1),
            )
    late = entry.late
    if late is not None:
        if late.start and late.end and late.start > late.end:
            check.error(
                "window-order",
                (*base, "late", "end"),
                Note("validate.late_order", start=late.start, end=late.end),
            )
        if late.start and window is not None and window.end and late.start <= window.end:
            check.warning(
                "late-window",
                (*base, "late", "start"),
                Note("validate.late_window", start=late.start, end=window.end),
            )
    id_lists: list[tuple[str, list[str]]] = [
        ("tier", [t.id for t in entry.tier or ()]),
        ("category", [c.id for c in entry.category or ()]),
        ("assisted", [a.id for a in entry.assisted or ()]),
    ]
    for kind, ids in id_lists:
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                check.error(f"{kind}-duplicate", (*base, kind, i, "id"), _duplicate(kind, item_id, cov))
            seen.add(item_id)
    for ci, cat in enumerate(entry.category or ()):
        where: KeyPath = (*base, "category", ci)
        if cat.individual is not None and cat.tiers is not None:
            check.error(
                "category-amount-conflict",
                (*where, "tiers"),
                Note("validate.category_individual_and_tiers", category=repr(cat.id)),
            )
        if cat.missing is not None and (cat.individual is not None or cat.tiers is not None):
            check.error(
                "category-amount-conflict",
                (*where, "missing"),
                Note("validate.category_missing_and_amount", category=repr(cat.id)),
            )


def _duplicate(kind: str, item_id: str, coverage: int) -> Note:
    """An id given twice in one year's ``tier``, ``category`` or ``assisted`` list."""
    if kind == "tier":
        return Note("validate.tier_duplicate", id=repr(item_id), year=coverage)
    if kind == "category":
        return Note("validate.category_duplicate", id=repr(item_id), year=coverage)
    return Note("validate.assisted_duplicate", id=repr(item_id), year=coverage)


def check_sources(check: FileCheck, index: int, entry: YearEntry) -> None:
    base: KeyPath = ("year", index)
    sources: list[tuple[KeyPath, Source | None]] = [
        ((*base, "source"), entry.source),
        ((*base, "subsidy_source"), entry.subsidy_source),
        ((*base, "collection", "source"), entry.collection.source if entry.collection else None),
        ((*base, "late", "source"), entry.late.source if entry.late else None),
    ]
    sources += [((*base, "category", i, "source"), c.source) for i, c in enumerate(entry.category or ())]
    sources += [((*base, "assisted", i, "source"), a.source) for i, a in enumerate(entry.assisted or ())]
    for key, source in sources:
        if source is None:
            continue
        title = source.title.strip()
        if title.casefold() in PLACEHOLDER_TITLES:
            shown = (
                Note("validate.title_empty")
                if not title
                else Note("validate.title_placeholder", title=repr(title))
            )
            check.error("source-missing", (*key, "title"), Note("validate.source_missing", title=shown))
        elif source.confidence == "low" and not source.url:
            check.warning(
                "source-unchecked",
                key,
                Note("validate.source_unchecked"),
            )
    if entry.subsidy_source is not None and entry.subsidy is None:
        check.warning(
            "source-orphan",
            (*base, "subsidy_source"),
            Note("validate.source_orphan"),
        )
