"""Enrolment response to a reform: a **scenario the user states**, never a finding.

Nothing here is estimated. The user gives an elasticity (or a range ``A..B``): the assumed
relative change in the number of people enrolled per relative change in what their household
pays. No published estimate of this elasticity for China's resident medical insurance is in
our sources (foreign estimates vary widely, and the fall in enrolment of 2022-25 is mostly
de-duplication and moves to employee insurance, not a price response), so there is no default:
the scenario is computed only when asked.

For each household priced exactly on both sides that paid something before:
``response = clamp(elasticity x (paid after - paid before) / paid before, -1, +inf)``; its
people enrolled change by ``people x response`` and its contributions become ``paid after x (1
+ response)``. Households that paid nothing before have no relative change and are left
unchanged (counted). The response is linear in the elasticity (but for the clamp, which keeps
it monotone), so the ends of the range give the ends of the results. Results are scenario
figures: rounded to whole people and to the yuan (float arithmetic on exact inputs).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..._frozen import Frozen
from ...errors import OptionError
from ...messages import Note
from ..population.columns import WEIGHT_SCALE
from ..population.pricing import PRICED
from .population_compare import PairedHouseholds


class ResponseEnd(Frozen):
    """The scenario at one elasticity."""

    elasticity: Decimal
    people_change: Decimal  # weighted people, whole
    people_change_share: Decimal | None = None  # of the people priced
    contributions: Decimal  # reform contributions after the response (yuan, whole)
    contributions_change: Decimal  # against the reform without a response (yuan, whole)


class ResponseScenario(Frozen):
    """An enrolment response scenario: a user-chosen assumption, never a fact."""

    elasticity_low: Decimal
    elasticity_high: Decimal
    ends: tuple[ResponseEnd, ...]  # at elasticity_low, then at elasticity_high
    people: Decimal  # people of the households the scenario covers
    no_base_households: Decimal  # paid nothing before: left unchanged
    notes: tuple[Note, ...] = ()


def parse_elasticity(raw: str) -> tuple[Decimal, Decimal]:
    """``-0.3..-0.1`` or ``-0.2`` -> (low, high); each between -5 and 5."""
    parts = raw.split("..")
    try:
        values = [Decimal(p.strip()) for p in parts]
    except ArithmeticError:
        raise OptionError("--elasticity", Note("error.elasticity", value=raw)) from None
    if len(values) not in (1, 2) or any(not v.is_finite() or abs(v) > 5 for v in values):
        raise OptionError("--elasticity", Note("error.elasticity", value=raw))
    low, high = min(values), max(values)
    return low, high


def enrolment_response(pairs: PairedHouseholds, low: Decimal, high: Decimal) -> ResponseScenario:
    """The scenario of the module docstring at both ends of ``[low, high]``."""
    exact = (pairs.base_status == PRICED) & (pairs.new_status == PRICED)
    base = pairs.base_high.astype(np.float64)
    new = pairs.new_high.astype(np.float64)
    has_base = exact & (pairs.base_high > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(has_base, (new - base) / np.where(has_base, base, 1), 0.0)
    weight = pairs.weight.astype(np.float64) / WEIGHT_SCALE
    people = weight * pairs.members
    covered = float(people[exact].sum())
    reform_total = float((weight * new)[exact].sum()) / 100
    ends = []
    for e in (low, high):
        response = np.maximum(float(e) * relative, -1.0)
        change = float((people * response)[exact].sum())
        after = float((weight * new * (1 + response))[exact].sum()) / 100
        ends.append(
            ResponseEnd(
                elasticity=e,
                people_change=Decimal(round(change)),
                people_change_share=Decimal(f"{change / covered:.4f}") if covered else None,
                contributions=Decimal(round(after)),
                contributions_change=Decimal(round(after - reform_total)),
            )
        )
    return ResponseScenario(
        elasticity_low=low,
        elasticity_high=high,
        ends=tuple(ends),
        people=Decimal(round(covered)),
        no_base_households=Decimal(round(float(weight[exact & ~has_base].sum()))),
        notes=(Note("reform.response.assumption"), Note("reform.response.evidence")),
    )


__all__ = ["ResponseEnd", "ResponseScenario", "enrolment_response", "parse_elasticity"]
