"""CLI start-up latency: median wall time of one `premium-calc calc` against importing the
required stack (`python -c "import typer, pydantic, rich"`), and their ratio.

Run: python bench/cli_latency.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

CALC = [
    "calc", "--region", "毕节", "--year", "2025",
    "--member", "45", "--member", "42:female", "--member", "12:student", "--member", "70",
    "--income", "14000",
]


def median_seconds(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, capture_output=True)  # warm the OS file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    script = shutil.which("premium-calc")
    calc_cmd = [script, *CALC] if script else [sys.executable, "-m", "premium_calc", *CALC]
    base_cmd = [sys.executable, "-c", "import typer, pydantic, rich"]
    base = median_seconds(base_cmd, args.runs)
    calc = median_seconds(calc_cmd, args.runs)
    print(f"import typer, pydantic, rich : {base * 1000:7.1f} ms (median of {args.runs})")
    print(f"premium-calc calc (Bijie)    : {calc * 1000:7.1f} ms (median of {args.runs})")
    print(f"ratio                        : {calc / base:7.2f}  (aim <= 1.25)")


if __name__ == "__main__":
    main()
