"""Population runs, measured side by side in one run (figures and ratios printed, never asserted).

1. The pricing kernel with the real rules of Beijing 2025 (three categories, sex-specific
   ages, seven assisted rules, several with unknown amounts) and Hunan 2026 (assisted rules,
   a late amount) on 1,000,000 households (about 3.5M members), against a plain NumPy kernel
   of the same resolved rules written for the benchmark (bench/population_baselines.py) and
   OpenFisca on a simplified formula (category amount by age, sex and student status).
2. End to end: ``premium-calc population FILE --out households.parquet --json`` on 1,000,000
   households from Parquet and from CSV, in a fresh process each (interpreter start
   included), with pyarrow's own read of the same file beside as the floor, and the peak
   memory of the process against the size of the file's columns in memory.

Run: python bench/population.py [--households N] [--no-openfisca] [--no-files]
OpenFisca runs in its own virtualenv (see bench/population_baselines.py); without it that
line says so.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from population_baselines import (
    CASES,
    make_columns,
    member_table,
    openfisca_households_per_second,
    plain_numpy_kernel,
)

from premium_calc.household.batch import MemberTable, price_batch
from premium_calc.ratebook.book import RateBook


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def kernels(households: int, openfisca: bool) -> None:
    book = RateBook(use_env=False)
    cols = make_columns(households)
    members = cols["household"].shape[0]
    print(f"1. pricing kernel, {households:,} households, {members:,} members, one core, best of 5")
    print(f"{'case':<14}{'engine':>14}{'engine+code':>14}{'plain NumPy':>14}{'plain/engine':>14}")
    engine_rates: list[float] = []
    fresh_rates: list[float] = []
    for case, (region, year) in CASES.items():
        schedule = book.schedule(region, year)
        table = member_table(cols, late=schedule.late is not None)
        names = ("household", "age", "sex", "student", "college", "employee", "disability", "groups", "late")
        table = MemberTable.from_arrays({name: getattr(table, name) for name in names})
        engine = best(lambda: price_batch(schedule, table))  # noqa: B023

        def fresh() -> object:
            t = MemberTable(**{n: getattr(table, n) for n in table.__dataclass_fields__})  # noqa: B023
            return price_batch(schedule, t)  # noqa: B023

        with_code = best(fresh)
        plain_cols = dict(cols)
        if schedule.late is None:
            plain_cols["late"] = np.zeros_like(cols["late"])
        plain = best(lambda: plain_numpy_kernel(case, plain_cols))  # noqa: B023
        same = np.array_equal(
            plain_numpy_kernel(case, plain_cols), price_batch(schedule, table).household_paid_fen
        )
        engine_rates.append(households / engine)
        fresh_rates.append(households / with_code)
        print(
            f"{case:<14}{households / engine / 1e6:>11.1f} M/s{households / with_code / 1e6:>11.1f} M/s"
            f"{households / plain / 1e6:>11.1f} M/s{engine / plain:>13.2f}x"
            + ("" if same else "   (results differ!)")
        )
    print("   engine: a prepared member table (its packed codes built once, as for every pricing of a")
    print("   population after the first); engine+code: a fresh table each time (codes built in the run)")
    if openfisca:
        calc_only = openfisca_households_per_second(households)
        built = openfisca_households_per_second(households, with_build=True)
        if calc_only is not None and built is not None:
            low, fresh = min(engine_rates), min(fresh_rates)
            print(
                f"   OpenFisca, simplified formula: {calc_only / 1e6:.1f} M households/s calculating a built"
            )
            print(f"   simulation (engine with the real rules / OpenFisca: {low / calc_only:.2f}x);")
            print(f"   {built / 1e6:.2f} M households/s building it from the arrays and calculating")
            print(f"   (engine from a fresh table, codes included / OpenFisca: {fresh / built:.1f}x)")


FLAGS = np.array(["", "", "", "", "", "", "student", "employee", "dibao", "tekun", "monitored", "disabled2"])


def write_files(households: int, folder: Path) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(5)
    sizes = rng.integers(1, 7, households)
    n = int(sizes.sum())
    first = np.zeros(n, dtype=bool)
    first[np.concatenate(([0], np.cumsum(sizes)[:-1]))] = True
    income = np.where(first, np.round(rng.lognormal(9.6, 0.8, n) * sizes.repeat(sizes), 2), np.nan)
    table = pa.table(
        {
            "household": np.repeat(np.arange(households, dtype=np.int64), sizes),
            "age": rng.integers(0, 91, n).astype(np.int16),
            "sex": rng.integers(1, 3, n).astype(np.int8),
            "flags": pa.array(FLAGS[rng.integers(0, FLAGS.shape[0], n)]),
            "income": pa.array(income, mask=~first),
        }
    )
    parquet, csv = folder / "population.parquet", folder / "population.csv"
    with pq.ParquetWriter(parquet, table.schema) as writer:  # row groups of ~1M rows, households inside
        starts = np.concatenate(([0], np.cumsum(sizes)))
        for lo in range(0, households, 300_000):
            a, b = int(starts[lo]), int(starts[min(lo + 300_000, households)])
            writer.write_table(table.slice(a, b - a))
    pcsv.write_csv(table, csv)
    return parquet, csv


def run_measured(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of a command in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(
            f"{' '.join(args)} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, usage.ru_maxrss / 1024


def files(households: int) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        parquet, csv = write_files(households, folder)
        print(f"\n2. end to end, {households:,} households, fresh process each (start-up included)")
        print(f"{'file':<9}{'MiB':>8}{'pyarrow read':>14}{'population':>12}{'ratio':>8}{'peak MiB':>10}"
              f"{'columns MiB':>13}{'peak/columns':>14}")  # fmt: skip
        for path, read in ((parquet, lambda p: pq.read_table(p)), (csv, lambda p: pcsv.read_csv(p))):
            table = read(path)
            columns_mib = table.nbytes / 2**20
            floor = best(lambda: read(path), repeat=3)  # noqa: B023
            out = folder / "households.parquet"
            command = [sys.executable, "-m", "premium_calc", "population", str(path), "-r", "cn/hunan",
                       "-y", "2026", "--out", str(out), "--json", "--quiet"]  # fmt: skip
            times = [run_measured(command) for _ in range(3)]
            seconds = min(t for t, _ in times)
            peak = max(m for _, m in times)
            print(
                f"{path.suffix[1:]:<9}{path.stat().st_size / 2**20:>8.0f}{floor:>12.2f} s{seconds:>10.2f} s"
                f"{seconds / floor:>7.1f}x{peak:>10.0f}{columns_mib:>13.0f}{peak / columns_mib:>13.1f}x"
            )
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import premium_calc.cli"], check=True)
        print(f"   start-up alone (python -c 'import premium_calc.cli'): {time.perf_counter() - start:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--no-openfisca", action="store_true")
    parser.add_argument("--no-files", action="store_true")
    args = parser.parse_args()
    kernels(args.households, not args.no_openfisca)
    if not args.no_files:
        files(args.households)


if __name__ == "__main__":
    main()
