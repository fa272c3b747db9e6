"""Start-up and loading costs (issue 18): printed, never asserted.

    python bench/startup.py [--runs N] [--skip-cli] [--counties N] [--before DIR] [--bytecode cached|off]

* ``calc`` as a fresh process against an empty typer app with the same options (and that app
  printing calc's output with rich: the framework floor of a text answer) and against
  ``python -c "import typer, pydantic, rich"``: runs alternate (one of each per round), medians
  of wall and CPU time (user + sys of the child), ratios; with a warm rate cache, a cold one
  (emptied before every run) and none (``PREMIUM_CALC_NO_CACHE=1``); ``--before DIR``: the
  ``calc`` of another checkout (the code before a change) in the same rounds. Bytecode is
  cached for the children (``--bytecode off``: compiled at every start, as with
  ``PYTHONDONTWRITEBYTECODE=1``, which penalises this checkout only: installed packages have
  their ``.pyc``);
* load + validate of every shipped rate file (``rates validate``'s path, never cached);
* region lookup with a generated tree of ``--counties`` county files (3,000) in a temp dir:
  the first book (builds the cache), a new book with a warm cache, and without a cache;
* ``assess()`` per household with and without an income (the statistic is then looked up).

Aims: calc within 1.15x of the empty typer app (warm cache); load + validate < 50 ms; lookup
with 3,000 files < 20 ms warm; assess() <= 50 us per household. The machine may be shared:
read medians, not single runs. In-process figures are CPU time of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CALC = [
    "calc", "--region", "毕节", "--year", "2025",
    "--member", "45", "--member", "42:female", "--member", "12:student", "--member", "70",
    "--income", "14000",
]  # fmt: skip

#: An app with calc's options (the 18 of ``calc --help`` but -h) and nothing behind them: what
#: typer alone costs.
EMPTY_APP = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
@app.command()
def calc(
    region: Annotated[str | None, typer.Option("--region", "-r")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y")] = None,
    paid_in: Annotated[int | None, typer.Option("--paid-in")] = None,
    member: Annotated[list[str] | None, typer.Option("--member", "-m")] = None,
    household: Annotated[Path | None, typer.Option("--household")] = None,
    income: Annotated[str | None, typer.Option("--income", "-i")] = None,
    preset: Annotated[str | None, typer.Option("--preset", "-p")] = None,
    tier: Annotated[str | None, typer.Option("--tier")] = None,
    late: Annotated[bool, typer.Option("--late")] = False,
    statistic: Annotated[str, typer.Option("--income-stat")] = "rural",
    thresholds: Annotated[str | None, typer.Option("--thresholds")] = None,
    lang: Annotated[str, typer.Option("--lang")] = "en",
    wan: Annotated[bool, typer.Option("--wan")] = False,
    json_out: Annotated[bool, typer.Option("--json")] = False,
    csv_out: Annotated[bool, typer.Option("--csv")] = False,
    rates_dir: Annotated[list[Path] | None, typer.Option("--rates-dir")] = None,
    reform: Annotated[str | None, typer.Option("--reform")] = None,
    sets: Annotated[list[str] | None, typer.Option("--set")] = None,
) -> None:
    pass
@app.command()
def other() -> None:
    pass
app()
"""


#: The empty app's calc printing what ``premium-calc calc`` prints, with rich and no project
#: code: a table of the same columns and rows (the Bijie family) and calc's other lines, read
#: from the file ``PC_BENCH_LINES`` (captured from calc): what typer and rich alone cost.
RICH_BODY = """
    import os
    from rich.console import Console
    from rich.table import Table
    out = Console(highlight=False, soft_wrap=False, markup=False, emoji=False)
    with open(os.environ["PC_BENCH_LINES"], encoding="utf-8") as lines:
        text = lines.read().splitlines()
    table = Table()
    for column in ("#", "member", "category", "gross", "assistance", "paid", "gov. subsidy"):
        table.add_column(column, justify="left" if column in ("member", "category") else "right")
    rows = [("1", "45", "residents", "400\u2020", "0", "400\u2020", "670"),
            ("2", "42:female", "residents", "400\u2020", "0", "400\u2020", "670"),
            ("3", "12:student", "students", "400\u2020", "0", "400\u2020", "670"),
            ("4", "70", "residents", "400\u2020", "0", "400\u2020", "670")]
    for row in rows:
        table.add_row(*row)
    table.add_row("", "total", "", "1,600", "0", "1,600", "2,680")
    for line in text[:4]:
        out.print(line)
    out.print(table)
    for line in text[4:]:
        out.print(line)
"""
RICH_APP = EMPTY_APP.replace(
    "-> None:\n    pass\n@app.command()", "-> None:" + RICH_BODY + "@app.command()", 1
)
assert RICH_APP != EMPTY_APP


def calc_lines(env: dict[str, str], cwd: Path) -> str:
    """calc's output without its table (the lines the rich-only app prints around its own)."""
    done = subprocess.run(
        [sys.executable, "-m", "premium_calc", *CALC], check=True, capture_output=True, env=env, cwd=cwd
    )
    text = done.stdout.decode("utf-8").splitlines()
    return "\n".join(line for line in text if not line.startswith(tuple("┏┃┡│├└"))) + "\n"


#: Where one calc's CPU time goes, phase by phase, in a fresh process (warm cache).
BREAKDOWN = """
import io, json, time
clock = time.process_time
marks = [("start", clock())]
import importlib
for name in FLOOR:  # every module the empty typer app ends with (typer, its adapters, pydantic)
    try:
        importlib.import_module(name)
    except Exception:
        pass
import typer
marks.append(("import what the empty typer app imports (the floor)", clock()))
import premium_calc.cli as cli
app = cli.load(cli.needed(ARGV))  # as main() does: only the module of the command given
marks.append(("import calc's command module (lazy: calc, regions)", clock()))
command = typer.main.get_command(app)
marks.append(("typer builds the commands imported (click, adapters)", clock()))
from premium_calc.household.burden import assess
from premium_calc.household.parsing import build_household
from premium_calc.ratebook.book import RateBook
marks.append(("import models, household, rate book", clock()))
from rich.console import Console
from premium_calc.render.assessment import assessment_table
marks.append(("import rich and the renderer", clock()))
book = RateBook()
household = build_household(["45", "42:female", "12:student", "70"], "14000")
result = assess(book, "毕节", 2025, household)
marks.append(("household, rate book (cache), assess", clock()))
Console(file=io.StringIO(), width=100).print(assessment_table(result, "en"))
marks.append(("render the table", clock()))
print(json.dumps([(name, (t - marks[i][1]) * 1000) for i, (name, t) in enumerate(marks[1:])]))
"""


#: Appended to the empty app: the modules it ends with, on stderr.
_MODULES = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
"""


def floor_modules(script: Path, env: dict[str, str], cwd: Path) -> list[str]:
    """The modules the empty typer app has imported when it exits (but ``__main__``)."""
    import json

    code = _MODULES + script.read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", code, "calc", *CALC[1:]], check=True, capture_output=True, env=env, cwd=cwd
    )
    names: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return [n for n in names if n != "__main__"]


def breakdown(runs: int, env: dict[str, str], cwd: Path, floor: list[str]) -> None:
    import json

    samples: dict[str, list[float]] = {}
    code = f"ARGV = {CALC!r}\nFLOOR = {floor!r}\n{BREAKDOWN}"
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env, cwd=cwd)
        for name, ms in json.loads(out.stdout):
            samples.setdefault(name, []).append(ms)
    print(f"  where calc's CPU goes (in-process phases, medians of {runs} fresh processes, warm cache):")
    for name, values in samples.items():
        print(f"    {name:55} {statistics.median(values):7.1f} ms")


def run_once(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, check=False, capture_output=True, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {done.returncode}\n{done.stderr.decode(errors='replace')}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def cli(runs: int, before: Path | None = None, bytecode: str = "cached") -> None:
    work = Path(tempfile.mkdtemp(prefix="pc-bench-"))
    try:
        script = work / "empty_app.py"
        script.write_text(EMPTY_APP, encoding="utf-8")
        rich_script = work / "rich_app.py"
        rich_script.write_text(RICH_APP, encoding="utf-8")
        warm_dir, cold_dir = work / "warm-cache", work / "cold-cache"
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("PREMIUM_CALC_")}
        base_env["LANG"] = "C.UTF-8"
        if bytecode == "cached":  # as installed: every module's bytecode compiled once
            base_env.pop("PYTHONDONTWRITEBYTECODE", None)
            base_env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        else:  # every module of the checkout compiled at each start (installed ones have .pyc)
            base_env["PYTHONDONTWRITEBYTECODE"] = "1"
        # The package of this checkout, whatever the current directory (children run in a
        # temp dir: ``python -m`` puts the current directory first on sys.path).
        base_env["PYTHONPATH"] = str(ROOT)
        warm_env = {**base_env, "PREMIUM_CALC_CACHE_DIR": str(warm_dir)}
        cold_env = {**base_env, "PREMIUM_CALC_CACHE_DIR": str(cold_dir)}
        none_env = {**base_env, "PREMIUM_CALC_NO_CACHE": "1"}
        calc = [sys.executable, "-m", "premium_calc", *CALC]
        lines = work / "calc_lines.txt"
        lines.write_text(calc_lines(warm_env, work), encoding="utf-8")
        rich_env = {**base_env, "PC_BENCH_LINES": str(lines)}
        rich_cmd = [sys.executable, str(rich_script), "calc", *CALC[1:]]
        stack_cmd = [sys.executable, "-c", "import typer, pydantic, rich"]
        empty_cmd = [sys.executable, str(script), "calc", *CALC[1:]]
        cases: list[tuple[str, list[str], dict[str, str], Callable[[], None] | None]] = [
            ('python -c "import typer, pydantic, rich"', stack_cmd, base_env, None),
            ("empty typer app, calc's options", empty_cmd, base_env, None),
            ("  + rich printing calc's output", rich_cmd, rich_env, None),
            ("premium-calc calc, warm cache", calc, warm_env, None),
            ("premium-calc calc, cold cache", calc, cold_env, lambda: shutil.rmtree(cold_dir, True)),
            ("premium-calc calc, no cache", calc, none_env, None),
        ]
        json_calc = [*calc, "--json"]
        cases.append(("premium-calc calc --json, warm cache", json_calc, warm_env, None))
        if before is not None:  # another tree (the code before a change), run in the same rounds
            other_env = {**warm_env, "PYTHONPATH": str(before.resolve())}
            cases.append((f"calc of {before.name}/, warm cache", calc, other_env, None))
            cases.append((f"calc --json of {before.name}/, warm", json_calc, other_env, None))
        for _, cmd, env, _ in cases:  # warm the OS file cache and the warm rate cache
            subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=work)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in cases}
        for _ in range(runs):  # alternate: one run of each per round
            for name, cmd, env, prepare in cases:
                if prepare is not None:
                    prepare()
                samples[name].append(run_once(cmd, env, work))
        wall = {k: statistics.median(w for w, _ in v) * 1000 for k, v in samples.items()}
        cpu = {k: statistics.median(c for _, c in v) * 1000 for k, v in samples.items()}
        stack, empty = cases[0][0], cases[1][0]
        print(
            f"command line ({runs} alternating rounds, medians; {os.cpu_count()} cores, maybe shared;"
            f" bytecode {bytecode})"
        )
        print(f"  {'':40} {'wall ms':>8} {'cpu ms':>8} {'cpu/stack':>10} {'cpu/empty app':>14}")
        for name, *_ in cases:
            print(
                f"  {name:40} {wall[name]:8.1f} {cpu[name]:8.1f} {cpu[name] / cpu[stack]:10.2f}"
                f" {cpu[name] / cpu[empty]:14.2f}"
            )
        print("  aim: calc (warm cache) <= 1.15x the empty typer app")
        print(
            f"  calc (warm cache) / the empty app with rich printing calc's output:"
            f" {cpu[cases[3][0]] / cpu[cases[2][0]]:.2f}x (what the project adds to typer and rich)"
        )
        breakdown(max(5, runs // 2), warm_env, work, floor_modules(script, base_env, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def median_us(func: Callable[[], Any], runs: int, inner: int = 1) -> float:
    """The median CPU time (this process's, so less disturbed by a shared machine) of a call."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        for _ in range(inner):
            func()
        times.append((time.process_time() - start) / inner)
    return statistics.median(times) * 1e6


def book_of(*dirs: Path, cache: bool | None = None, **kw: Any) -> Any:
    """A RateBook; ``cache`` only where the book has the option (the code before the cache)."""
    from premium_calc.ratebook.book import RateBook

    try:
        return RateBook(list(dirs), use_env=False, cache=cache, **kw)
    except TypeError:
        return RateBook(list(dirs), use_env=False, **kw)


def parse_and_schema() -> dict[str, int]:
    """Every shipped TOML file read, parsed and validated against its schema (what loading it
    without the cache costs), no cross-file rule: the number of files of each kind."""
    from premium_calc.analyses.population.synthetic import load_parameters
    from premium_calc.ratebook.benefits import load_benefit_file
    from premium_calc.ratefiles.enrollment_model import EnrollmentFile
    from premium_calc.ratefiles.income_model import IncomeFile
    from premium_calc.ratefiles.reading import bundled_rates_dir, load_rate_file, read_toml

    root = bundled_rates_dir()
    kinds = {"rate": 0, "statistics": 0, "benefit": 0, "enrollment": 0, "population model": 0}
    for path in sorted(root.rglob("*.toml")):
        parts = path.relative_to(root).parts
        if parts[0] == "benefits":
            load_benefit_file(path, "/".join(parts[1:])[: -len(".toml")])
            kinds["benefit"] += 1
        elif parts[0] == "stats" and parts[1] == "enrollment":
            EnrollmentFile.model_validate(read_toml(path))
            kinds["enrollment"] += 1
        elif parts[0] == "stats" and parts[1] == "model":
            load_parameters(path)
            kinds["population model"] += 1
        elif parts[0] == "stats":
            IncomeFile.model_validate(read_toml(path))
            kinds["statistics"] += 1
        else:
            load_rate_file(path)
            kinds["rate"] += 1
    return kinds


def load_validate(runs: int) -> None:
    from premium_calc.upkeep.validate import validate

    validate(book_of(cache=False))  # imports, schemas
    kinds = parse_and_schema()
    parsed = median_us(parse_and_schema, runs) / 1000
    whole = median_us(lambda: validate(book_of(cache=False)), runs) / 1000
    load = median_us(lambda: list(book_of(cache=False).regions()), runs) / 1000
    warm = book_of(cache=True)
    list(warm.regions())
    cached = median_us(lambda: list(book_of(cache=True).regions()), runs) / 1000
    count = len(warm.region_ids())
    print(f"rate files ({count} files, medians of {runs})")
    shipped = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    print(f"  parse + schema of every shipped file       : {parsed:7.1f} ms  (aim < 50 ms; {shipped})")
    print(f"  rates validate (+ every region-year resolved, every rule, no cache): {whole:7.1f} ms")
    print(f"  load every file, parse + schema, no cache  : {load:7.1f} ms")
    print(f"  load every file from a warm cache          : {cached:7.1f} ms")


def write_counties(root: Path, count: int) -> None:
    for i in range(count):
        folder = root / "cn" / "guizhou" / f"g{i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"x{i:04d}.toml").write_text(
            f"# generated county {i}\n[region]\n"
            f'name = {{ zh = "测试{i:04d}县", en = "Testcounty {i:04d}" }}\n'
            f'parent = "cn/guizhou/bijie"\nlevel = "county"\ncode = "9{i:05d}"\n'
            f'aliases = ["测试{i:04d}"]\n\n[[year]]\ncoverage = 2025\npolicy = 2024\n'
            f'source = {{ title = "generated", confidence = "low" }}\n',
            encoding="utf-8",
        )
    # Files edited a minute ago, not this instant: the cache hashes a file again at every use
    # while it is younger than its racy window (2 s), which is not the warm case measured.
    past = time.time() - 60
    for path in root.rglob("*.toml"):
        os.utime(path, (past, past))


def lookup(runs: int, counties: int) -> None:
    with tempfile.TemporaryDirectory(prefix="pc-counties-") as tmp:
        tree, cache = Path(tmp) / "rates", Path(tmp) / "cache"
        write_counties(tree, counties)
        old = os.environ.get("PREMIUM_CALC_CACHE_DIR")
        os.environ["PREMIUM_CALC_CACHE_DIR"] = str(cache)
        try:
            query = f"测试{counties // 2:04d}县"

            def one(use_cache: bool) -> None:
                book_of(tree, cache=use_cache).standard(query, 2025)

            cold_runs = max(3, runs // 5)

            def cold() -> None:
                shutil.rmtree(cache, ignore_errors=True)
                one(True)

            one(False)
            first = median_us(cold, cold_runs) / 1000
            one(True)
            warm = median_us(lambda: one(True), runs) / 1000
            none = median_us(lambda: one(False), cold_runs) / 1000
        finally:
            if old is None:
                os.environ.pop("PREMIUM_CALC_CACHE_DIR", None)
            else:
                os.environ["PREMIUM_CALC_CACHE_DIR"] = old
    print(f"region lookup + standard() with {counties} generated county files (new book each run)")
    print(f"  cold cache (first book builds it) : {first:8.1f} ms  (median of {cold_runs})")
    print(f"  warm cache                        : {warm:8.1f} ms  (median of {runs}; aim < 20 ms)")
    print(f"  no cache                          : {none:8.1f} ms  (median of {cold_runs})")


def households(runs: int) -> None:
    from premium_calc.household.burden import assess
    from premium_calc.household.parsing import build_household

    book = book_of()
    with_income = build_household(["45", "42:female", "12:student", "70"], "14000")
    without = build_household(["45", "42:female", "12:student", "70"], None)
    for hh in (with_income, without):
        assess(book, "毕节", 2025, hh)
    a = median_us(lambda: assess(book, "毕节", 2025, with_income), runs, 200)
    b = median_us(lambda: assess(book, "毕节", 2025, without), runs, 200)
    print(f"assess() per household, 4 members, Bijie 2025 (median of {runs} x 200)")
    print(f"  with income    : {a:7.1f} us  (aim <= 50 us)")
    print(f"  without income : {b:7.1f} us  (aim <= 50 us)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--counties", type=int, default=3000)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument(
        "--before", type=Path, help="a copy of the package before a change: its calc runs in the same rounds"
    )
    parser.add_argument(
        "--bytecode",
        choices=("cached", "off"),
        default="cached",
        help="cached (default): the children keep compiled bytecode in a temp folder, as an installed"
        " package has it; off: PYTHONDONTWRITEBYTECODE=1, this checkout compiled at every start",
    )
    args = parser.parse_args()
    if not args.skip_cli:
        cli(args.runs, args.before, args.bytecode)
    with tempfile.TemporaryDirectory(prefix="pc-bench-cache-") as cache:
        os.environ["PREMIUM_CALC_CACHE_DIR"] = cache
        load_validate(max(5, args.runs // 2))
        lookup(args.runs, args.counties)
        households(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
