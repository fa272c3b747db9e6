"""The options of every command, read from the command line itself (so docs cannot drift):

    python3 tools/options.py            # the generated part of docs/cli.md (Markdown)
    python3 tools/options.py --names    # one line per command: its options
    python3 tools/options.py --write    # put the generated part into docs/cli.md
    python3 tools/options.py --check    # exit 1 when docs/cli.md's generated part is stale

The generated part is the vocabulary (each option with its value name as ``--help`` shows it,
its meaning from :data:`MEANINGS` and the commands that have it), the option x command table
and the hidden aliases. ``docs/cli.md`` embeds it between ``<!-- options -->`` and
``<!-- /options -->``; ``tests/test_cli_docs.py`` fails when the two differ, or when an option
has no meaning here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
BEGIN, END = "<!-- options -->", "<!-- /options -->"

#: What each option means, the same in every command that has it (by its long name).
MEANINGS: dict[str, str] = {
    "--all": "every region with rates for the year",
    "--allow-outside": "write even where the file belongs to an installed package",
    "--batch-rows": "member rows read at a time",
    "--benefits": "the schema of benefit files instead of rate files",
    "--bump": "change a value of the copied year (`individual=+20`, `-5%`)",
    "--by": "key the rows by coverage year or notice year",
    "--by-region": "summarise each region and year as well as the whole",
    "--category": "the category (id or type: children, college, adult, elderly)",
    "--chain-income": "link the income series across the 2013 change of definition",
    "--column": "the file's header for a column (`age=年龄`)",
    "--confidence": "confidence of the source: high, medium, low",
    "--csv": "print CSV instead of the table (refused with `--json`)",
    "--dir": "the folder the web page is built into and served from",
    "--dpi": "resolution of a PNG chart",
    "--dry-run": "show what would change, write nothing",
    "--encoding": "the input file's encoding (default UTF-8, else GB18030)",
    "--engine": "`local` or `dask`",
    "--from": "first year (`history`); the year copied (`rates new-year`)",
    "--household": "a household file (TOML or JSON) instead of `--member`",
    "--households": "households of the model population",
    "--in-scope": "share of a hospital bill inside the catalogue",
    "--income": "the household's annual income in yuan (a range in `sweep`)",
    "--income-region": "take the income statistic of this region",
    "--income-stat": "the income statistic measured against when no `--income` is given",
    "--json": "print JSON, amounts as exact strings (refused with `--csv`)",
    "--lang": "language of output, messages and help: `zh` or `en`",
    "--late": "enrolling outside the collection window",
    "--level": "only provinces or only cities (with `--all`)",
    "--low-memory": "read the file twice instead of keeping it in memory",
    "--member": "one person: age or birth date, with flags; once per person",
    "--min-cell": "mark groups with fewer households in the data",
    "--no-chart": "no terminal chart under the table",
    "--on-error": "a row that cannot be read: `skip` it or `stop`",
    "--output": "write the result to this file instead of stdout",
    "--paid-in": "the year the money is paid (coverage year = it + 1)",
    "--port": "the port on localhost the web page is served on",
    "--pyodide-dir": "build the web page offline: a folder with the pinned Pyodide tarball",
    "--plot": "also draw a chart to FILE.png or FILE.svg",
    "--preset": "a shipped household (`rural-family-q1`, ...) instead of `--member`",
    "--quiet": "no progress bar",
    "--relative-to": "winners and losers by the change relative to the premium before or to income",
    "--solve": "the contribution parameter to make revenue-neutral (rate, floor, cap, scale, amount)",
    "--target": "with `--solve`: the total households should pay (yuan) instead of today's",
    "--elasticity": "an enrolment response scenario: the elasticity you assume, or a range `A..B`",
    "--quintiles": "fifths instead of tenths",
    "--rates-dir": "extra rate directory overlaying the bundled rates (repeatable)",
    "--region": "a region: id, name, any place in China or its code",
    "--rejects": "write the rows left out, with the reason, to this CSV file",
    "--seed": "random seed of the model population",
    "--setting": "rural, urban or all (model population)",
    "--size": "chart size WIDTHxHEIGHT in inches",
    "--skip": "members who drop out for a year",
    "--source": "URL of the notice the value comes from",
    "--source-title": "title of the source",
    "--stay": "a hospital stay: the bill and the hospital level",
    "--summary-csv": "print the summary (span and segments) as CSV",
    "--synthetic": "a model population of a province (or `cn`)",
    "--thresholds": "burden thresholds (`5%,10%`)",
    "--reform": "compare with a reform: a reform file or a shipped example's id (`reform list`)",
    "--set": "a quick reform `KEY=VALUE` as in `rates set` (`individual=300`, `subsidy=+100`); repeatable",
    "--tier": "an optional tier where the region has them (default: the cheapest)",
    "--to": "last coverage year",
    "--version": "the new data version (`rates release`)",
    "--wan": "amounts of 10,000 yuan or more in 万",
    "--wheel-dir": "build the web page offline: a folder with the pinned wheels",
    "--year": "the coverage year (default: the one in force today); the new year (`rates new-year`)",
    "--years": "coverage years: a year or a range",
}


def commands() -> Iterator[tuple[str, Any]]:
    """(``"calc"``, click command), ``("rates set", ...)``, ... in the order of ``--help``."""
    import typer.main

    from premium_calc.cli import app

    root = typer.main.get_command(app)

    def walk(group: Any, prefix: str) -> Iterator[tuple[str, Any]]:
        for name in group.list_commands(None):  # type: ignore[arg-type]
            command = group.get_command(None, name)
            path = f"{prefix}{name}"
            if hasattr(command, "list_commands"):
                yield from walk(command, f"{path} ")
            else:
                yield path, command

    yield from walk(root, "")


def _options(command: Any, *, hidden: bool = False) -> list[Any]:
    return [
        p
        for p in command.params
        if p.param_type_name == "option" and p.name != "help" and bool(getattr(p, "hidden", False)) == hidden
    ]


def _written(param: Any) -> str:
    opts = "/".join(sorted(param.opts, key=len))
    if param.secondary_opts:
        opts += " / " + "/".join(param.secondary_opts)
    return opts


def option_names(command: Any) -> list[str]:
    """The options of a command as written (``-r/--region``), help and hidden aliases excluded."""
    return [_written(p) for p in _options(command)]


def long_name(param: Any) -> str:
    return max(param.opts, key=len)


def value_name(param: Any) -> str:
    """The value name ``--help`` shows (``PLACE``), empty for a flag."""
    from premium_calc.cli.helpformat import metavar_of

    return "" if param.is_flag or param.count else metavar_of(param)


def _sort_key(opt: str) -> str:
    return opt.split(" / ")[0].split("/")[-1].lstrip("-")


def _code(text: str) -> str:
    """A code span in a Markdown table cell (a ``|`` escaped)."""
    return "`" + text.replace("|", "\\|") + "`"


def vocabulary() -> str:
    """Each option: as written, its value name, its meaning, the commands that have it."""
    seen: dict[str, dict[str, Any]] = {}
    for name, command in commands():
        for param in _options(command):
            entry = seen.setdefault(_written(param), {"values": [], "commands": [], "long": long_name(param)})
            value = value_name(param)
            if value and value not in entry["values"]:
                entry["values"].append(value)
            entry["commands"].append(name)
    lines = ["| option | value | meaning | commands |", "|---|---|---|---|"]
    for opt in sorted(seen, key=_sort_key):
        entry = seen[opt]
        values = ", ".join(_code(v) for v in entry["values"])
        meaning = MEANINGS.get(entry["long"], "**(no meaning in tools/options.py)**")
        where = ", ".join(entry["commands"])
        lines.append(f"| `{opt}` | {values} | {meaning} | {where} |")
    return "\n".join(lines)


def table() -> str:
    """Option x command: which command has which option."""
    rows: dict[str, dict[str, bool]] = {}
    names = [name for name, _ in commands()]
    for name, command in commands():
        for opt in option_names(command):
            rows.setdefault(opt, {})[name] = True
    head = "| option | " + " | ".join(f"`{n}`" for n in names) + " |"
    lines = [head, "|---|" + "---|" * len(names)]
    for opt in sorted(rows, key=_sort_key):
        cells = " | ".join("✓" if rows[opt].get(n) else "" for n in names)
        lines.append(f"| `{opt}` | {cells} |")
    return "\n".join(lines)


def aliases() -> str:
    """Hidden options (old names still read), one line each."""
    lines = []
    for name, command in commands():
        for param in _options(command, hidden=True):
            lines.append(f"* `{name} {_written(param)}`: hidden, the old name of " + _old_of(command, param))
    return "\n".join(lines) if lines else "* none"


def _old_of(command: Any, param: Any) -> str:
    """The visible option a hidden alias stands for: the one whose long name starts like it."""
    old = long_name(param)
    for other in _options(command):
        if long_name(other).startswith(old):
            return f"`{_written(other)}`"
    return "an option of the same meaning"


def missing_meanings() -> list[str]:
    """Long names of visible options that :data:`MEANINGS` does not explain."""
    return sorted({long_name(p) for _, c in commands() for p in _options(c)} - set(MEANINGS))


def generated() -> str:
    """What goes between the markers of docs/cli.md."""
    return "\n\n".join(
        [
            "<!-- generated by python3 tools/options.py --write; do not edit by hand -->",
            "#### Every option",
            vocabulary(),
            "#### Option x command",
            table(),
            "#### Hidden aliases",
            aliases(),
        ]
    )


def regenerate(text: str) -> str:
    """``text`` (docs/cli.md) with its generated part replaced by :func:`generated`."""
    head, sep, rest = text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"{DOC}: no {BEGIN} ... {END} markers")
    return f"{head}{BEGIN}\n{generated()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    if argv == ["--names"]:
        for name, command in commands():
            print(f"{name}: {' '.join(option_names(command))}")
        return 0
    if argv in (["--write"], ["--check"]):
        text = DOC.read_text(encoding="utf-8")
        new = regenerate(text)
        if argv == ["--check"]:
            if new != text:
                print(f"{DOC} is stale: run python3 tools/options.py --write", file=sys.stderr)
                return 1
            return 0
        DOC.write_text(new, encoding="utf-8")
        return 0
    print(generated())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
