"""What a reform changes for a population: two pricings of the same households compared.

The inputs are per-household outcomes in integer fen (:class:`PairedHouseholds`, from two
:class:`~premium_calc.analyses.population.pricing.PopulationResult` of the same population:
the baseline and the reform); the output is a :class:`ReformPopulationSummary` of exact
weighted sums (integer fen x weight units, turned into yuan once, half-up to the fen).

Definitions (stated in every summary by its notes):

* **paid**: what households pay; **assistance**: what medical assistance pays for assisted
  members (gross - paid); **fiscal subsidy**: the per-person government subsidy of enrolled
  residents' categories; **fiscal cost** = fiscal subsidy + assistance.
* Where a member's assistance amount is unknown the household pays between ``low`` and
  ``high``; totals carry both ends; such households are left out of the deciles, the
  winners/losers bins (counted as ``uncertain``) and the burden shares.
* Households not priced on either side are left out of every figure and counted.
* Deciles are of people by per-capita income, as ``population`` ranks them
  (:mod:`~premium_calc.analyses.population.tally`); households without a known positive
  income are not ranked.
* **Winners and losers**: the change in what a household pays, relative to what it paid
  before (``premium``, the default) or to its income (``income``): pays more than 5 % more
  (``lose_large``), 0.1-5 % more (``lose_small``), within 0.1 % (``same``, strictly less than
  0.1 % either way), 0.1-5 % less (``gain_small``), more than 5 % less (``gain_large``). A
  household that paid nothing before and pays something now loses more than 5 %; one whose
  income is unknown or not positive cannot be placed relative to income (``no_base``).
* Burden = paid / income half-up to 4 decimals; above a threshold means strictly above.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..._frozen import Frozen
from ...errors import OptionError
from ...messages import Note
from ...units import half_up
from ..population.columns import WEIGHT_SCALE
from ..population.pricing import BOUNDED, PRICED, PopulationResult
from ..population.summary import StandardUsed
from ..population.tally import DECILES, EVERYTHING, RATIO_SCALE, IncomeRanks, per_capita_fen

if TYPE_CHECKING:
    from numpy.typing import NDArray

    IntArray = NDArray[np.int64]

FEN = Decimal("0.01")
RATIO = Decimal("0.0001")
COUNT = Decimal("0.0001")

RelativeTo = Literal["premium", "income"]
BINS = ("lose_large", "lose_small", "same", "gain_small", "gain_large", "uncertain", "no_base")


@dataclass(frozen=True)
class PairedHouseholds:
    """Per household, both pricings (money in fen, weights in 1 / WEIGHT_SCALE)."""

    per_capita: IntArray
    members: IntArray
    weight: IntArray
    income: IntArray  # -1 unknown
    base_status: NDArray[np.int8]
    base_gross: IntArray
    base_low: IntArray
    base_high: IntArray
    base_subsidy: IntArray  # -1 unknown
    new_status: NDArray[np.int8]
    new_gross: IntArray
    new_low: IntArray
    new_high: IntArray
    new_subsidy: IntArray

    @classmethod
    def of(cls, baseline: PopulationResult, reform: PopulationResult) -> PairedHouseholds:
        if baseline.population is not reform.population:
            raise ValueError("baseline and reform must price the same Population")
        pop = baseline.population
        return cls(
            per_capita=per_capita_fen(pop.income_fen, pop.members),
            members=pop.members, weight=pop.weight, income=pop.income_fen,
            base_status=baseline.status, base_gross=baseline.gross_fen, base_low=baseline.paid_low_fen,
            base_high=baseline.paid_fen, base_subsidy=baseline.subsidy_fen,
            new_status=reform.status, new_gross=reform.gross_fen, new_low=reform.paid_low_fen,
            new_high=reform.paid_fen, new_subsidy=reform.subsidy_fen,
        )  # fmt: skip

    @classmethod
    def concat(cls, parts: list[PairedHouseholds]) -> PairedHouseholds:
        if len(parts) == 1:
            return parts[0]
        return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)})

    @property
    def households(self) -> int:
        return int(self.weight.shape[0])


def wsum(values: IntArray, weights: IntArray) -> int:
    """sum(values x weights), exactly (Python ints where int64 could overflow)."""
    if not values.size:
        return 0
    if int(np.abs(values).max()) * int(weights.sum(dtype=np.float64) + 1) < 2**62:
        return int(np.dot(values.astype(np.int64), weights.astype(np.int64)))
    return int(np.dot(values.astype(object), weights.astype(object)))


def yuan(total: int) -> Decimal:
    """fen x weight units -> yuan, half-up to the fen."""
    return half_up(Decimal(total) / (100 * WEIGHT_SCALE), FEN)


def count(total: int) -> Decimal:
    return half_up(Decimal(total) / WEIGHT_SCALE, COUNT)


def ratio(num: int, den: int) -> Decimal | None:
    return half_up(Decimal(num) / Decimal(den), RATIO) if den > 0 else None


class SideTotals(Frozen):
    """One side's weighted totals (yuan). ``*_low``/``*_high`` differ only where some
    assistance is unknown."""

    paid_low: Decimal
    paid_high: Decimal
    gross: Decimal
    assistance_low: Decimal
    assistance_high: Decimal
    subsidy: Decimal  # known subsidies; see subsidy_unknown_households
    subsidy_unknown_households: Decimal
    fiscal_cost_low: Decimal  # subsidy + assistance
    fiscal_cost_high: Decimal
    bounded_households: Decimal


class Change(Frozen):
    """Reform minus baseline, for each total (yuan)."""

    paid_low: Decimal
    paid_high: Decimal
    assistance_low: Decimal
    assistance_high: Decimal
    subsidy: Decimal
    fiscal_cost_low: Decimal
    fiscal_cost_high: Decimal


class DecileChange(Frozen):
    """One decile of people by per-capita income (households priced exactly on both sides)."""

    part: int
    income_to: Decimal | None = None  # per-capita income up to this (yuan); None: the top
    sample: int
    households: Decimal
    mean_change: Decimal | None = None  # change in paid per household (yuan)
    burden_before: Decimal | None = None  # paid / income over the decile
    burden_after: Decimal | None = None
    mean_burden_before: Decimal | None = None  # mean of the households' burdens
    mean_burden_after: Decimal | None = None
    small: bool = False  # fewer sampled households than ``min_cell``: too few to rely on


class Bin(Frozen):
    name: str  # one of BINS
    households: Decimal
    people: Decimal
    share: Decimal | None = None  # of the households placed in a bin of the five (not uncertain/no_base)


class ThresholdShare(Frozen):
    """Share of ranked households (and people) with a burden strictly above ``threshold``."""

    threshold: Decimal
    households_before: Decimal | None = None
    households_after: Decimal | None = None
    people_before: Decimal | None = None
    people_after: Decimal | None = None


class ReformPopulationSummary(Frozen):
    households: Decimal  # weighted, every household of the population
    people: Decimal
    sample: int
    priced_households: Decimal  # priced (or bounded) on both sides: every figure below
    unpriced_households: Decimal
    no_income_households: Decimal  # income unknown or not positive
    baseline: SideTotals
    reform: SideTotals
    change: Change
    deciles: tuple[DecileChange, ...]
    relative_to: RelativeTo
    bins: tuple[Bin, ...]
    thresholds: tuple[ThresholdShare, ...]
    #: The baseline standard each (region, year) group was priced with (marks: at least the
    #: national minimums, low confidence, no standard).
    standards: tuple[StandardUsed, ...] = ()
    notes: tuple[Any, ...] = ()

    def bin(self, name: str) -> Bin:
        return next(b for b in self.bins if b.name == name)


def _side(p: PairedHouseholds, both: NDArray[np.bool_], prefix: str) -> SideTotals:
    w = np.where(both, p.weight, 0)
    status = getattr(p, f"{prefix}_status")
    gross, low, high = (getattr(p, f"{prefix}_{n}") for n in ("gross", "low", "high"))
    sub = getattr(p, f"{prefix}_subsidy")
    known = sub >= 0
    subsidy = wsum(np.where(known, sub, 0), w)
    assist_low, assist_high = wsum(gross - high, w), wsum(gross - low, w)
    return SideTotals(
        paid_low=yuan(wsum(low, w)), paid_high=yuan(wsum(high, w)), gross=yuan(wsum(gross, w)),
        assistance_low=yuan(assist_low), assistance_high=yuan(assist_high), subsidy=yuan(subsidy),
        subsidy_unknown_households=count(int(w[~known].sum())),
        fiscal_cost_low=yuan(subsidy + assist_low), fiscal_cost_high=yuan(subsidy + assist_high),
        bounded_households=count(int(w[status == BOUNDED].sum())),
    )  # fmt: skip


def burden_units(paid: IntArray, income: IntArray) -> IntArray:
    """paid / income in 1 / RATIO_SCALE, half-up (income > 0 where it is used)."""
    return (2 * paid * RATIO_SCALE + income) // np.maximum(2 * income, 1)


def place(change: IntArray, base: IntArray, valid: NDArray[np.bool_]) -> NDArray[np.int8]:
    """Each household's bin (index into :data:`BINS`) from its change and base in fen, with
    exact integer comparisons: |change| < 0.1 % of base is ``same``; > 5 % is large. A base
    of 0 places any positive change in ``lose_large`` (any negative cannot happen: paid >= 0)."""
    magnitude = np.abs(change)
    same = 1000 * magnitude < base
    large = 100 * magnitude > 5 * base
    out = np.where(same, 2, np.where(change > 0, np.where(large, 0, 1), np.where(large, 4, 3)))
    out = np.where(valid & (base == 0) & (change == 0), 2, out)
    return np.where(valid, out, 6).astype(np.int8)


def summarise_reform(
    p: PairedHouseholds,
    *,
    relative_to: RelativeTo = "premium",
    thresholds: tuple[Decimal, ...] = (Decimal("0.05"), Decimal("0.10")),
    notes: tuple[Any, ...] = (),
    standards: tuple[StandardUsed, ...] = (),
    min_cell: int = 30,
) -> ReformPopulationSummary:
    """The comparison of the module docstring (deterministic; exact integer sums)."""
    if relative_to not in ("premium", "income"):
        raise OptionError("--relative-to", Note("error.reform_relative_to", value=relative_to))
    people_w = p.weight * p.members
    both = np.isin(p.base_status, (PRICED, BOUNDED)) & np.isin(p.new_status, (PRICED, BOUNDED))
    exact = (p.base_status == PRICED) & (p.new_status == PRICED)
    has_income = p.income > 0
    ranks = IncomeRanks()
    ranks.add(EVERYTHING, np.where(has_income, p.per_capita, -1), people_w)
    cuts = ranks.cuts(EVERYTHING)
    decile = np.where(has_income, np.searchsorted(cuts, p.per_capita, side="left") + 1, 0)
    change = p.new_high - p.base_high  # exact households: high == low
    before, after = burden_units(p.base_high, p.income), burden_units(p.new_high, p.income)
    deciles = []
    edges = [Decimal(int(c)) / 100 for c in cuts.tolist()]
    for d in range(1, DECILES + 1):
        pick = exact & (decile == d)
        w = np.where(pick, p.weight, 0)
        hh = int(w.sum())
        income = wsum(p.income, w)
        deciles.append(
            DecileChange(
                part=d, income_to=edges[d - 1] if d <= len(edges) else None, sample=int(pick.sum()),
                households=count(hh),
                mean_change=half_up(Decimal(wsum(change, w)) / (100 * hh), FEN) if hh else None,
                burden_before=ratio(wsum(p.base_high, w), income),
                burden_after=ratio(wsum(p.new_high, w), income),
                mean_burden_before=ratio(wsum(before, w), hh * RATIO_SCALE),
                mean_burden_after=ratio(wsum(after, w), hh * RATIO_SCALE),
                small=int(pick.sum()) < min_cell,
            )
        )  # fmt: skip
    base = p.base_high if relative_to == "premium" else p.income
    valid = exact & (base >= 0) & (has_income if relative_to == "income" else True)
    where = place(change, np.maximum(base, 0), valid)
    where = np.where(both & ~exact, 5, where)
    where = np.where(exact & ~valid, 6, where)
    placed = int(np.where(both & (where < 5), p.weight, 0).sum())
    bins = []
    for index, name in enumerate(BINS):
        pick = both & (where == index)
        hh = int(p.weight[pick].sum())
        bins.append(Bin(name=name, households=count(hh), people=count(int(people_w[pick].sum())),
                        share=ratio(hh, placed) if index < 5 else None))  # fmt: skip
    ranked = exact & has_income
    shares = []
    for threshold in thresholds:
        cut = int(threshold * RATIO_SCALE)
        values: dict[str, Decimal | None] = {}
        for side, units in (("before", before), ("after", after)):
            for what, weights in (("households", p.weight), ("people", people_w)):
                total = int(weights[ranked].sum())
                values[f"{what}_{side}"] = ratio(int(weights[ranked & (units > cut)].sum()), total)
        shares.append(ThresholdShare(threshold=threshold, **values))
    base_side, new_side = _side(p, both, "base"), _side(p, both, "new")
    return ReformPopulationSummary(
        households=count(int(p.weight.sum())), people=count(int(people_w.sum())), sample=p.households,
        priced_households=count(int(p.weight[both].sum())),
        unpriced_households=count(int(p.weight[~both].sum())),
        no_income_households=count(int(p.weight[~has_income].sum())),
        baseline=base_side, reform=new_side,
        change=Change(**{
            name: getattr(new_side, name) - getattr(base_side, name) for name in Change.model_fields
        }),
        deciles=tuple(deciles), relative_to=relative_to, bins=tuple(bins), thresholds=tuple(shares),
        standards=standards,
        notes=(Note("reform.population.definitions"),
               Note(f"reform.population.bins_{relative_to}"), *notes),
    )  # fmt: skip


__all__ = [
    "BINS", "Bin", "Change", "DecileChange", "PairedHouseholds", "ReformPopulationSummary",
    "RelativeTo", "SideTotals", "ThresholdShare", "place", "summarise_reform", "wsum",
]  # fmt: skip
