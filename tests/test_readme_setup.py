"""README's two set-up commands are what CI runs, and they make and use a virtual environment
(a system Python under PEP 668 refuses ``pip install`` outside one)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_two_commands_that_use_a_virtual_environment() -> None:
    install, tests = setup_commands()
    for command in (install, tests):
        assert command.startswith("python3 -m venv .venv && .venv/bin/python -m pip install ")
    assert "&& .venv/bin/premium-calc calc --region 毕节" in install
    assert tests.endswith("&& .venv/bin/python -m pytest")


def test_ci_runs_the_readme_commands_as_written() -> None:
    ci = ROOT / ".ci" / "run"
    script = ci.read_text(encoding="utf-8")
    for command in setup_commands():
        assert command in script.splitlines(), f".ci/run does not run README's: {command}"


def test_python_dash_m_premium_calc_works() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "premium_calc", "--version"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("premium-calc ")
