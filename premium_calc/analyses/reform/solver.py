"""A revenue-neutral solver: the value of one contribution parameter that brings the total
contributions of a population to a target (by default the baseline total).

The total is an exact integer (fen x weight units) and, for the parameters offered (an
income share's ``rate``, ``floor`` or ``cap``, a bracket schedule's ``scale``, a flat
amount), it never falls when the parameter rises: every member's amount is a non-decreasing
function of it (and assistance, ``min(pays, gross)``, ``gross x share`` or ``gross -
assistance``, keeps that). The solver relies on it **and checks it**: the parameter runs over a
grid of ``step`` from ``low`` to ``high``; a binary search (:func:`bisect.bisect_left`) finds the
first grid value whose total reaches the target; every total it computed is checked to rise
with the parameter (else :class:`NotMonotoneError`). The result is that grid value or the one
below it, whichever total is nearer the target (the lower on a tie), with the residual (total
- target). A target no value of the range reaches is refused (:class:`TargetOutOfRangeError`),
naming the totals at both ends.

Because amounts are rounded to the fen, the total is a step function: an exact hit is not
always possible; the residual says how near the grid came. With a step of 0.000001 for a rate
(0.0001 percentage points), a grid of 0 .. 10 % has 100,001 values: 18 evaluations.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np

from ..._frozen import Frozen
from ...errors import PremiumCalcError
from ...messages import Note
from ..population.columns import Population
from ..population.pricing import BOUNDED, price_population
from .population_compare import wsum


class NotMonotoneError(PremiumCalcError):
    """Totals that fall while the parameter rises: the solver's premise fails."""

    code = "not-monotone"


class TargetOutOfRangeError(PremiumCalcError):
    """No value of the parameter's range reaches the target."""

    code = "target-out-of-range"


class Solution(Frozen):
    """What the solver found. Totals are exact integers in the caller's units (fen x weight
    units for a population)."""

    parameter: str
    value: Decimal
    total: int
    target: int
    residual: int  # total - target
    low: Decimal
    high: Decimal
    step: Decimal
    evaluations: int
    total_at_low: int
    total_at_high: int


def solve(
    total_at: Callable[[Decimal], int],
    target: int,
    *,
    parameter: str,
    low: Decimal,
    high: Decimal,
    step: Decimal,
) -> Solution:
    """The grid value of ``parameter`` in ``[low, high]`` whose total is nearest ``target``
    (see the module docstring). ``total_at`` must not fall as its argument rises."""
    if step <= 0 or high <= low:
        raise PremiumCalcError(Note("error.solver_range", low=f"{low}", high=f"{high}", step=f"{step}"))
    points = int((high - low) / step)
    seen: dict[int, int] = {}

    def at(k: int) -> int:
        if k not in seen:
            seen[k] = total_at(low + step * k)
        return seen[k]

    bottom, top = at(0), at(points)
    if top < bottom:
        raise NotMonotoneError(Note("error.solver_not_monotone", parameter=parameter))
    if not bottom <= target <= top:
        raise TargetOutOfRangeError(
            Note(
                "error.solver_out_of_range", parameter=parameter, low=f"{low.normalize():f}",
                high=f"{(low + step * points).normalize():f}",
                at_low=_yuan(bottom), at_high=_yuan(top), target=_yuan(target),
            )
        )  # fmt: skip
    k = bisect.bisect_left(range(points + 1), target, key=at)
    ordered = sorted(seen.items())
    if any(b[1] < a[1] for a, b in itertools.pairwise(ordered)):
        raise NotMonotoneError(Note("error.solver_not_monotone", parameter=parameter))
    if k > 0 and abs(at(k - 1) - target) <= abs(at(k) - target):
        k -= 1
    total = at(k)
    return Solution(
        parameter=parameter, value=low + step * k, total=total, target=target, residual=total - target,
        low=low, high=low + step * points, step=step, evaluations=len(seen), total_at_low=bottom,
        total_at_high=top,
    )  # fmt: skip


def solve_population(
    book: Any,
    reformed: Any,
    population: Population | list[Population],
    contribution: Any,
    parameter: str,
    *,
    target: int | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    step: Decimal | None = None,
    stand_in: Any = None,
    region: str | None = None,
    year: int | None = None,
    tier: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Solution:
    """The value of ``parameter`` of ``contribution`` (through its ``with_parameter``) at which
    households pay ``target`` in total (fen x weight units; default: what they pay under the
    baseline). Totals are the most paid (unknown assistance counted as none), over the
    households priced on both sides (a household the reform cannot price at one value cannot
    at any other: the set is checked to be the same at every step). ``population``: one
    Population or its batches; ``progress`` is called with the number of evaluations done."""
    from .population import price_reform

    batches = population if isinstance(population, list) else [population]
    kw: dict[str, Any] = {"region": region, "year": year, "tier": tier}
    weights, starts, goal = [], [], 0
    for pop in batches:
        base = price_population(book, pop, **kw)
        start = price_reform(reformed, pop, contribution=contribution, stand_in=stand_in, **kw)
        ok = start.status <= BOUNDED
        weight = np.where((base.status <= BOUNDED) & ok, pop.weight, 0)
        weights.append(weight)
        starts.append(ok)
        goal += wsum(base.paid_fen, weight)
    goal = goal if target is None else target
    done = [0]

    def total_at(value: Decimal) -> int:
        rule = contribution.with_parameter(parameter, value)
        total = 0
        for pop, weight, ok in zip(batches, weights, starts, strict=True):
            result = price_reform(reformed, pop, contribution=rule, stand_in=stand_in, **kw)
            if bool(((result.status <= BOUNDED) != ok).any()):
                raise NotMonotoneError(Note("error.solver_not_monotone", parameter=parameter))
            total += wsum(result.paid_fen, weight)
        done[0] += 1
        if progress is not None:
            progress(done[0])
        return total

    d_low, d_high, d_step = RANGES.get(parameter, (Decimal(0), Decimal(1), Decimal("0.000001")))
    return solve(total_at, goal, parameter=parameter, low=d_low if low is None else low,
                 high=d_high if high is None else high, step=d_step if step is None else step)  # fmt: skip


def _yuan(total: int) -> str:
    from .population_compare import yuan

    return f"{yuan(total):,}"


#: Default search ranges and steps of each solver parameter (yuan for amounts).
RANGES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "rate": (Decimal(0), Decimal("0.2"), Decimal("0.000001")),
    "floor": (Decimal(0), Decimal(5000), Decimal("0.01")),
    "cap": (Decimal(0), Decimal(50000), Decimal("0.01")),
    "scale": (Decimal(0), Decimal(10), Decimal("0.0001")),
    "amount": (Decimal(0), Decimal(5000), Decimal("0.01")),
}


__all__ = ["RANGES", "NotMonotoneError", "Solution", "TargetOutOfRangeError", "solve", "solve_population"]
