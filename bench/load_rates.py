"""Time to load and validate every shipped rate file.

    python bench/load_rates.py [--runs N]

Each run starts from a fresh :class:`~premium_calc.ratebook.RateBook` (nothing cached):
it reads, parses and schema-checks every rate file, resolves every region and year, and
runs every rule of :func:`premium_calc.upkeep.validate.validate`. Prints the median of N runs
(aim: < 50 ms), the file count, and where the time goes (TOML parsing, schema, checks).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.model import RateFile
from premium_calc.ratefiles.reading import bundled_rates_dir
from premium_calc.upkeep.problems import errors
from premium_calc.upkeep.validate import validate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

AIM_MS = 50.0


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="number of timed runs (default 15)")
    args = parser.parse_args()

    files = [
        p for p in sorted(bundled_rates_dir().rglob("*.toml"))
        if p.relative_to(bundled_rates_dir()).parts[0] != "stats"
    ]  # fmt: skip
    texts = [p.read_text(encoding="utf-8") for p in files]
    size = sum(len(t.encode("utf-8")) for t in texts)

    validate(RateBook(use_env=False))  # warm up imports and pydantic
    total: list[float] = []
    parse: list[float] = []
    schema: list[float] = []
    problems = []
    for _ in range(args.runs):
        start = time.perf_counter()
        problems = validate(RateBook(use_env=False))
        total.append(time.perf_counter() - start)

        start = time.perf_counter()
        data = [tomllib.loads(t, parse_float=Decimal) for t in texts]
        parse.append(time.perf_counter() - start)
        start = time.perf_counter()
        for d in data:
            RateFile.model_validate(d)
        schema.append(time.perf_counter() - start)

    whole = _median_ms(total)
    toml_ms = _median_ms(parse)
    schema_ms = _median_ms(schema)
    verdict = "within" if whole < AIM_MS else "over"
    print(
        f"load + validate {len(files)} rate files ({size / 1024:.0f} KiB):"
        f" {whole:.1f} ms (median of {args.runs} runs; aim < {AIM_MS:.0f} ms: {verdict})"
    )
    print(
        f"  of which TOML parsing {toml_ms:.1f} ms, schema {schema_ms:.1f} ms,"
        f" resolving and rules {max(whole - toml_ms - schema_ms, 0):.1f} ms"
    )
    print(f"  problems: {len(errors(problems))} errors, {len(problems) - len(errors(problems))} warnings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
