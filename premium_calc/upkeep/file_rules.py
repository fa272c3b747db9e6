"""Rules on one rate file alone: years, windows, sources (``year-*``, ``window-*``, ``late-window``,
``policy-year``, ``source-*``, duplicates and amounts of one entry).
See :mod:`.validate` for the catalogue of rules."""


from __future__ import annotations

import datetime as dt
import itertools

from ..ratefiles.keypaths import KeyPath, position_of
from ..ratefiles.model import RateFile, Source, YearEntry
from .problems import FileCheck

#: Source titles that stand for "no source yet".
PLACEHOLDER_TITLES = frozenset({"", "todo", "tbd", "tba", "?", "??", "unknown", "n/a", "none", "source"})


def check_years(check: FileCheck, data: RateFile) -> None:
    seen: dict[int, int] = {}
    for index, entry in enumerate(data.year):
        if entry.coverage in seen:
            pos = position_of(check._text(), ("year", seen[entry.coverage]))
            at = f" at line {pos[0]}" if pos else ""
            check.error(
                "year-duplicate",
                ("year", index, "coverage"),
                f"coverage year {entry.coverage} is already entered{at}"
                " (expected one [[year]] entry per coverage year)",
            )
        else:
            seen[entry.coverage] = index
        if entry.policy is not None and entry.policy > entry.coverage:
            check.warning(
                "policy-year",
                ("year", index, "policy"),
                f"notice year {entry.policy} is after coverage year {entry.coverage}"
                " (expected policy <= coverage: coverage is the year the cover applies to)",
            )
    years = sorted(seen)
    for before, after in itertools.pairwise(years):
        if after - before > 1:
            gap = (
                f"coverage year {before + 1}"
                if after - before == 2
                else f"coverage years {before + 1}-{after - 1}"
            )
            check.warning(
                "year-gap",
                ("year", seen[after], "coverage"),
                f"no entry for {gap} between {before} and {after} (expected consecutive"
                " coverage years; leave a year out only where no amount was published)",
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
                    f"the collection window {b_start}..{b_end} of coverage year {b_cov}"
                    f" overlaps that of coverage year {a_cov} ({a_start}..{a_end})"
                    " (expected each year's window to end before the next one starts)",
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
                f"the collection window ends {window.end}, before it starts {window.start}"
                " (expected start <= end)",
            )
        if window.end and window.end > dt.date(cov, 12, 31):
            check.warning(
                "window-year",
                (*base, "collection", "end"),
                f"the collection window ends {window.end}, after coverage year {cov} is"
                f" over (expected an end by {cov}-12-31; is {cov} the notice year rather"
                " than the coverage year?)",
            )
        if window.start and window.start < dt.date(cov - 1, 1, 1):
            check.warning(
                "window-year",
                (*base, "collection", "start"),
                f"the collection window starts {window.start}, more than a year before"
                f" coverage year {cov} (expected a start in {cov - 1} or {cov})",
            )
    late = entry.late
    if late is not None:
        if late.start and late.end and late.start > late.end:
            check.error(
                "window-order",
                (*base, "late", "end"),
                f"the late-enrollment period ends {late.end}, before it starts {late.start}"
                " (expected start <= end)",
            )
        if late.start and window is not None and window.end and late.start <= window.end:
            check.warning(
                "late-window",
                (*base, "late", "start"),
                f"late enrollment starts {late.start}, before the collection window ends"
                f" {window.end} (expected late.start after collection.end)",
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
                what = {"tier": "tier", "category": "category", "assisted": "assisted rule"}[kind]
                why = {
                    "tier": "tier ids name the household's choice",
                    "category": "the first match wins, the second could never apply",
                    "assisted": "rules are merged by id",
                }[kind]
                check.error(
                    f"{kind}-duplicate",
                    (*base, kind, i, "id"),
                    f"{what} {item_id!r} appears twice in coverage year {cov}"
                    f" (expected unique ids: {why})",
                )
            seen.add(item_id)
    for ci, cat in enumerate(entry.category or ()):
        where: KeyPath = (*base, "category", ci)
        if cat.individual is not None and cat.tiers is not None:
            check.error(
                "category-amount-conflict",
                (*where, "tiers"),
                f"category {cat.id!r} sets both individual and tiers"
                " (expected one of them: tiers replace individual)",
            )
        if cat.missing is not None and (cat.individual is not None or cat.tiers is not None):
            check.error(
                "category-amount-conflict",
                (*where, "missing"),
                f"category {cat.id!r} sets missing and an amount"
                " (expected missing only where no amount is known)",
            )


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
            shown = "empty" if not title else f"the placeholder {title!r}"
            check.error(
                "source-missing",
                (*key, "title"),
                f"value without a source: the source title is {shown}"
                " (expected the title of the notice or page the value comes from)",
            )
        elif source.confidence == "low" and not source.url:
            check.warning(
                "source-unchecked",
                key,
                "a low-confidence source without a url cannot be checked"
                ' (expected url = "https://..." of the page the value comes from)',
            )
    if entry.subsidy_source is not None and entry.subsidy is None:
        check.warning(
            "source-orphan",
            (*base, "subsidy_source"),
            "subsidy_source is set but this entry sets no subsidy"
            " (expected subsidy = ... next to its source)",
        )
