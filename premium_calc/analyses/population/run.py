"""A population run: two passes over household-aligned batches, each merged by addition.

Pass 1 ranks people by per-capita income (the decile cuts need the whole population); pass 2
prices every batch and tallies it. A source is anything that can be iterated more than once
into :class:`~.columns.Population` batches: a list of them, or a function returning a fresh
iterator (a file read again). Because every tally is an integer sum, the summary is the same
whatever the batches; ``tests/test_population.py`` checks it for 1, 7 and 64 batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import PremiumCalcError
from ...messages import Note
from .columns import Population
from .pricing import Group, PopulationResult, price_population
from .summary import PopulationSummary, StandardUsed, summarise
from .tally import EVERYTHING, GroupKey, IncomeRanks, Rows, Tally, per_capita_fen, rows_of

if TYPE_CHECKING:
    from ...ratebook.book import RateBook

DEFAULT_THRESHOLDS = (Decimal("0.05"), Decimal("0.10"))
DEFAULT_MIN_CELL = 30

Source = Population | Iterable[Population] | Callable[[], Iterable[Population]]


def _batches(source: Source) -> Iterator[Population]:
    if isinstance(source, Population):
        return iter([source])
    if callable(source):
        return iter(source())
    return iter(source)


@dataclass
class GroupKeys:
    """The group of each household: its resolved rate region and coverage year, found once
    per (region as written, year) and shared by both passes."""

    book: RateBook
    region: str | None
    year: int | None
    by_region: bool
    seen: dict[tuple[str, int], GroupKey] = field(default_factory=dict)

    def of(self, pop: Population) -> tuple[list[GroupKey], np.ndarray[Any, Any]]:
        """The distinct keys of a batch and each household's index among them."""
        regions = pop.regions or (self.region or "",)
        region_of = pop.region if pop.region is not None else np.zeros(pop.households, dtype=np.int32)
        years = pop.year.astype(np.int64) if pop.year is not None else np.full(pop.households, self.year or 0)
        code = region_of.astype(np.int64) * 10_000 + years
        combos, index = np.unique(code, return_inverse=True)
        keys = [self._key(regions[c // 10_000] or (self.region or ""), c % 10_000) for c in combos.tolist()]
        return keys, index.reshape(-1)

    def _key(self, query: str, year: int) -> GroupKey:
        if (query, year) not in self.seen:
            try:
                resolved = self.book.standard(query, year).region if query and year else query
            except PremiumCalcError:
                resolved = query
            self.seen[(query, year)] = (resolved, year)
        return self.seen[(query, year)]


def run_population(
    book: RateBook,
    source: Source,
    *,
    region: str | None = None,
    year: int | None = None,
    tier: str | None = None,
    thresholds: tuple[Decimal, ...] = DEFAULT_THRESHOLDS,
    min_cell: int = DEFAULT_MIN_CELL,
    by_region: bool = True,
    on_priced: Callable[[PopulationResult], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    low_memory: bool = False,
) -> PopulationSummary:
    """Price a whole population and summarise it (see the module docstring). ``on_priced``
    receives every priced batch (to write per-household results); ``progress`` is called with
    (pass number, households done).

    The source is read once: pass 1 prices every batch and keeps, per household, only what
    pass 2 tallies (:class:`~.tally.Rows`, 64 bytes); pass 2 then tallies them. With
    ``low_memory`` nothing is kept: pass 2 reads and prices the source again, so memory does
    not grow with it (but for the income ranks of pass 1, 16 bytes a household)."""
    keys = GroupKeys(book, region, year, by_region)
    ranks = IncomeRanks()
    groups: dict[GroupKey, Group] = {}
    skipped: list[Any] = []
    dropped = 0
    kept: list[tuple[Rows, list[GroupKey], Any]] = []
    done = 0
    for pop in _batches(source):
        ranks.merge(rank_batch(keys, pop))
        if not low_memory:
            result = price_population(book, pop, region=region, year=year, tier=tier)
            batch_keys, index = keys.of(pop) if by_region else ([], None)
            kept.append((rows_of(result), batch_keys, index))
            _record(result, groups, on_priced)
            skipped.extend(pop.skipped)
            dropped += pop.dropped_rows
        done += pop.households
        if progress is not None:
            progress(1, done)
    # With one group only, "everything" is that group: tally it once.
    regional = [k for k in ranks.groups if k != EVERYTHING]
    single = len(regional) == 1
    if single:
        keys.by_region = False
    tally = Tally()
    done = 0
    if low_memory:
        for pop in _batches(source):
            result = price_population(book, pop, region=region, year=year, tier=tier)
            tally.merge(tally_batch(keys, result, ranks))
            _record(result, groups, on_priced)
            skipped.extend(pop.skipped)
            dropped += pop.dropped_rows
            done += pop.households
            if progress is not None:
                progress(2, done)
    else:
        for rows, batch_keys, index in kept:
            tally.add(EVERYTHING, rows, ranks.cuts(EVERYTHING))
            if keys.by_region:
                for at, key in enumerate(batch_keys):
                    tally.add(key, rows.take(index == at), ranks.cuts(key))
            done += rows.members.shape[0]
            if progress is not None:
                progress(2, done)
        kept.clear()
    if single:
        (only,) = regional
        tally.groups[only] = tally.groups[EVERYTHING]
        ranks.alias(only, EVERYTHING)
    return finish(book, ranks, tally, groups, skipped, dropped, thresholds=thresholds, min_cell=min_cell)


def finish(
    book: RateBook,
    ranks: IncomeRanks,
    tally: Tally,
    groups: dict[GroupKey, Group],
    skipped: list[Any],
    dropped: int,
    *,
    thresholds: tuple[Decimal, ...],
    min_cell: int,
) -> PopulationSummary:
    """The summary of merged tallies, with the notes, standards and names of the groups (the
    last step of every engine)."""
    return summarise(
        ranks,
        tally,
        thresholds=thresholds,
        min_cell=min_cell,
        notes=run_notes(groups, skipped, dropped),
        standards=tuple(standard_used(k, g) for k, g in sorted(groups.items())),
        names=regions_named(book, [k[0] for k in tally.groups if k != EVERYTHING]),
    )


def _record(
    result: PopulationResult,
    groups: dict[GroupKey, Group],
    on_priced: Callable[[PopulationResult], None] | None,
) -> None:
    for g in result.groups:
        groups.setdefault((g.region or g.query, g.year), g)
    if on_priced is not None:
        on_priced(result)


def rank_batch(keys: GroupKeys, pop: Population) -> IncomeRanks:
    """Pass 1 over one batch."""
    ranks = IncomeRanks()
    per_capita = per_capita_fen(pop.income_fen, pop.members)
    people = pop.weight * pop.members
    ranks.add(EVERYTHING, per_capita, people)
    if keys.by_region:
        batch_keys, index = keys.of(pop)
        for at, key in enumerate(batch_keys):
            pick = index == at
            ranks.add(key, per_capita[pick], people[pick])
    return ranks


def tally_batch(keys: GroupKeys, result: PopulationResult, ranks: IncomeRanks) -> Tally:
    """Pass 2 over one priced batch."""
    tally = Tally()
    rows = rows_of(result)
    tally.add(EVERYTHING, rows, ranks.cuts(EVERYTHING))
    if keys.by_region:
        batch_keys, index = keys.of(result.population)
        for at, key in enumerate(batch_keys):
            tally.add(key, rows.take(index == at), ranks.cuts(key))
    return tally


def standard_used(key: GroupKey, g: Group) -> StandardUsed:
    return StandardUsed(
        region=key[0],
        year=key[1],
        query=g.query,
        standard_from=g.standard_from,
        at_least=g.national_fallback,
        subsidy_at_least=g.subsidy_at_least,
        confidence=g.confidence,
        error=g.error,
    )


def run_notes(groups: dict[GroupKey, Group], skipped: list[Any], dropped: int) -> tuple[Any, ...]:
    notes: list[Any] = []
    for (region, year), g in sorted(groups.items()):
        if g.error is not None:
            notes.append(Note("population.note.no_standard", region=g.query, year=year, reason=g.error))
        elif g.national_fallback:
            notes.append(Note("population.note.national_minimum", region=region, year=year))
        elif g.standard_from and g.standard_from != region:
            notes.append(
                Note("population.note.standard_from", region=region, year=year, source=g.standard_from)
            )
        if g.error is None and g.subsidy_at_least:
            notes.append(Note("population.note.subsidy_at_least", region=region, year=year))
        if g.confidence == "low":
            notes.append(Note("population.note.low_confidence", region=region, year=year))
    if dropped:
        notes.append(Note("population.note.dropped", rows=dropped, listed=len(skipped)))
        notes.extend(s.note for s in skipped)
    return tuple(notes)


def regions_named(book: RateBook, regions: list[str]) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    for region in regions:
        try:
            name = book.region(region).data.region.name
        except PremiumCalcError:
            continue
        names[region] = {"zh": name.zh, "en": name.en}
    return names
