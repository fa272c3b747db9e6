"""A population under a reform: a tiny hand-made population with the arithmetic worked out,
properties (a reform that changes nothing, bins that add up, the solver), the response scenario."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from premium_calc.analyses.population.columns import from_columns
from premium_calc.analyses.reform.contribution import IncomeShare
from premium_calc.analyses.reform.population import compare_reform
from premium_calc.analyses.reform.population_compare import place
from premium_calc.analyses.reform.response import enrolment_response, parse_elasticity
from premium_calc.analyses.reform.solver import NotMonotoneError, TargetOutOfRangeError, solve
from premium_calc.errors import OptionError
from premium_calc.ratebook.book import RateBook

D = Decimal

# Bijie 2025: 400 yuan a person, subsidy 670; tekun pay 0 (full), dibao: amount unknown.
# h1: two adults, 20,000 yuan, weight 1      -> 800
# h2: three (a child of 5), 9,000, weight 2   -> 1,200 each
# h3: one tekun of 70, 5,000, weight 1        -> 0 (assistance 400)
# h4: dibao + spouse, 12,000, weight 1        -> 400..800 (the dibao amount is unknown)
# h5: one of 40, income unknown, weight 1     -> 400
TINY = {
    "household": ["h1", "h1", "h2", "h2", "h2", "h3", "h4", "h4", "h5"],
    "age": [45, 42, 30, 28, 5, 70, 50, 48, 40],
    "flags": ["", "", "", "", "", "tekun", "dibao", "", ""],
    "income": ["20000", "", "9000", "", "", "5000", "12000", "", ""],
    "weight": [1, 1, 2, 2, 2, 1, 1, 1, 1],
}


@pytest.fixture(scope="module")
def book() -> RateBook:
    from premium_calc.cli._common import get_book

    return get_book(None)


@pytest.fixture(scope="module")
def tiny() -> Any:
    return from_columns(TINY, year=2025, region="毕节")


class FlatBook:
    """A RateBook whose standards charge ``amount`` (a value-change reform, by hand)."""

    def __init__(self, book: RateBook, amount: Decimal) -> None:
        self.book, self.amount = book, amount

    def standard(self, region: str, year: int) -> Any:
        s = self.book.standard(region, year)
        cats = tuple(dataclasses.replace(c, individual=self.amount) for c in s.categories)
        return dataclasses.replace(s, categories=cats)


def test_value_change_worked_by_hand(book: RateBook, tiny: Any) -> None:
    s, _ = compare_reform(book, FlatBook(book, D(300)), tiny)
    # paid, most: 800 + 2 x 1200 + 0 + 800 + 400 = 4400; least (dibao pays 0): 4000.
    assert (s.baseline.paid_low, s.baseline.paid_high) == (D("4000.00"), D("4400.00"))
    # reform: 600 + 2 x 900 + 0 + 600 + 300 = 3300; least 3000.
    assert (s.reform.paid_low, s.reform.paid_high) == (D("3000.00"), D("3300.00"))
    assert (s.change.paid_low, s.change.paid_high) == (D("-1000.00"), D("-1100.00"))
    # gross 4800 -> 3600; assistance = gross - paid: 400..800 -> 300..600.
    assert (s.baseline.assistance_low, s.baseline.assistance_high) == (D("400.00"), D("800.00"))
    assert (s.reform.assistance_low, s.reform.assistance_high) == (D("300.00"), D("600.00"))
    # 12 people (weighted) x 670 = 8040 both sides; fiscal cost = subsidy + assistance.
    assert s.baseline.subsidy == s.reform.subsidy == D("8040.00")
    assert (s.baseline.fiscal_cost_low, s.baseline.fiscal_cost_high) == (D("8440.00"), D("8840.00"))
    assert (s.change.fiscal_cost_low, s.change.fiscal_cost_high) == (D("-100.00"), D("-200.00"))
    bins = {b.name: b.households for b in s.bins}
    # h1 -25 %, h2 -25 % (weight 2), h5 -25 %: gain_large; h3 0 -> 0: same; h4 bounded.
    assert bins == {"lose_large": 0, "lose_small": 0, "same": 1, "gain_small": 0, "gain_large": 4,
                    "uncertain": 1, "no_base": 0}  # fmt: skip
    assert s.bin("gain_large").share == D("0.8000")  # 4 of the 5 placed
    assert sum(bins.values()) == s.households == 6
    assert s.no_income_households == 1 and s.unpriced_households == 0


def test_income_share_worked_by_hand(book: RateBook, tiny: Any) -> None:
    rule = IncomeShare(kind="income_share", rate=D("0.05"), floor=D(100), unknown_income="standard")
    s, _ = compare_reform(book, book, tiny, contribution=rule)
    # h1: 5 % x 10,000 = 500 a member -> 1000 (+200, +25 %: lose_large)
    # h2: 5 % x 3,000 = 150 a member -> 450 (-750: gain_large, weight 2)
    # h3: 250, tekun pay min(0, 250) = 0 (assistance 250): same
    # h4: 300 each, the dibao member 0..300 -> 300..600: uncertain
    # h5: no income, "standard": the flat 400 stands -> same
    assert s.reform.paid_high == D(1000 + 2 * 450 + 0 + 600 + 400)
    assert s.reform.paid_low == D(1000 + 2 * 450 + 0 + 300 + 400)
    assert s.reform.gross == D(1000 + 2 * 450 + 250 + 600 + 400)
    assert s.reform.assistance_low == D(250) and s.reform.assistance_high == D(550)
    bins = {b.name: b.households for b in s.bins}
    assert bins["lose_large"] == 1 and bins["gain_large"] == 2 and bins["same"] == 2
    assert bins["uncertain"] == 1
    # Deciles of people by per-capita income: h2 (3,000 a head) is the poorest: its change
    # per household is -750 and its burden 1200 / 9000 = 13.33 % -> 450 / 9000 = 5 %.
    first = s.deciles[0]
    assert first.mean_change == D("-750.00")
    assert (first.burden_before, first.burden_after) == (D("0.1333"), D("0.0500"))
    # Above 10 % of income: h2 (13.3 %) before, nobody after (h4 bounded, h5 no income: left out).
    ten = s.thresholds[1]
    assert ten.threshold == D("0.10")
    assert ten.households_before == D("0.5000")  # h2 (weight 2) of h1, h2, h3 (4)
    assert ten.people_before == D("0.6667")  # its 6 people of 9
    assert ten.households_after == D("0.0000")


def test_unknown_income_without_a_stand_in_is_unpriced_never_zero(book: RateBook, tiny: Any) -> None:
    rule = IncomeShare(kind="income_share", rate=D("0.05"))
    s, _ = compare_reform(book, book, tiny, contribution=rule)
    assert s.unpriced_households == 1  # h5
    assert s.baseline.paid_high == D(4000)  # h5 left out on both sides
    assert sum(b.households for b in s.bins) == s.priced_households == 5


def test_relative_to_income(book: RateBook, tiny: Any) -> None:
    s, _ = compare_reform(book, FlatBook(book, D(300)), tiny, relative_to="income")
    bins = {b.name: b.households for b in s.bins}
    # h1: -200 / 20,000 = 1 %; h2: -300 / 9,000 = 3.3 % -> gain_small; h3 same; h5 no income.
    assert bins["gain_small"] == 3 and bins["same"] == 1 and bins["no_base"] == 1
    with pytest.raises(OptionError):
        compare_reform(book, book, tiny, relative_to="wealth")  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    incomes=st.lists(st.integers(0, 200_000), min_size=1, max_size=8),
    weights=st.lists(st.integers(1, 5), min_size=8, max_size=8),
)
def test_a_reform_that_changes_nothing(book: RateBook, incomes: list[int], weights: list[int]) -> None:
    n = len(incomes)
    pop = from_columns(
        {"household": list(range(n)), "age": [40] * n, "income": incomes, "weight": weights[:n]},
        year=2025, region="毕节",
    )  # fmt: skip
    s, _ = compare_reform(book, book, pop)
    assert s.change.paid_high == s.change.paid_low == s.change.fiscal_cost_high == 0
    assert s.bin("same").households == s.priced_households == sum(weights[:n])
    assert all(d.mean_change in (None, 0) for d in s.deciles)
    assert sum(b.households for b in s.bins) == s.households


@given(
    change=st.integers(-(10**6), 10**6),
    base=st.integers(0, 10**6),
)
def test_place_is_exact_at_the_edges(change: int, base: int) -> None:
    import numpy as np

    assume(change >= -base)  # paid is never negative: a change takes at most the whole base
    (where,) = place(np.array([change]), np.array([base]), np.array([True])).tolist()
    r = D(change) / D(base) if base else (D(0) if change == 0 else D(1))
    if abs(r) < D("0.001"):
        expected = 2
    else:
        expected = (0 if r > D("0.05") else 1) if r > 0 else (4 if r < D("-0.05") else 3)
    assert where == expected


def test_solver_over_a_monotone_step_function() -> None:
    # total(x) = floor(1000 x) fen: the target 123 is reached at 0.123.
    sol = solve(lambda x: int(x * 1000), 123, parameter="rate", low=D(0), high=D(1), step=D("0.001"))
    assert sol.value == D("0.123") and sol.residual == 0
    assert sol.evaluations <= 13
    with pytest.raises(TargetOutOfRangeError):
        solve(lambda x: int(x * 1000), 5000, parameter="rate", low=D(0), high=D(1), step=D("0.001"))
    with pytest.raises(NotMonotoneError):
        solve(lambda x: -int(x * 1000), -5, parameter="rate", low=D(0), high=D(1), step=D("0.001"))


@settings(max_examples=30, deadline=None)
@given(slope=st.integers(1, 10**6), target=st.integers(0, 10**6))
def test_solver_lands_on_the_nearest_grid_value(slope: int, target: int) -> None:
    def f(x: Decimal) -> int:
        return int(x * slope)

    if target > slope:
        return
    sol = solve(f, target, parameter="p", low=D(0), high=D(1), step=D("0.0001"))
    below, above = f(sol.value - D("0.0001")), f(sol.value + D("0.0001"))
    assert abs(sol.residual) <= max(abs(below - target), abs(above - target))
    assert sol.residual == f(sol.value) - target


def test_revenue_neutral_rate_on_the_tiny_population(book: RateBook, tiny: Any) -> None:
    from premium_calc.analyses.reform.solver import solve_population

    rule = IncomeShare(kind="income_share", rate=D("0.01"), unknown_income="standard")
    sol = solve_population(book, book, tiny, rule, "rate")
    # baseline (most paid) 4400; at rate r: h1 2 x 10000 r, h2 2 x 3 x 3000 r, h3 0,
    # h4 6000 r + 2 ... the dibao member counts at most: 2 x 6000 r, h5 400 (standard):
    # 20000 r + 18000 r + 12000 r + 400 = 4400 -> r = 0.08
    assert sol.value == D("0.08") and sol.residual == 0


def test_elasticity_scenario(book: RateBook, tiny: Any) -> None:
    assert parse_elasticity("-0.3..-0.1") == (D("-0.3"), D("-0.1"))
    assert parse_elasticity("-0.2") == (D("-0.2"), D("-0.2"))
    for bad in ("abc", "-9", "1..x"):
        with pytest.raises(OptionError):
            parse_elasticity(bad)
    _, pairs = compare_reform(book, FlatBook(book, D(300)), tiny)
    scenario = enrolment_response(pairs, D("-0.3"), D("-0.1"))
    # Exact households that paid before: h1 (2 people), h2 (3 x 2), h5 (1): -25 % each;
    # elasticity -0.3: +7.5 % of 9 people = +0.675 -> 1; -0.1: +0.225 -> 0.
    assert [e.people_change for e in scenario.ends] == [D(1), D(0)]
    assert scenario.no_base_households == 1  # h3 paid nothing
    assert scenario.notes and "scenario" in scenario.notes[0]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=6),
    per_head=st.lists(st.integers(2_001, 50_000), min_size=6, max_size=6),
)
def test_revenue_neutral_solution_reproduces_the_baseline(
    book: RateBook, sizes: list[int], per_head: list[int]
) -> None:
    # At least 2,001 yuan a head: 20 % of it (the top of the rate's range) reaches 400.
    incomes = [p * s for p, s in zip(per_head, sizes, strict=False)]
    from premium_calc.analyses.reform.population import price_reform
    from premium_calc.analyses.reform.population_compare import wsum
    from premium_calc.analyses.reform.solver import solve_population

    columns: dict[str, list[object]] = {"household": [], "age": [], "income": []}
    for h, size in enumerate(sizes):
        for i in range(size):
            columns["household"].append(h)
            columns["age"].append(40 if i == 0 else 10)
            columns["income"].append(str(incomes[h]) if i == 0 else "")
    pop = from_columns(columns, year=2025, region="毕节")
    rule = IncomeShare(kind="income_share", rate=D("0.01"))
    sol = solve_population(book, book, pop, rule, "rate")
    baseline = 40_000 * sum(sizes) * 10_000  # 400 yuan a person, in fen x weight units
    assert sol.target == baseline
    # Within one step of the rate: moving it by 0.000001 moves each member's amount by at most
    # their per-capita income x 0.000001 (+ 1 fen of rounding).
    people = sum(sizes)
    step_bound = sum(incomes[h] * s for h, s in enumerate(sizes)) * 100 // 1_000_000 + people
    assert abs(sol.residual) <= step_bound * 10_000
    total = wsum(
        price_reform(book, pop, contribution=rule.with_parameter("rate", sol.value)).paid_fen, pop.weight
    )
    assert total == sol.total
