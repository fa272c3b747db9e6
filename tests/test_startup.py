"""Start-up (issue 18): the lazy command table of premium_calc.cli, and what a calculation
imports. No timings here (bench/startup.py prints them)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import premium_calc.cli as cli
from premium_calc.cli._common import rates_app

ROOT = Path(__file__).resolve().parent.parent
CLI_DIR = ROOT / "premium_calc" / "cli"


def _name(info: object) -> str:
    name = getattr(info, "name", None)
    if name:
        return str(name)
    return str(info.callback.__name__).lower().replace("_", "-")  # type: ignore[attr-defined]


def _registered() -> dict[str, str]:
    """Every registered command (``rates x`` for a rates subcommand) -> its module's name."""
    app = cli.load_all()
    out: dict[str, str] = {}
    for info in app.registered_commands:
        out[_name(info)] = info.callback.__module__.rsplit(".", 1)[-1]  # type: ignore[union-attr]
    for group in app.registered_groups:
        if _name(group) not in cli.GROUPS:
            out[_name(group)] = "?"  # a group of a command module: named in the table
    for info in rates_app.registered_commands:
        out[f"rates {_name(info)}"] = info.callback.__module__.rsplit(".", 1)[-1]  # type: ignore[union-attr]
    return out


def test_the_table_and_the_registered_commands_agree() -> None:
    existing = {name: module for name, module in cli.COMMANDS.items() if (CLI_DIR / f"{module}.py").exists()}
    registered = _registered()
    assert set(registered) == set(existing)
    for name, module in registered.items():
        if module != "?":
            assert existing[name] == module, name  # the module that defines the command


def test_every_module_that_registers_a_command_is_in_the_table() -> None:
    """A new command module needs its line in COMMANDS (not an import in cli/__init__.py)."""
    registers = re.compile(r"@(app|rates_app)\.command\(|\bapp\.add_typer\(")
    sources = {p.stem: p.read_text("utf-8") for p in CLI_DIR.glob("*.py") if p.stem != "_common"}
    modules = {name for name, text in sources.items() if registers.search(text)}
    assert modules <= set(cli.COMMANDS.values())
    init = (CLI_DIR / "__init__.py").read_text("utf-8")
    assert not re.search(r"^from \. import (?!_common)", init, re.M), "commands are imported lazily"


def test_the_app_has_every_command_in_the_order_of_the_table() -> None:
    from premium_calc.cli import app

    names = [_name(i) for i in app.registered_commands]
    top = [n for n in cli.COMMANDS if " " not in n and n in names]
    assert names == top
    assert _name(app.registered_groups[0]) == "rates"
    subs = [_name(i) for i in rates_app.registered_commands]
    assert subs == [n.split(" ", 1)[1] for n in cli.COMMANDS if n.startswith("rates ")]
    assert {"calc", "regions", "batch", "worth", "sweep", "history", "compare", "population"} <= set(names)


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["calc", "--region", "毕节"], ["calc"]),
        (["--lang", "zh", "calc", "-h"], ["calc"]),
        (["--lang=en", "regions"], ["calc"]),
        (["worth", "--member", "45"], ["worth"]),
        (["rates", "set", "cn/hunan", "2026", "subsidy", "-5"], ["rates"]),
        (["rates", "coverage"], ["coverage"]),
        (["rates", "new-region", "x"], ["rates_region"]),
    ],
)
def test_a_command_line_needs_the_module_of_its_command(argv: list[str], modules: list[str]) -> None:
    assert cli.needed(argv, {}) == modules


@pytest.mark.parametrize(
    "argv",
    [
        [], ["--help"], ["-h"], ["--version"], ["--lang", "zh"], ["--lang", "zh", "--help"], ["calk"],
        ["--", "calc"],
    ],
)
def test_help_version_and_unknown_names_import_every_command(argv: list[str]) -> None:
    assert cli.needed(argv, {}) == cli.modules()


def test_the_rates_group_alone_imports_its_modules() -> None:
    of_rates = {module for name, module in cli.COMMANDS.items() if name.startswith("rates ")}
    rates = [m for m in cli.modules() if m in of_rates]
    assert cli.needed(["rates"], {}) == rates
    assert cli.needed(["rates", "--help"], {}) == rates
    assert cli.needed(["rates", "nonsense"], {}) == rates


def test_shell_completion_imports_every_command() -> None:
    env = {"_PREMIUM_CALC_COMPLETE": "complete_bash"}
    assert cli.needed(["calc"], env) == cli.modules()


def _child(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PREMIUM_CALC_", "_"))}
    environ.update(PYTHONPATH=str(ROOT), LANG="C.UTF-8", **env)
    command = [sys.executable, "-c", code]
    return subprocess.run(command, capture_output=True, text=True, env=environ, check=False)


#: Run main() with a command line; print the command modules imported (to stderr).
_MAIN = """
import sys
sys.argv = ["premium-calc", *{argv!r}]
from premium_calc.cli import main
try:
    main()
except SystemExit:
    pass
loaded = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("premium_calc.cli."))
heavy = sorted(m for m in ("rich", "numpy", "matplotlib", "pyarrow") if m in sys.modules)
print(json.dumps([loaded, heavy]), file=sys.stderr)
"""


def _main_imports(argv: list[str], tmp_path: Path) -> tuple[set[str], set[str]]:
    done = _child("import json\n" + _MAIN.format(argv=argv), PREMIUM_CALC_CACHE_DIR=str(tmp_path))
    loaded, heavy = json.loads(done.stderr.strip().splitlines()[-1])
    return set(loaded), set(heavy)


def test_calc_imports_only_its_command_module(tmp_path: Path) -> None:
    argv = ["calc", "--region", "毕节", "--year", "2025", "--member", "45", "--income", "14000", "--json"]
    loaded, heavy = _main_imports(argv, tmp_path)
    commands = set(cli.COMMANDS.values())
    assert loaded & commands == {"calc"}
    assert heavy == set()  # --json: no rich, no numpy


def test_top_level_help_imports_every_command(tmp_path: Path) -> None:
    loaded, _ = _main_imports(["--help"], tmp_path)
    assert set(cli.modules()) <= loaded


def test_the_help_order_does_not_depend_on_what_was_imported_first() -> None:
    code = (
        "import premium_calc.cli.worth, premium_calc.cli.rates_release, premium_calc.cli.calc\n"
        "from typer.testing import CliRunner\nfrom premium_calc.cli import app\n"
        "print(CliRunner().invoke(app, ['--help'], prog_name='premium-calc', terminal_width=100).output)"
    )
    plain = code.split("\n", 1)[1]
    first, second = _child(code), _child(plain)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
    assert "  calc  " in first.stdout and "  worth  " in first.stdout and "  rates  " in first.stdout
