"""How assisted members are priced, region-year by region-year (coverage 2024-2027).

For every region with a rate file and every coverage year from 2024 that the region has an
entry for, one 40-year-old member of each assisted group is priced. Each outcome is one of:
``free`` (pays 0), ``amount`` (a sourced amount above 0), ``unknown`` (assisted, amount not in
the data) or ``full`` (no rule at all: pays the full premium, which must then be what a source
says). Run: ``python3 bench/assistance_floor.py`` (add ``--detail`` for the full-price rows).
"""

from __future__ import annotations

import sys
from collections import Counter

from premium_calc import Household, Member, RateBook, calculate
from premium_calc.errors import PremiumCalcError

GROUPS = ("tekun", "dibao", "monitored", "returned_poverty", "poverty_exit", "dibao_edge", "low_income")
YEARS = (2024, 2025, 2026, 2027)


def outcome(book: RateBook, region: str, year: int, group: str) -> str:
    try:
        household = Household(members=(Member(age=40, assisted=(group,)),))
        result = calculate(book.schedule(region, year), household)
    except PremiumCalcError:
        return "no amount"
    m = result.members[0]
    if m.unknown == "assistance":
        return "unknown"
    if m.unknown == "amount":
        return "no amount"
    if m.paid == 0:
        return "free"
    if m.assisted_rule is not None:
        return "amount"
    return "full"


def main() -> None:
    book = RateBook()
    detail = "--detail" in sys.argv
    counts: dict[str, Counter[str]] = {g: Counter() for g in GROUPS}
    full_rows: list[str] = []
    region_years = [(r, y) for r in book.region_ids() if r != "cn" for y in book.years(r) if y in YEARS]
    for region, year in region_years:
        for group in GROUPS:
            kind = outcome(book, region, year, group)
            counts[group][kind] += 1
            if kind == "full":
                full_rows.append(f"{region} {year} {group}")
    kinds = ("free", "amount", "unknown", "full", "no amount")
    print(f"region-years with an entry, coverage {YEARS[0]}-{YEARS[-1]}: {len(region_years)}")
    print(f"{'group':<18}" + "".join(f"{k:>11}" for k in kinds))
    for group in GROUPS:
        print(f"{group:<18}" + "".join(f"{counts[group][k]:>11}" for k in kinds))
    if detail:
        print("\nfull price (no rule covers the group):")
        print("\n".join(full_rows) or "none")


if __name__ == "__main__":
    main()
