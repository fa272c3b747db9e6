"""Regenerate the parts of the docs that come from the data (data version, coverage table,
counts), so they cannot go stale: ``python3 tools/docs_data.py`` rewrites them in place,
``--check`` exits 1 (and says which file) when they differ from the data.

A generated part sits between ``<!-- data:NAME -->`` and ``<!-- /data:NAME -->``; the text
outside the markers is left as it is.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "data.md", ROOT / "README.md")


def _span(years: Sequence[int]) -> str:
    """``[2004, 2005, 2006, 2027]`` -> ``2004-2006, 2027``."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def coverage_part() -> str:
    """The coverage table of 2024-2026 and its counts, as Markdown."""
    from premium_calc import RateBook, data_version
    from premium_calc.analyses.coverage import coverage

    book = RateBook(use_env=False)
    cov = coverage(book, range(2024, 2027))
    wide = coverage(book, range(2004, 2028))
    lines = [
        f"Rate data {data_version()} (`premium-calc rates coverage` prints this table; this part of the",
        "file is generated from the data by `python3 tools/docs_data.py`).",
        "",
        "| region | id | " + " | ".join(map(str, cov.years)) + " | other years |",
        "|---|---|" + "---|" * len(cov.years) + "---|",
    ]
    for row in cov.rows:
        name = "&nbsp;&nbsp;" * row.depth + f"{row.name.en} {row.name.zh}"
        cells = []
        for c in row.cells:
            if not c.exists:
                cells.append("·")
                continue
            conf = c.confidence or "?"
            cells.append(conf + ("†" if conf == "low" else "") + (" *" if c.inherits else ""))
        lines.append(f"| {name} | `{row.region}` | " + " | ".join(cells) + f" | {_span(row.other_years)} |")
    n = cov.counts
    by_year = ", ".join(f"{y}: {n.by_year.get(y, 0)}" for y in cov.years)
    conf = n.by_confidence
    lines += [
        "",
        f"Counts: {n.regions} regions x {n.years} years = {n.regions * n.years} cells, {n.entries} entries"
        f" ({by_year}) and {n.missing} missing; {conf.get('high', 0)} high, {conf.get('medium', 0)} medium,"
        f" {conf.get('low', 0)} low; {n.inherits} only inherit."
        f" Over 2004-2027: {wide.counts.entries} entries.",
    ]
    return "\n".join(lines)


def version_part() -> str:
    from premium_calc import data_version

    return f"`{data_version()}`"


PARTS: dict[str, Callable[[], str]] = {"coverage": coverage_part, "data-version": version_part}


def regenerate(text: str) -> str:
    """``text`` with every generated part replaced by what the data gives now."""

    def fill(m: re.Match[str]) -> str:
        name = m["name"]
        if name not in PARTS:
            raise SystemExit(f"unknown generated part {name!r}")
        body = PARTS[name]()
        inline = "\n" not in m["body"]
        sep = "" if inline else "\n"
        return f"<!-- data:{name} -->{sep}{body}{sep}<!-- /data:{name} -->"

    pattern = re.compile(r"<!-- data:(?P<name>[a-z-]+) -->(?P<body>.*?)<!-- /data:(?P=name) -->", re.S)
    return pattern.sub(fill, text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated part is stale")
    args = parser.parse_args(argv)
    stale = []
    for path in DOCS:
        old = path.read_text(encoding="utf-8")
        new = regenerate(old)
        if new == old:
            continue
        if args.check:
            stale.append(path)
        else:
            path.write_text(new, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    for path in stale:
        shown = path.relative_to(ROOT)
        print(f"{shown}: generated parts are stale; run python3 tools/docs_data.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
