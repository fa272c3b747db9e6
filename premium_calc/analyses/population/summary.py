"""The summary of a population run: exact totals, deciles and quintiles, shares above burden
thresholds, by group, as result models (JSON-ready; renderers turn them into text).

Money is in yuan (exact: integer fen x weight units / weight scale, rounded half-up to the
fen once), people and households are weighted counts (four decimals), ratios half-up to four
decimals. Cells with fewer sampled households than ``min_cell`` are flagged ``small``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._frozen import Frozen
from ...units import half_up
from .columns import WEIGHT_SCALE
from .tally import BINS, DECILES, EVERYTHING, RATIO_SCALE, CellTally, GroupKey, IncomeRanks, Tally

if TYPE_CHECKING:
    from numpy.typing import NDArray

FEN = Decimal("0.01")
RATIO = Decimal("0.0001")
COUNT = Decimal("0.0001")


class Share(Frozen):
    """Households and people whose burden is above ``threshold``: at least (``low``, from the
    least they may pay) and at most (``high``); equal unless some assistance is unknown."""

    threshold: Decimal
    households_low: Decimal  # share of the ranked, priced households with an income
    households_high: Decimal
    people_low: Decimal  # share of their people
    people_high: Decimal
    people_count_low: Decimal  # weighted people
    people_count_high: Decimal


class Cell(Frozen):
    """One decile (or quintile, or the whole group): who is in it and what they pay."""

    part: int  # decile 1-10, quintile 1-5, 0 for the whole group
    income_from: Decimal | None = None  # per-capita income above this (yuan); None: lowest
    income_to: Decimal | None = None  # ... and up to this; None: highest
    sample: int  # households in the data (unweighted)
    households: Decimal
    people: Decimal
    paid_low: Decimal
    paid_high: Decimal
    gross: Decimal
    subsidy: Decimal  # known subsidies; see subsidy_unknown_households
    subsidy_unknown_households: Decimal
    income: Decimal
    aggregate_burden_low: Decimal | None = None  # paid / income over the cell
    aggregate_burden_high: Decimal | None = None
    mean_burden_low: Decimal | None = None  # mean of the households' ratios
    mean_burden_high: Decimal | None = None
    median_burden_low: Decimal | None = None
    median_burden_high: Decimal | None = None
    above: tuple[Share, ...] = ()
    unpriced_households: Decimal
    bounded_households: Decimal  # priced except some assistance
    no_income_households: Decimal  # income unknown or not positive: no burden
    small: bool = False


class GroupSummary(Frozen):
    region: str  # "" for everything
    year: int  # 0 for everything
    name: dict[str, str] | None = None  # the region's name {"zh": ..., "en": ...}, if a rate region
    whole: Cell
    deciles: tuple[Cell, ...]
    quintiles: tuple[Cell, ...]
    not_ranked: Cell  # households without a known income


class StandardUsed(Frozen):
    """The standard a (region, year) group was priced with, or why it could not be."""

    region: str
    year: int
    query: str  # the region as the data wrote it
    standard_from: str | None = None
    at_least: bool = False  # national minimums stand in (amounts are at least these)
    subsidy_at_least: bool = False
    confidence: str | None = None
    error: Any = None  # a Note


class PopulationSummary(Frozen):
    groups: tuple[GroupSummary, ...]
    thresholds: tuple[Decimal, ...]
    min_cell: int
    notes: tuple[Any, ...] = ()
    standards: tuple[StandardUsed, ...] = ()

    def group(self, region: str = "", year: int = 0) -> GroupSummary:
        return next(g for g in self.groups if (g.region, g.year) == (region, year))


def _units(value: int) -> Decimal:
    return half_up(Decimal(value) / WEIGHT_SCALE, COUNT)


def _yuan(value: int) -> Decimal:
    return half_up(Decimal(value) / (100 * WEIGHT_SCALE), FEN)


def _ratio(num: int, den: int) -> Decimal | None:
    return half_up(Decimal(num) / Decimal(den), RATIO) if den > 0 else None


def _median(hist: NDArray[np.int64]) -> Decimal | None:
    """The lower weighted median of a burden histogram (overflow bin: ratios above 1)."""
    total = int(hist.sum())
    if total == 0:
        return None
    running = np.cumsum(hist)
    at = int(np.searchsorted(running * 2, total, side="left"))
    return Decimal(min(at, BINS - 1)) / RATIO_SCALE


def _mean(hist: NDArray[np.int64]) -> Decimal | None:
    total = int(hist.sum())
    if total == 0:
        return None
    weighted = int(np.dot(np.arange(BINS, dtype=object), hist.astype(object)))
    return half_up(Decimal(weighted) / Decimal(total) / RATIO_SCALE, RATIO)


def _cell(
    part: int,
    rows: list[int],
    cells: CellTally,
    thresholds: tuple[Decimal, ...],
    min_cell: int,
    bounds: tuple[Decimal | None, Decimal | None] = (None, None),
) -> Cell:
    t = {name: sum((cells.totals[name][r] for r in rows), 0) for name in cells.totals}
    h = {name: cells.hist[name][rows].sum(axis=0) for name in cells.hist}
    above = []
    for threshold in thresholds:
        cut = int(threshold * RATIO_SCALE) + 1  # strictly above: bins from cut on
        shares: dict[str, Decimal] = {}
        for side in ("low", "high"):
            hh, pp = h[f"households_{side}"], h[f"people_{side}"]
            shares[f"households_{side}"] = _ratio(int(hh[cut:].sum()), int(hh.sum())) or Decimal(0)
            shares[f"people_{side}"] = _ratio(int(pp[cut:].sum()), int(pp.sum())) or Decimal(0)
            shares[f"people_count_{side}"] = _units(int(pp[cut:].sum()))
        above.append(Share(threshold=threshold, **shares))
    return Cell(
        part=part,
        income_from=bounds[0],
        income_to=bounds[1],
        sample=int(t["sample"]),
        households=_units(t["households"]),
        people=_units(t["people"]),
        paid_low=_yuan(t["paid_low"]),
        paid_high=_yuan(t["paid_high"]),
        gross=_yuan(t["gross"]),
        subsidy=_yuan(t["subsidy"]),
        subsidy_unknown_households=_units(t["subsidy_unknown"]),
        income=_yuan(t["income"]),
        aggregate_burden_low=_ratio(t["paid_low"], t["income"]),
        aggregate_burden_high=_ratio(t["paid_high"], t["income"]),
        mean_burden_low=_mean(h["households_low"]),
        mean_burden_high=_mean(h["households_high"]),
        median_burden_low=_median(h["households_low"]),
        median_burden_high=_median(h["households_high"]),
        above=tuple(above),
        unpriced_households=_units(t["unpriced"]),
        bounded_households=_units(t["bounded"]),
        no_income_households=_units(t["no_income"]),
        small=int(t["sample"]) < min_cell,
    )


def summarise(
    ranks: IncomeRanks,
    tally: Tally,
    *,
    thresholds: tuple[Decimal, ...],
    min_cell: int,
    notes: tuple[Any, ...] = (),
    standards: tuple[StandardUsed, ...] = (),
    names: dict[str, Any] | None = None,
) -> PopulationSummary:
    """Turn the tallies of a run into its summary (groups: everything first, then by key)."""
    groups = []
    keys = sorted(tally.groups, key=lambda k: (k != EVERYTHING, k))
    for key in keys:
        cells = tally.groups[key]
        cuts = [Decimal(int(c)) / 100 for c in ranks.cuts(key).tolist()]
        # No ranked household (no income given): no cut points, every decile is empty.
        edges: list[Decimal | None] = [None, *cuts, None] if cuts else [None] * (DECILES + 1)
        deciles = tuple(
            _cell(d, [d], cells, thresholds, min_cell, (edges[d - 1], edges[d]))
            for d in range(1, DECILES + 1)
        )
        quintiles = tuple(
            _cell(q, [2 * q - 1, 2 * q], cells, thresholds, min_cell, (edges[2 * q - 2], edges[2 * q]))
            for q in range(1, 6)
        )
        groups.append(
            GroupSummary(
                region=key[0],
                year=key[1],
                name=(names or {}).get(key[0]),
                whole=_cell(0, list(range(DECILES + 1)), cells, thresholds, min_cell),
                deciles=deciles,
                quintiles=quintiles,
                not_ranked=_cell(0, [0], cells, thresholds, min_cell),
            )
        )
    return PopulationSummary(
        groups=tuple(groups), thresholds=thresholds, min_cell=min_cell, notes=notes, standards=standards
    )


__all__ = ["Cell", "GroupKey", "GroupSummary", "PopulationSummary", "Share", "StandardUsed", "summarise"]
