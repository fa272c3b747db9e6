"""Batch pricing: households per second, vectorised engine vs the scalar path.

Run: python bench/batch.py [--households N]
"""

from __future__ import annotations

import argparse
import random
import time

from premium_calc.household.batch import MemberTable, price_batch
from premium_calc.household.members import Household, Member
from premium_calc.household.premium import calculate
from premium_calc.ratebook.book import RateBook


def synthetic(n: int, seed: int = 1) -> list[Household]:
    rng = random.Random(seed)
    groups = [(), (), (), ("dibao",), ("tekun",), ("monitored",)]
    out = []
    for _ in range(n):
        size = rng.randint(1, 6)
        out.append(
            Household(
                members=tuple(
                    Member(
                        age=rng.randint(0, 90),
                        sex=rng.choice(["male", "female"]),
                        student=rng.random() < 0.2,
                        assisted=rng.choice(groups),
                        employee=rng.random() < 0.1,
                    )
                    for _ in range(size)
                )
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--region", default="cn/beijing")
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    schedule = RateBook().schedule(args.region, args.year)
    households = synthetic(args.households)
    members = sum(h.size for h in households)

    start = time.perf_counter()
    table = MemberTable.from_households(households, args.year)
    built = time.perf_counter()
    result = price_batch(schedule, table)
    priced = time.perf_counter()

    sample = households[: min(5_000, len(households))]
    s0 = time.perf_counter()
    for h in sample:
        calculate(schedule, h)
    scalar = (time.perf_counter() - s0) / len(sample)

    vector = (priced - built) / len(households)
    print(f"{args.region} {args.year}: {len(households):,} households, {members:,} members")
    print(f"build member table : {built - start:8.3f} s")
    rate = len(households) / (priced - built)
    print(f"price_batch        : {priced - built:8.3f} s  ({rate:,.0f} households/s)")
    print(f"scalar calculate   : {scalar * 1e6:8.1f} us per household ({1 / scalar:,.0f} households/s)")
    print(f"speed-up (pricing) : {scalar / vector:8.0f}x")
    print(f"valid households   : {int(result.valid.sum()):,}")


if __name__ == "__main__":
    main()
