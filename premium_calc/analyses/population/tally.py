"""Exact, mergeable tallies of a priced population: the two passes of a population run.

Pass 1 (:class:`IncomeRanks`) counts people by per-capita income; its decile cut points rank
the households of pass 2 (:class:`Tally`), which adds up, for each cell (a group of households
-- a region and year, or everything -- and a decile), weighted households, people and money,
and histograms of the burden ratio at 4 decimals. Both are integer sums keyed by value, merged
by addition, so a run gives the same numbers whatever its batches or partitions.

Conventions (stated in every summary):

* a household's per-capita income is its income / members, rounded half-up to the fen;
* deciles are of **people** (household weight x members), by inverse CDF: the k-th cut is the
  smallest per-capita income at which at least k/10 of the people are reached; a household is
  in decile d when its income is above d-1 cuts and not above the d-th; households with the
  same income are never split (they fall in the lower decile where a cut lands on them);
* the burden is paid / income, half-up to 4 decimals; above a threshold means strictly above;
  ratios above 1 (more than the whole income) are counted in one overflow bin;
* households without a known income, or with none, are counted but not ranked (decile 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import OptionError
from ...messages import Note
from .pricing import BOUNDED, PRICED, PopulationResult

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Burden ratios are counted in steps of 1 / RATIO_SCALE (4 decimals).
RATIO_SCALE = 10_000
#: Bins 0..RATIO_SCALE are ratios 0 .. 1; the last bin holds every ratio above 1.
BINS = RATIO_SCALE + 2
DECILES = 10
#: Cells per group: decile 0 (not ranked) and deciles 1-10.
CELLS = DECILES + 1


GroupKey = tuple[str, int]  # (region, coverage year); ("", 0) is everything
EVERYTHING: GroupKey = ("", 0)


def per_capita_fen(income_fen: NDArray[np.int64], members: NDArray[np.int64]) -> NDArray[np.int64]:
    """Income / members, half-up to the fen (-1 where the income is unknown)."""
    size = np.maximum(members, 1)
    return np.where(income_fen >= 0, (2 * income_fen + size) // (2 * size), -1)


def _exact_sum(values: NDArray[np.int64], weights: NDArray[np.int64]) -> int:
    """sum(values x weights) exactly (int64 where it cannot overflow, else Python ints)."""
    if not values.size:
        return 0
    bound = int(np.abs(values).max()) * int(weights.sum(dtype=np.float64) + 1)
    if bound < 2**62:
        return int(np.dot(values, weights))
    return int(np.dot(values.astype(object), weights.astype(object)))


def _cell_sums(cell: NDArray[np.int64], values: NDArray[np.int64], cells: int) -> NDArray[Any]:
    """Exact sums of ``values`` per cell, as Python ints."""
    out = np.zeros(cells, dtype=object)
    if not values.size:
        return out
    if int(np.abs(values).max(initial=0)) * values.shape[0] < 2**53:
        # Every partial sum is an integer below 2**53: float64 adds it exactly.
        sums = np.bincount(cell, weights=values, minlength=cells)
        return np.array([int(v) for v in sums.tolist()], dtype=object)
    order = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[order], np.arange(cells + 1))
    for c in range(cells):
        part = values[order[bounds[c] : bounds[c + 1]]]
        out[c] = int(part.astype(object).sum()) if part.size else 0
    return out


#: People are counted in weight units (see columns.WEIGHT_SCALE); a group may hold up to this
#: many, so that cumulative counts x 10 stay exact in int64.
MAX_PEOPLE_UNITS = 2**59


@dataclass
class IncomeRanks:
    """People (weight units x members) by per-capita income, per group: pass 1. Parts are
    kept as added and counted by value once, when the cuts are first asked for."""

    parts: dict[GroupKey, list[tuple[NDArray[np.int64], NDArray[np.int64]]]] = field(default_factory=dict)
    _merged: dict[GroupKey, tuple[NDArray[np.int64], NDArray[np.int64]]] = field(default_factory=dict)

    @property
    def groups(self) -> dict[GroupKey, list[tuple[NDArray[np.int64], NDArray[np.int64]]]]:
        return self.parts

    def add(self, key: GroupKey, per_capita: NDArray[np.int64], people: NDArray[np.int64]) -> None:
        ranked = per_capita >= 0
        self.parts.setdefault(key, []).append((per_capita[ranked], people[ranked]))
        self._merged.pop(key, None)

    def merge(self, other: IncomeRanks) -> IncomeRanks:
        for key, parts in other.parts.items():
            self.parts.setdefault(key, []).extend(parts)
            self._merged.pop(key, None)
        return self

    def alias(self, key: GroupKey, same_as: GroupKey) -> None:
        """``key`` has the same people as ``same_as`` (one group only): share its counts."""
        self._merged[key] = self.counted(same_as)

    def counted(self, key: GroupKey) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Distinct per-capita incomes of a group and the people at each."""
        if key not in self._merged:
            parts = self.parts.get(key, [])
            values = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
            people = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
            self._merged[key] = _count_by_value(values, people)
        return self._merged[key]

    def cuts(self, key: GroupKey) -> NDArray[np.int64]:
        """The nine decile cut points of a group (per-capita fen): the k-th is the smallest
        income at which the people counted reach k/10 of all."""
        values, counts = self.counted(key)
        if not values.size:
            return np.zeros(0, dtype=np.int64)
        running = np.cumsum(counts) * DECILES
        total = int(running[-1]) // DECILES
        targets = np.arange(1, DECILES, dtype=np.int64) * total
        cut: NDArray[np.int64] = values[np.searchsorted(running, targets, side="left")]
        return cut


def _count_by_value(
    values: NDArray[np.int64], counts: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Distinct values and the sum of counts of each (exact in int64)."""
    if int(counts.sum(dtype=np.float64)) >= MAX_PEOPLE_UNITS:
        raise OptionError("weight", Note("error.population_weights_too_large"))
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1]))) if ordered.size else order
    summed = np.add.reduceat(counts[order], starts) if ordered.size else np.zeros(0, np.int64)
    return ordered[starts], summed.astype(np.int64)


#: The money and people totals of a cell (each a Python int: fen x weight units, or units).
TOTALS = (
    "households", "people", "gross", "paid_low", "paid_high", "subsidy", "subsidy_unknown", "income",
    "unpriced", "unpriced_people", "bounded", "no_income", "sample",
)  # fmt: skip


HISTOGRAMS = ("households_low", "households_high", "people_low", "people_high")


@dataclass
class CellTally:
    """The tallies of one group's cells (index = decile, 0 for not ranked)."""

    totals: dict[str, NDArray[Any]] = field(
        default_factory=lambda: {t: np.zeros(CELLS, dtype=object) for t in TOTALS}
    )
    #: Burden histograms per cell (CELLS x BINS): households and people, least and most paid.
    hist: dict[str, NDArray[np.int64]] = field(
        default_factory=lambda: {h: np.zeros((CELLS, BINS), dtype=np.int64) for h in HISTOGRAMS}
    )

    def merge(self, other: CellTally) -> None:
        for name in TOTALS:
            self.totals[name] = self.totals[name] + other.totals[name]
        for name in HISTOGRAMS:
            self.hist[name] += other.hist[name]



@dataclass
class Tally:
    """Pass 2: per group, totals and burden histograms by decile."""

    groups: dict[GroupKey, CellTally] = field(default_factory=dict)

    def merge(self, other: Tally) -> Tally:
        for key, cells in other.groups.items():
            if key in self.groups:
                self.groups[key].merge(cells)
            else:
                self.groups[key] = cells
        return self

    def add(self, key: GroupKey, rows: Rows, cuts: NDArray[np.int64]) -> None:
        cells = self.groups.setdefault(key, CellTally())
        ranked = rows.per_capita >= 0
        decile = np.where(ranked, np.searchsorted(cuts, rows.per_capita, side="left") + 1, 0).astype(np.int64)
        w = rows.weight
        people = rows.weight * rows.members
        ok = (rows.status == PRICED) | (rows.status == BOUNDED)
        known_subsidy = ok & (rows.subsidy >= 0)
        t = cells.totals
        for name, values, weights in (
            ("households", np.ones_like(w), w),
            ("people", np.ones_like(w), people),
            ("gross", np.where(ok, rows.gross, 0), w),
            ("paid_low", np.where(ok, rows.paid_low, 0), w),
            ("paid_high", np.where(ok, rows.paid_high, 0), w),
            ("subsidy", np.where(known_subsidy, rows.subsidy, 0), w),
            ("subsidy_unknown", (ok & ~known_subsidy).astype(np.int64), w),
            ("income", np.where(rows.income > 0, rows.income, 0), w),
            ("unpriced", (~ok).astype(np.int64), w),
            ("unpriced_people", (~ok).astype(np.int64), people),
            ("bounded", (rows.status == BOUNDED).astype(np.int64), w),
            ("no_income", (rows.income <= 0).astype(np.int64), w),
            ("sample", np.ones_like(w), np.ones_like(w)),
        ):
            t[name] = t[name] + _weighted_cell_sums(decile, values, weights)
        burdened = ok & (rows.income > 0)
        for side, paid in (("low", rows.paid_low), ("high", rows.paid_high)):
            bins = np.minimum(
                (2 * paid * RATIO_SCALE + rows.income) // np.maximum(2 * rows.income, 1), BINS - 1
            )
            index = (decile * BINS + bins)[burdened]
            for what, weights in (("households", w), ("people", people)):
                picked = weights[burdened]
                if int(picked.sum(dtype=np.float64)) >= 2**53:
                    raise OptionError("weight", Note("error.population_weights_too_large"))
                # Integer weights summing below 2**53: float64 counts them exactly.
                counts = np.bincount(index, weights=picked, minlength=CELLS * BINS)
                cells.hist[f"{what}_{side}"] += np.rint(counts).astype(np.int64).reshape(CELLS, BINS)


def _weighted_cell_sums(
    cell: NDArray[np.int64], values: NDArray[np.int64], weights: NDArray[np.int64]
) -> NDArray[Any]:
    """Exact sums of values x weights per cell (Python ints)."""
    if not values.size:
        return np.zeros(CELLS, dtype=object)
    if int(np.abs(values).max(initial=0)) * int(weights.max(initial=0)) < 2**62:
        return _cell_sums(cell, values * weights, CELLS)
    out = np.zeros(CELLS, dtype=object)
    for c in range(CELLS):
        pick = cell == c
        out[c] = _exact_sum(values[pick], weights[pick])
    return out


@dataclass(frozen=True)
class Rows:
    """Per-household columns of one group in one batch (money in fen, weight in units)."""

    per_capita: NDArray[np.int64]
    members: NDArray[np.int64]
    weight: NDArray[np.int64]
    income: NDArray[np.int64]
    status: NDArray[np.int8]
    gross: NDArray[np.int64]
    paid_low: NDArray[np.int64]
    paid_high: NDArray[np.int64]
    subsidy: NDArray[np.int64]

    def take(self, pick: NDArray[Any]) -> Rows:
        return Rows(**{name: getattr(self, name)[pick] for name in self.__dataclass_fields__})


def rows_of(result: PopulationResult) -> Rows:
    pop = result.population
    return Rows(
        per_capita=per_capita_fen(pop.income_fen, pop.members),
        members=pop.members,
        weight=pop.weight,
        income=pop.income_fen,
        status=result.status,
        gross=result.gross_fen,
        paid_low=result.paid_low_fen,
        paid_high=result.paid_fen,
        subsidy=result.subsidy_fen,
    )
