"""How long a population takes under a reform: baseline pricing, reform pricing (value change and
income-related contribution), the comparison, and the revenue-neutral solver. Prints; asserts nothing.

    python3 bench/reform_population.py [HOUSEHOLDS]
"""

from __future__ import annotations

import sys
import time

from premium_calc.analyses.population.columns import from_columns
from premium_calc.analyses.population.pricing import price_population
from premium_calc.analyses.population.synthetic import synthetic_population
from premium_calc.analyses.reform.book import ReformedBook
from premium_calc.analyses.reform.loading import find_reform, load_reform
from premium_calc.analyses.reform.population import compare_reform, price_reform, statistic_stand_in
from premium_calc.analyses.reform.solver import solve_population
from premium_calc.ratebook.book import RateBook


def timed(label: str, fn, *args, **kw):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args, **kw)
    print(f"{label:<40} {time.perf_counter() - start:8.3f} s")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    book = RateBook()
    model = synthetic_population("贵州", 2025, n, book=book)
    pop = from_columns(model.columns, year=2025, region=model.region)
    print(f"{n:,} households, {len(pop.table):,} members")
    timed("baseline price_population", price_population, book, pop)
    subsidy = load_reform(find_reform("subsidy_724"))
    timed("value change (subsidy_724)", price_reform, ReformedBook(book, subsidy), pop)
    share = load_reform(find_reform("shenzhen_style_share"))
    stand_in = statistic_stand_in(book)
    timed(
        "contribution (shenzhen_style_share)",
        price_reform,
        book,
        pop,
        contribution=share.contribution,
        stand_in=stand_in,
    )
    timed(
        "compare_reform (both sides + summary)",
        compare_reform,
        book,
        book,
        pop,
        contribution=share.contribution,
        stand_in=stand_in,
    )
    sol = timed(
        "solve_population rate",
        solve_population,
        book,
        book,
        pop,
        share.contribution,
        "rate",
        stand_in=stand_in,
    )
    print(f"revenue-neutral rate {sol.value} after {sol.evaluations} evaluations")


if __name__ == "__main__":
    main()
