"""How many of China's counties get an answer, and from which level of the data.

Every county-level division of the gazetteer is looked up by its 6-digit code and by its
official name, and priced for one 40-year-old in each coverage year 2024-2027. The table counts
where the standard came from: the county's own file, its city's, its province's, or the
national minimum (marked "at least"), and how many get no answer (no level has the year, or no
amount is known). Run: ``python3 bench/places_resolve.py``.
"""

from __future__ import annotations

import time
from collections import Counter

from premium_calc import Household, Member, RateBook, calculate
from premium_calc.errors import AmbiguousRegionError, PremiumCalcError
from premium_calc.gazetteer import Gazetteer

YEARS = (2024, 2025, 2026, 2027)


def main() -> None:
    book = RateBook()
    gazetteer = Gazetteer.load()
    counties = [p for p in gazetteer.places if p.level == "county" and p.covered]
    household = Household(members=(Member(age=40),))
    by_name = Counter[str]()
    started = time.perf_counter()
    for place in counties:
        try:
            book.locate(place.name)
            by_name["unique"] += 1
        except AmbiguousRegionError:
            by_name["ambiguous (asks which)"] += 1
        except PremiumCalcError:
            by_name["not found"] += 1
    name_seconds = time.perf_counter() - started
    print(f"county-level divisions: {len(counties)}")
    print("by official name: " + ", ".join(f"{k} {v}" for k, v in by_name.items()))
    print(f"{'year':<6}{'own/city':>10}{'province':>10}{'national≥':>11}{'no answer':>11}{'resolved':>10}")
    started = time.perf_counter()
    for year in YEARS:
        levels = Counter[str]()
        for place in counties:
            try:
                schedule = book.standard(place.code, year)
                calculate(schedule, household)
            except PremiumCalcError:
                levels["none"] += 1
                continue
            level = book.region(schedule.standard_from).data.region.level
            levels["national" if level == "country" else "province" if level == "province" else "local"] += 1
        answered = len(counties) - levels["none"]
        print(
            f"{year:<6}{levels['local']:>10}{levels['province']:>10}{levels['national']:>11}"
            f"{levels['none']:>11}{answered / len(counties):>10.1%}"
        )
    price_seconds = time.perf_counter() - started
    print(f"time: {name_seconds:.2f} s for {len(counties)} name lookups; "
          f"{price_seconds:.2f} s for {len(counties) * len(YEARS)} code lookups and pricings")


if __name__ == "__main__":
    main()
