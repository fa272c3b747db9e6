"""A re-runnable bad-input campaign for premium-calc (see the reliability report's classes).

It makes every input itself under a temporary directory and runs each case in a subprocess:
``python3 -m premium_calc ...`` for the CLI, and a small embedded script for library calls
(which makes one call and prints what came back or the type of the exception). The
subprocesses run with ``cwd`` and ``PYTHONPATH`` set to the repository under test, no
``PREMIUM_CALC_*`` variables, ``LANG=C.UTF-8``, and an address-space limit of 2 GB (so
that reading ``/dev/zero`` ends in a ``MemoryError`` instead of eating the machine).

Usage::

    python3 tools/campaign.py [--repo PATH] [--jobs 2] [--timeout 20] [--class NAME] [--list]
                              [--save FILE.json] [--keep]

``--class`` (repeatable): calc, rates, batch, edit, library, history (or 1-6). ``--list``
prints every failing case: its cause tag (the report's T1-T13 where the case targets one),
the command and the first line of each problem. The whole run (about 510 cases) takes
about 3.5 minutes with ``--jobs 2``; hangs cost ``--timeout`` each. Exit code 0 if no case
failed, 1 otherwise.

How a case is judged:

* **traceback**: ``Traceback (most recent call last)`` in stdout or stderr (library: an
  exception that is not a ``PremiumCalcError``, or the subprocess dying);
* **hang**: still running at ``--timeout`` seconds (then the process group is killed);
* **wrong exit code**: a refused input (exit != 0) whose exit code is not the expected one
  (2; ``rates validate`` may also exit 1, "errors found"), or a valid input refused; a
  traceback (exit 1) counts here too;
* **multi-line / over 300 chars**: the error output of a refusal without a traceback has
  more than one non-empty line / more than 300 characters (library: ``str(exc)`` of a
  ``PremiumCalcError``);
* **data lost**: a watched file changed although the command refused (edits), or a file
  that must never change did (the input of ``batch``, the bundled rate files);
* **accepted**: a clear mistake that exited 0 (library: returned a value), e.g. a member
  born 0001-01-01 or ``rates validate`` passing an amount of 1e400; shown in the last column.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TRACEBACK = "Traceback (most recent call last)"
MEMORY_KB = 2_000_000
MARK = "@@CAMPAIGN@@"
CLASSES = ("calc", "rates", "batch", "edit", "library", "history")
TITLES = {
    "calc": "1 calc arguments",
    "rates": "2 rate-file mutations",
    "batch": "3 batch CSV",
    "edit": "4 edits",
    "library": "5 library",
    "history": "6 history / compare",
}
HEADER = "household,age,sex,flags,income\n"
URL = "https://example.org/notice"


# --------------------------------------------------------------------------------------------
# cases and results


@dataclass
class Case:
    cls: str
    tag: str  # the cause the case targets (T1..T13 of the report) or the input family
    args: list[str]  # after `python3 -m premium_calc`; for the library: one expression
    lib: bool = False
    codes: frozenset[int] = frozenset({2})  # acceptable exit codes of a refusal
    expect: str = "any"  # "refuse": exit 0 is a mistake accepted; "accept": must exit 0
    report: frozenset[int] = frozenset()  # exit codes whose output is a report, not an error message
    keep: tuple[Path, ...] = ()  # must be unchanged when the command refuses
    keep_always: tuple[Path, ...] = ()  # must be unchanged whatever the exit code
    scan: Path | None = None  # directory in which a refusal must leave no new file
    env: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None


@dataclass
class Result:
    case: Case
    rc: int | None = None
    elapsed: float = 0.0
    traceback: bool = False
    hang: bool = False
    wrong_exit: bool = False
    multiline: bool = False
    long: bool = False
    data_lost: bool = False
    accepted: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(
            (
                self.traceback,
                self.hang,
                self.wrong_exit,
                self.multiline,
                self.long,
                self.data_lost,
                self.accepted,
            )
        )


def digest(path: Path) -> str | None:
    try:
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()
        return "<not a regular file>" if path.exists() else None
    except OSError as exc:
        return f"<{exc.__class__.__name__}>"


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.is_dir() else set()


def short(text: str, limit: int = 200) -> str:
    text = text.replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# the library runner (run with `python3 -c LIB_RUNNER EXPR`)

LIB_RUNNER = r"""
import json, os, sys
from decimal import Decimal
from pathlib import Path
D = Path(os.environ["CAMPAIGN_DATA"])
MARK = "@@CAMPAIGN@@"
import premium_calc as pc

class Names(dict):  # public names of premium_calc and the fixtures, made on first use

    def __missing__(self, name):
        if name == "book":
            value = pc.RateBook()
        elif name == "h":
            value = pc.build_household(["45", "42:female"], income=20000)
        elif name == "sched":
            value = self["book"].schedule("cn/hunan", 2026)
        elif name == "table":
            value = lambda: pc.MemberTable.from_households([self["h"]], 2026)
        elif name in pc.__all__:
            value = getattr(pc, name)
        else:
            raise KeyError(name)
        self[name] = value
        return value

try:
    value = eval(sys.argv[1], globals(), Names())
    out = {"kind": "returned", "value": repr(value)[:300]}
except BaseException as exc:
    msg = str(exc)
    out = {
        "kind": "raised",
        "type": f"{type(exc).__module__}.{type(exc).__qualname__}".replace("builtins.", ""),
        "pce": isinstance(exc, pc.PremiumCalcError),
        "msg": msg[:400],
        "msglen": len(msg),
        "lines": len([line for line in msg.splitlines() if line.strip()]),
    }
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if "premium_calc" in name:
            where = f"{name.split('premium_calc', 1)[1].lstrip('/')}:{tb.tb_lineno}"
        tb = tb.tb_next
    out["where"] = where
sys.stdout.flush()
print("\n" + MARK + json.dumps(out))
"""


# --------------------------------------------------------------------------------------------
# running


@dataclass
class Context:
    repo: Path
    tmp: Path
    timeout: float
    env: dict[str, str]

    def show(self, arg: str) -> str:
        arg = arg.replace(str(self.tmp), "$T").replace(str(self.repo), "$REPO")
        if len(arg) > 60:
            arg = f"<{len(arg)} chars: {arg[:24]!r}…>"
        elif arg == "" or (any(c in arg for c in " \t\n'\"|;&$<>()*?\\") and not arg.startswith("$")):
            arg = repr(arg)
        return arg

    def command(self, case: Case) -> str:
        if case.lib:
            return "python: " + short(case.args[0].replace(str(self.tmp), "$T"), 160)
        prefix = " ".join(f"{k}={self.show(v)}" for k, v in case.env.items())
        return (prefix + " " if prefix else "") + "premium-calc " + " ".join(map(self.show, case.args))


def base_env(repo: Path, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREMIUM_CALC")}
    env.update(
        PYTHONPATH=str(repo),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PREMIUM_CALC_LANG="en",
        COLUMNS="120",
        NO_COLOR="1",
        TERM="dumb",
        PYTHONDONTWRITEBYTECODE="1",
        CAMPAIGN_DATA=str(tmp / "data"),
    )
    env.pop("PYTHONSTARTUP", None)
    return env


def spawn(ctx: Context, argv: list[str], env: dict[str, str], timeout: float) -> tuple[int, str, str, bool]:
    cmd = ["sh", "-c", f'ulimit -v {MEMORY_KB} 2>/dev/null; exec "$@"', "sh", *argv]
    proc = subprocess.Popen(
        cmd,
        cwd=ctx.repo,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
        hang = False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        hang = True
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), hang


def traceback_summary(text: str) -> str:
    """The exception line of the last traceback in ``text`` and its last premium_calc frame."""
    block = text[text.rfind(TRACEBACK) :] if TRACEBACK in text else text
    where = ""
    for match in re.finditer(r'File "([^"]*premium_calc[^"]*)", line (\d+), in (\S+)', block):
        path = match.group(1).split("premium_calc", 1)[1].lstrip("/")
        where = f"{path}:{match.group(2)} in {match.group(3)}"
    last = ""
    for line in block.splitlines()[1:]:
        if line.strip() and not line[0].isspace():
            last = line.strip()
            break
    if not last:
        last = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")
    return short(last, 150) + (f"  [{where}]" if where else "")


def run_case(case: Case, ctx: Context) -> Result:
    res = Result(case)
    watched = case.keep + case.keep_always
    before = {p: digest(p) for p in watched}
    names = tree(case.scan) if case.scan else set()
    env = {**ctx.env, **case.env}
    timeout = case.timeout or ctx.timeout
    if case.lib:
        argv = [sys.executable, "-c", LIB_RUNNER, case.args[0]]
    else:
        argv = [sys.executable, "-m", "premium_calc", *case.args]
    start = time.monotonic()
    rc, out, err, hang = spawn(ctx, argv, env, timeout)
    res.elapsed = time.monotonic() - start
    res.rc = rc
    if hang:
        res.hang = True
        res.problems.append(f"hang: no answer in {timeout:g} s")
    if case.lib:
        judge_library(res, out, err)
    else:
        judge_cli(res, out, err)
    refused = hang or rc != 0
    lost = [p for p in case.keep if refused and digest(p) != before[p]]
    lost += [p for p in case.keep_always if digest(p) != before[p]]
    if lost:
        res.data_lost = True
        res.problems.append("data lost: changed " + ", ".join(ctx.show(str(p)) for p in lost))
    if case.scan and refused:
        stray = sorted(tree(case.scan) - names)
        if stray:
            res.problems.append("left new files after a refusal (not counted): " + ", ".join(stray))
    return res


def judge_cli(res: Result, out: str, err: str) -> None:
    case, rc = res.case, res.rc
    if TRACEBACK in out or TRACEBACK in err:
        res.traceback = True
        res.problems.append("traceback: " + traceback_summary(err if TRACEBACK in err else out))
    if res.hang:
        return
    assert rc is not None
    if rc < 0:
        res.wrong_exit = True
        res.problems.append(f"killed by signal {-rc}")
    elif rc != 0 and case.expect == "accept":
        res.wrong_exit = True
        res.problems.append(f"valid input refused (exit {rc}): {short(first_line(err))}")
    elif rc != 0 and rc not in case.codes:
        res.wrong_exit = True
        if not res.traceback:
            res.problems.append(f"exit {rc} (expected {'/'.join(map(str, sorted(case.codes)))})")
    if rc == 0 and case.expect == "refuse":
        res.accepted = True
        res.problems.append("accepted (exit 0): " + short(first_line(out) or first_line(err)))
    if rc != 0 and not res.traceback and rc not in case.report:
        lines = [line for line in err.splitlines() if line.strip()]
        if not lines:
            res.problems.append(f"exit {rc} with no error message (not counted)")
        if len(lines) > 1:
            res.multiline = True
            res.problems.append(f"{len(lines)}-line message: " + short(" / ".join(lines[:4])))
        if len(err.strip()) > 300:
            res.long = True
            res.problems.append(f"{len(err.strip())}-char message: " + short(err.strip(), 120))


def judge_library(res: Result, out: str, err: str) -> None:
    if res.hang:
        return
    record = None
    for line in out.splitlines():
        if line.startswith(MARK):
            record = json.loads(line[len(MARK) :])
    if record is None:
        res.traceback = True
        res.problems.append(f"runner died (exit {res.rc}): " + traceback_summary(err or out))
        return
    case = res.case
    if record["kind"] == "returned":
        if case.expect == "refuse":
            res.accepted = True
            res.problems.append("returned a value: " + short(record["value"], 150))
        return
    where = f"  [{record['where']}]" if record.get("where") else ""
    text = f"{record['type']}: {short(record['msg'].splitlines()[0] if record['msg'] else '', 150)}{where}"
    if not record["pce"]:
        res.traceback = True
        res.problems.append("not a PremiumCalcError: " + text)
        return
    if case.expect == "accept":
        res.wrong_exit = True
        res.problems.append("valid call refused: " + text)
    if record["lines"] > 1:
        res.multiline = True
        res.problems.append(f"{record['lines']}-line message: " + text)
    if record["msglen"] > 300:
        res.long = True
        res.problems.append(f"{record['msglen']}-char message: " + text)


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


# --------------------------------------------------------------------------------------------
# fixtures


class Fixtures:
    """The temporary directory, the bundled rate files and helpers that write inputs."""

    def __init__(self, ctx: Context, bundled: Path) -> None:
        self.ctx = ctx
        self.tmp = ctx.tmp
        self.bundled = bundled
        self.data = ctx.tmp / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.skipped: list[str] = []

    def file(self, name: str, content: str | bytes) -> Path:
        path = self.data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    def fifo(self, name: str) -> Path:
        path = self.data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
        return path

    def fresh_dir(self, prefix: str) -> Path:
        self.count += 1
        path = self.tmp / "dirs" / f"{prefix}{self.count:03d}"
        path.mkdir(parents=True)
        return path

    def rate_text(self, rel: str) -> str:
        return (self.bundled / rel).read_text(encoding="utf-8")

    def overlay(self, rel: str, content: str | bytes | None = None, prefix: str = "ov") -> Path:
        """A new overlay directory holding a copy of the bundled ``rel`` (or ``content``)."""
        root = self.fresh_dir(prefix)
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            shutil.copyfile(self.bundled / rel, target)
        elif isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
        return root


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_toml(depth: int) -> str:
    return "a = " + "[" * depth + "]" * depth + "\n"


def deep_inline(depth: int) -> str:
    return "a = " + "{ b = " * depth + "1" + " }" * depth + "\n"


# --------------------------------------------------------------------------------------------
# class 1: calc arguments


def class_calc(fx: Fixtures) -> list[Case]:
    cases: list[Case] = []
    base = ["calc", "-r", "cn/hunan", "-y", "2026"]

    def add(tag: str, args: list[str], **kw: object) -> None:
        cases.append(Case("calc", tag, args, **kw))  # type: ignore[arg-type]

    # --member
    bad_members = [
        "abc",
        "",
        "-1",
        "200",
        "45.5",
        "2025-02-30",
        "45:bogus",
        "45:female,male",
        "45:disabled9",
        "x" * 100_000,
        "四十五",
        "9" * 20,
        "2030-01-01",
    ]
    for m in bad_members:
        add("member", [*base, "-m", m, "-i", "20000"], expect="refuse")
    for m in ["0001-01-01", "1800-01-01"]:
        add("V1 birth date bypasses age check", [*base, "-m", m, "-i", "1000", "--csv"], expect="refuse")
    for m in ["0", "130", "72:低保"]:
        add("valid", [*base, "-m", m, "-i", "20000", "--csv"], expect="accept")
    add("member", [*base, *["-m", "45"] * 1000, "-i", "20000", "--csv"], expect="accept")
    add("member", [*base, "-i", "20000"])  # no member at all

    # --income
    for income in ["nan", "inf", "1e400", "-1", "abc", "", "1e17", "9" * 100_000, "0.001", "1e999999999"]:
        add("income", [*base, "-m", "45", "-i", income], expect="refuse")
    for income in ["１２０００", "1,000"]:  # lenient forms: judged only for crashes and exit codes
        add("income", [*base, "-m", "45", "-i", income, "--csv"])
    add("valid", [*base, "-m", "45", "-i", "12000.50", "--csv"], expect="accept")
    add("income", [*base, "-m", "45", "--income-stat", "bogus"], expect="refuse")

    # --year, --paid-in
    for year in ["0", "99999", "x", "", "9" * 5000, "1990"]:
        add("year", ["calc", "-r", "cn/hunan", "-y", year, "-m", "45", "-i", "20000"], expect="refuse")
    add("year", ["calc", "-r", "cn/hunan", "-y", "2025.0", "-m", "45", "-i", "20000", "--csv"])
    add("year", ["calc", "-r", "cn/hunan", "-y", "２０２６", "-m", "45", "-i", "20000", "--csv"])
    for paid in ["0", "x"]:
        add("year", ["calc", "-r", "cn/hunan", "--paid-in", paid, "-m", "45", "-i", "20000"], expect="refuse")
    add("year", [*base, "--paid-in", "2025", "-m", "45", "-i", "20000"])

    # --region
    for region in ["../../etc/passwd", "/etc/passwd", "..", "", "cn/../cn/hunan", "x" * 10_000, "nope"]:
        add("region", ["calc", "-r", region, "-y", "2026", "-m", "45", "-i", "20000"], expect="refuse")
    add("region", ["calc", "-r", "cn/hunan\n", "-y", "2026", "-m", "45", "-i", "20000", "--csv"])

    # --thresholds
    for tag, values in {
        "T1 thresholds nan": ["nan", "NaN", "5%,nan", "sNaN"],
        "T2 thresholds overflow": ["1e999999999", "1e999999999%", "9" * 5000],
        "thresholds": ["1e-999999999", "inf", "-5%", "150%", "", "x" * 10_000],
    }.items():
        for value in values:
            add(tag, [*base, "-m", "45", "-i", "20000", "--thresholds", value], expect="refuse")
    add("valid", [*base, "-m", "45", "-i", "20000", "--thresholds", "5%,10%", "--csv"], expect="accept")

    # --tier
    for tier in ["nope", "x" * 10_000]:
        add("tier", [*base, "-m", "45", "-i", "20000", "--tier", tier], expect="refuse")

    # --household files
    m45 = "[[members]]\nage = 45\n"
    files: list[tuple[str, str, str | bytes, str]] = [
        # (tag, name, content, expect)
        ("household TOML", "open.toml", "members = [\n", "refuse"),
        ("household TOML", "noval.toml", "[[members]]\nage = \n", "refuse"),
        ("household TOML", "nomembers.toml", "income = 5\n", "refuse"),
        ("household TOML", "members5.toml", "members = 5\n", "refuse"),
        ("household TOML", "empty_members.toml", "members = []\n", "refuse"),
        ("household TOML", "agestr.toml", '[[members]]\nage = "abc"\n', "refuse"),
        ("household TOML", "ageneg.toml", "[[members]]\nage = -1\n", "refuse"),
        ("household TOML", "age200.toml", "[[members]]\nage = 200\n", "refuse"),
        ("household TOML", "unknown.toml", m45 + "bogus = 1\n", "refuse"),
        ("household TOML", "incnan.toml", "income = nan\n" + m45, "refuse"),
        ("household TOML", "incinf.toml", "income = inf\n" + m45, "refuse"),
        ("household TOML", "inc1e400.toml", "income = 1e400\n" + m45, "refuse"),
        ("household TOML", "incbig.toml", "income = 99999999999999999999999\n" + m45, "refuse"),
        ("household TOML", "assisted.toml", m45 + 'assisted = ["bogus"]\n', "refuse"),
        ("household TOML", "born_future.toml", "[[members]]\nbirth_date = 2030-01-01\n", "refuse"),
        (
            "V1 birth date bypasses age check",
            "born0001.toml",
            "[[members]]\nbirth_date = 0001-01-01\n",
            "refuse",
        ),
        ("T3 both incomes", "both.toml", "income = 5\n[[members]]\nage = 45\nincome = 5\n", "refuse"),
        ("household bytes", "empty.toml", "", "refuse"),
        ("household bytes", "utf16.toml", (m45 + "income = 5\n").encode("utf-16"), "refuse"),
        ("household bytes", "gbk.toml", ("# 户一\n" + m45).encode("gbk"), "refuse"),
        ("household bytes", "binary.toml", bytes(range(256)) * 4, "refuse"),
        ("household bytes", "nul.toml", m45 + "\x00\n", "refuse"),
        ("T4 deep nesting", "deep100k.toml", deep_toml(100_000) + m45, "refuse"),
        ("T4 deep nesting", "inline5k.toml", deep_inline(5_000) + m45, "refuse"),
        ("household JSON", "open.json", "{", "refuse"),
        ("household JSON", "incstr.json", '{"members":[{"age":45}],"income":"abc"}', "refuse"),
        ("household JSON", "incnan.json", '{"members":[{"age":45}],"income":NaN}', "refuse"),
        ("household JSON", "inc1e400.json", '{"members":[{"age":45}],"income":1e400}', "refuse"),
        ("V1 age true", "boolage.json", '{"members":[{"age":true}],"income":100}', "refuse"),
        ("T3 both incomes", "both.json", '{"members":[{"age":45,"income":5}],"income":5}', "refuse"),
        ("T4 deep nesting", "deep.json", deep_json(100_000), "refuse"),
        ("T4 deep nesting", "deepobj.json", '{"a":' * 100_000 + "1" + "}" * 100_000, "refuse"),
        (
            "household size",
            "big2mb.json",
            '{"members":[{"age":45,"bogus":"' + "x" * 2_000_000 + '"}],"income":5}',
            "refuse",
        ),
        (
            "household size",
            "big50mb.json",
            '{"members":[{"age":45}],"income":5,"note":"' + "x" * 50_000_000 + '"}',
            "refuse",
        ),
        ("household TOML", "household.yaml", "members:\n  - age: 45\n", "refuse"),
        ("valid", "ok.toml", 'region = "cn/hunan"\nyear = 2026\nincome = 26000\n' + m45, "accept"),
        ("valid", "bom.toml", "\ufeffincome = 26000\n" + m45, "any"),
    ]
    for tag, name, content, expect in files:
        path = fx.file("hh/" + name, content)
        add(tag, [*base, "--household", str(path), "--csv"], expect=expect)
    # region and year from the file (no -r/-y: options on the command line win)
    for name, head in [
        ("region.toml", 'region = "../../etc/passwd"\nyear = 2026\n'),
        ("year0.toml", 'region = "cn/hunan"\nyear = 0\n'),
        ("yearstr.toml", 'region = "cn/hunan"\nyear = "x"\n'),
    ]:
        path = fx.file("hh/" + name, head + m45 + "income = 5\n")
        add("household TOML", ["calc", "--household", str(path), "--csv"], expect="refuse")
    hh = fx.data / "hh"
    (hh / "adir.toml").mkdir()
    loop_a, loop_b = hh / "loop_a.toml", hh / "loop_b.toml"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    for tag, target in [
        ("household special", str(hh / "adir.toml")),
        ("household special", str(hh / "missing.toml")),
        ("household special", "/dev/null"),
        ("T13 /dev/zero read whole", "/dev/zero"),
        ("household special", str(fx.fifo("hh/fifo.toml"))),
        ("household special", ""),
        ("household special", str(loop_a)),
    ]:
        add(tag, [*base, "--household", target, "--csv"], expect="refuse")

    # --rates-dir
    calc = [*base, "-m", "45", "-i", "20000", "--csv"]
    empty = fx.fresh_dir("empty")
    loop = fx.tmp / "dirs" / "looprates"
    loop.symlink_to(loop)
    asdir = fx.fresh_dir("tomldir")
    (asdir / "cn" / "hunan.toml").mkdir(parents=True)
    fifo_dir = fx.fresh_dir("fifo")
    (fifo_dir / "cn").mkdir()
    os.mkfifo(fifo_dir / "cn" / "hunan.toml")
    link_dir = fx.fresh_dir("passwd")
    (link_dir / "passwd.toml").symlink_to("/etc/passwd")
    for tag, target, expect in [
        ("rates-dir", str(fx.tmp / "no-such-dir"), "refuse"),
        ("rates-dir", str(fx.file("a_file.toml", "x = 1\n")), "refuse"),
        ("rates-dir", "", "any"),
        ("rates-dir", "/dev/null", "refuse"),
        ("rates-dir", str(empty), "accept"),
        ("rates-dir", str(loop), "refuse"),
        ("rates-dir", str(fx.overlay("cn/hunan.toml", "[region\nname = 1\n")), "refuse"),
        ("rates-dir", str(fx.overlay("cn/hunan.toml", b"\xff\xfe\x00garbage\n")), "refuse"),
        ("rates-dir", str(asdir), "refuse"),
        ("rates-dir FIFO rate file", str(fifo_dir), "refuse"),
        ("rates-dir", str(link_dir), "any"),
    ]:
        add(tag, [*calc, "--rates-dir", target], expect=expect)
    add("rates-dir", calc, env={"PREMIUM_CALC_RATES": str(fx.tmp / "no-such-dir")}, expect="refuse")

    # other combinations
    ok = str(hh / "ok.toml")
    add("other", ["--lang", "fr", *calc], expect="refuse")
    add("other", [*calc, "--json"])
    add("other", [*base, "-m", "45", "--household", ok], expect="refuse")
    add("other", [*calc, "--bogus"], expect="refuse")
    add("other", [*calc, "extra"], expect="refuse")
    return cases


# --------------------------------------------------------------------------------------------
# class 2: rate-file mutations

HUNAN = "cn/hunan.toml"
SHENZHEN = "cn/guangdong/shenzhen.toml"
STATS = "stats/income.toml"


def class_rates(fx: Fixtures) -> list[Case]:
    cases: list[Case] = []
    csv = fx.file(
        "rates_small.csv",
        HEADER + "h1,40,male,,20000\nh1,38,female,,\nh2,70,female,dibao,5000\nh3,10,male,student,3000\n",
    )
    hunan = fx.rate_text(HUNAN)
    shenzhen = fx.rate_text(SHENZHEN)
    stats = fx.rate_text(STATS)
    y2026 = hunan.index("coverage = 2026")

    def sub(text: str, old: str, new: str, start: int = 0) -> str | None:
        at = text.find(old, start)
        if at < 0:
            return None
        return text[:at] + new + text[at + len(old) :]

    mutations: list[tuple[str, str, str, str | bytes | None, str, int]] = []
    # (tag, label, rel, new content, region, year)

    def hun(tag: str, label: str, old: str, new: str) -> None:
        mutations.append((tag, label, HUNAN, sub(hunan, old, new, y2026), "cn/hunan", 2026))

    for value in ["1e400", '"1e999999999"', "1e30"]:
        hun("T5 unbounded amount", f"individual = {value}", "individual = 400", f"individual = {value}")
    hun(
        "T6 int64 fen overflow in batch",
        "individual = 1e20",
        "individual = 400",
        "individual = 100000000000000000000",
    )
    for value in ["-5", '"x"']:
        hun("amount", f"individual = {value}", "individual = 400", f"individual = {value}")
    hun("T5 unbounded amount", "subsidy = 1e400", "subsidy = 700", "subsidy = 1e400")
    hun(
        "H1 tiny pays_share hangs batch",
        'pays_share = "1e-999999999"',
        "pays = 200",
        'pays_share = "1e-999999999"',
    )
    hun("T5 unbounded amount", 'pays_share = "1e999999999%"', "pays = 200", 'pays_share = "1e999999999%"')
    hun("amount", 'pays_share = "150%"', "pays = 200", 'pays_share = "150%"')
    hun("T5 unbounded amount", "late amount = 1e400", "amount = 1100", "amount = 1e400")
    hun("structure", "coverage = 99999", "coverage = 2026", "coverage = 99999")
    mutations.append(
        (
            "structure",
            "parent = self",
            HUNAN,
            sub(hunan, 'parent = "cn"', 'parent = "cn/hunan"'),
            "cn/hunan",
            2026,
        )
    )
    for label, tail in [
        ("x = [[[…]]] 5,000 deep", deep_toml(5_000)),
        ("x = [[[…]]] 100,000 deep", deep_toml(100_000)),
        ("inline tables 5,000 deep", deep_inline(5_000)),
    ]:
        mutations.append(("T4 deep nesting", label, HUNAN, hunan + tail, "cn/hunan", 2026))
    mutations.append(("bytes", "empty file", HUNAN, "", "cn/hunan", 2026))
    mutations.append(
        ("bytes", "one GBK line", HUNAN, hunan.encode() + "# 湖南省\n".encode("gbk"), "cn/hunan", 2026)
    )
    mutations.append(
        ("bytes", "a NUL byte", HUNAN, hunan.replace("[region]", "[region]\x00", 1), "cn/hunan", 2026)
    )

    sz2026 = shenzhen.index("coverage = 2026")

    def szm(tag: str, label: str, old: str, new: str) -> None:
        mutations.append(
            (tag, label, SHENZHEN, sub(shenzhen, old, new, sz2026), "cn/guangdong/shenzhen", 2026)
        )

    szm("T5 Shenzhen-like base", "base = 1e999999", "base = 6760", "base = 1e999999")
    szm("T5 Shenzhen-like base", "base = 1e30", "base = 6760", "base = 1e30")
    szm("T5 Shenzhen-like base", 'rate = "1e999999%"', 'rate = "0.6%"', 'rate = "1e999999%"')
    szm("amount", "months = 0", "months = 12", "months = 0")

    s2025 = stats.index("year = 2025")

    def stm(tag: str, label: str, content: str | bytes | None) -> None:
        mutations.append((tag, label, STATS, content, "cn", 2026))

    for value in ["nan", "1e999999"]:
        stm(
            "V2 stats file not validated",
            f"rural = {value} (2025)",
            sub(stats, "rural = 24456", f"rural = {value}", s2025),
        )
    stm("V2 stats file not validated", "[[income] (broken header)", "[[income]\n")
    block = stats[stats.rfind("[[income]]", 0, s2025) :]
    block = block[: block.find("\n\n") + 1]
    stm("V2 stats file not validated", "duplicated 2025 row", stats + "\n" + block)
    stm("T4 deep nesting", "stats x = [[[…]]] 5,000 deep", stats + deep_toml(5_000))

    for tag, label, rel, content, region, year in mutations:
        if content is None:
            fx.skipped.append(f"rates: {label} (the text to mutate is not in {rel})")
            continue
        d = str(fx.overlay(rel, content, prefix="mut"))
        ys = str(year)
        for args, codes, expect in [
            (["rates", "validate", "--rates-dir", d], frozenset({1, 2}), "refuse"),  # 1: errors found
            (["calc", "-r", region, "-y", ys, "--member", "40", "--rates-dir", d], frozenset({2}), "any"),
            (["rates", "explain", region, ys, "--rates-dir", d], frozenset({2}), "any"),
            (["batch", str(csv), "-r", region, "-y", ys, "--rates-dir", d], frozenset({2}), "any"),
        ]:
            cases.append(
                Case(
                    "rates",
                    f"{tag}: {label}",
                    args,
                    codes=codes,
                    expect=expect,
                    report=frozenset({1}) if args[1] == "validate" else frozenset(),
                    keep_always=(fx.bundled / rel,),
                )
            )
    return cases


# --------------------------------------------------------------------------------------------
# class 3: batch CSV


def class_batch(fx: Fixtures) -> list[Case]:
    cases: list[Case] = []
    opts = ["-r", "cn/hunan", "-y", "2026"]

    def add(tag: str, path: Path | str, extra: list[str] | None = None, **kw: object) -> None:
        keep = (Path(path),) if isinstance(path, Path) else ()
        kw.setdefault("keep_always", keep)
        cases.append(Case("batch", tag, ["batch", str(path), *opts, *(extra or [])], **kw))  # type: ignore[arg-type]

    def csv(name: str, content: str | bytes) -> Path:
        return fx.file("csv/" + name, content)

    row = "h1,45,,,100\n"
    for tag, name, content in [
        ("T8 non-UTF-8 CSV", "gbk.csv", HEADER.encode() + "户一,45,,,100\n".encode("gbk")),
        ("T8 non-UTF-8 CSV", "utf16.csv", (HEADER + row).encode("utf-16")),
        ("T8 non-UTF-8 CSV", "latin1.csv", HEADER.encode() + "Müller,45,,,100\n".encode("latin-1")),
        ("T8 non-UTF-8 CSV", "binary.csv", bytes(range(256)) * 8),
        ("T8 non-UTF-8 CSV", "nul.csv", HEADER + "h1,45,,,1\x0000\n"),
        ("T9 field > 128 KiB", "widefield.csv", HEADER + "h1,45,," + "x" * 200_000 + ",100\n"),
        ("T9 field > 128 KiB", "widelabel.csv", HEADER + "x" * 200_000 + ",45,,,100\n"),
    ]:
        # GBK is a survey encoding that is read (GB18030); Latin-1 bytes cannot be told from it.
        readable = name in ("gbk.csv", "latin1.csv")
        add(tag, csv(name, content), expect="any" if readable else "refuse")
    add("valid", csv("bom.csv", "\ufeff" + HEADER + row), expect="any")

    incomes = [
        ("T7 inf income", "inf"),
        ("T7 inf income", "-inf"),
        ("T7 inf income", "1e9999999999"),
        ("T6 int64 fen overflow", "100000000000000000"),
        ("T6 int64 fen overflow", "1e17"),
        ("income", "nan"),
        ("income", "sNaN"),
        ("income", "1e400"),
        ("income", "-1"),
        ("income", "abc"),
        ("income", "0.001"),
        ("income (lenient)", '"1,000"'),
        ("income", "9" * 5000),
    ]
    for tag, value in incomes:
        name = "income_" + re.sub(r"[^A-Za-z0-9.+-]", "_", value)[:20] + ".csv"
        add(tag, csv(name, HEADER + f"h1,45,,,{value}\n"), expect="any" if "lenient" in tag else "refuse")
    add(
        "T6 int64 fen overflow",
        csv("sum.csv", HEADER + "h1,45,,,90000000000000000\nh1,40,,,90000000000000000\n"),
        expect="refuse",
    )

    for tag, name, content, expect in [
        ("columns", "noage.csv", "household,sex,flags,income\nh1,,,100\n", "refuse"),
        ("columns", "nohousehold.csv", "age,sex,flags,income\n45,,,100\n", "refuse"),
        ("columns", "onlyhousehold.csv", "household\nh1\n", "refuse"),
        ("columns", "headeronly.csv", HEADER, "any"),
        ("columns", "empty.csv", "", "refuse"),
        ("columns", "garbage_header.csv", "a,b,c\n1,2,3\n", "refuse"),
        ("columns", "tabs.csv", HEADER.replace(",", "\t") + row.replace(",", "\t"), "refuse"),
        ("columns", "semicolons.csv", HEADER.replace(",", ";") + row.replace(",", ";"), "refuse"),
        ("columns", "short.csv", HEADER + "h1,45\n", "any"),
        ("columns", "long.csv", HEADER + "h1,45,,,100,extra,more\n", "any"),
        ("columns", "quote.csv", HEADER + 'h1,45,,"dibao,100\n', "refuse"),
        ("columns", "dupage.csv", "household,age,age,income\nh1,45,70,100\n", "refuse"),
        ("columns", "region_col.csv", "household,age,region\nh1,45,cn/hunan\n", "refuse"),
        (
            "columns",
            "wide.csv",
            ",".join(f"c{i}" for i in range(10_000)) + "\n" + "1," * 9999 + "1\n",
            "refuse",
        ),
        ("ages", "ageneg.csv", HEADER + "h1,-1,,,100\n", "refuse"),
        ("ages", "age200.csv", HEADER + "h1,200,,,100\n", "refuse"),
        ("ages", "ageabc.csv", HEADER + "h1,abc,,,100\n", "refuse"),
        ("ages", "agefuture.csv", "household,birth_date,income\nh1,2030-01-01,100\n", "refuse"),
        (
            "V1 birth date bypasses age check",
            "age0001.csv",
            "household,birth_date,income\nh1,0001-01-01,100\n",
            "refuse",
        ),
        ("flags", "flags.csv", HEADER + "h1,45,x,bogus,100\n", "refuse"),
        (
            "rows",
            "bad_last.csv",
            HEADER + "".join(f"h{i},45,,,100\n" for i in range(1000)) + "hx,abc,,,1\n",
            "any",
        ),
        (
            "T7 inf income",
            "bad_last_inf.csv",
            HEADER + "".join(f"h{i},45,,,100\n" for i in range(1000)) + "hx,45,,,inf\n",
            "any",
        ),
        ("valid", "ok.csv", HEADER + "h1,45,,,1000\nh1,40,female,,\nh2,70,female,dibao,500\n", "accept"),
    ]:
        add(tag, csv(name, content), expect=expect)
        if name.startswith("bad_last"):  # by default the bad row is left out and the run goes on
            add(tag, csv(name, content), ["--on-error", "stop"], expect="refuse")

    adir = fx.data / "csv" / "adir.csv"
    adir.mkdir()
    for tag, target in [
        ("T13 /dev/zero read whole", "/dev/zero"),
        ("file type", str(fx.fifo("csv/fifo.csv"))),
        ("file type", str(adir)),
        ("file type", str(fx.data / "csv" / "missing.csv")),
        ("file type", "/dev/null"),
    ]:
        add(tag, target, expect="refuse")

    ok = fx.data / "csv" / "ok.csv"
    same = csv("same.csv", HEADER + "h1,45,,,1000\n")
    add("--out = input", same, ["--out", str(same)], expect="refuse")
    into_missing = csv("into_missing.csv", HEADER + "h1,45,,,1000\n")
    add("--out", into_missing, ["--out", str(fx.data / "nodir" / "out.csv")], expect="refuse")
    add("--out", ok, ["--out", str(adir)], expect="refuse")
    add("--out", ok, ["--out", "/dev/full"], expect="refuse")
    existing = csv("existing_out.csv", "previous results\n")
    bad = fx.data / "csv" / "ageabc.csv"
    add("--out", bad, ["--out", str(existing)], keep_always=(bad, existing), expect="refuse")
    add("valid", ok, ["--out", str(fx.data / "csv" / "fresh_out.csv")], expect="accept")
    cases.append(Case("batch", "options", ["batch", str(ok), "-y", "2026"], expect="refuse"))
    cases.append(Case("batch", "options", ["batch", str(ok), "-r", "cn/hunan", "-y", "x"], expect="refuse"))
    add("options", ok, ["--tier", "nope"], expect="refuse")
    add("valid", ok, ["--late"], expect="accept")
    return cases


# --------------------------------------------------------------------------------------------
# class 4: edits on an overlay copy


def class_edit(fx: Fixtures) -> list[Case]:
    cases: list[Case] = []
    bundled = fx.bundled / HUNAN
    src = ["--source", URL]

    def add(tag: str, args_of: Callable[[str], list[str]], expect: str = "refuse") -> None:
        d = fx.overlay(HUNAN, prefix="edit")
        target = d / HUNAN
        cases.append(
            Case("edit", tag, args_of(str(d)), expect=expect, keep=(target,), keep_always=(bundled,), scan=d)
        )

    def rset(
        tag: str,
        key: str,
        value: str,
        extra: list[str] | None = None,
        expect: str = "refuse",
        year: str = "2026",
        region: str = "cn/hunan",
    ) -> None:
        add(
            tag,
            lambda d: [
                "rates",
                "set",
                region,
                year,
                key,
                value,
                *(src if extra is None else extra),
                "--rates-dir",
                d,
            ],
            expect,
        )

    for key, value in [
        ("subsidy", "1e30"),
        ("subsidy", "1e400"),
        ("subsidy", "9" * 32),
        ("category.resident.individual", "1e26"),
        ("late.amount", "1e30"),
        ("assisted.half.pays_share", "1e999999999%"),
    ]:
        rset("T10 set huge amount", key, value)
    rset("set negative (click option)", "subsidy", "-5")
    rset("set negative (click option)", "late.waiting_days", "-3")
    add(
        "set negative",
        lambda d: ["rates", "set", "cn/hunan", "2026", "subsidy", *src, "--rates-dir", d, "--", "-5"],
    )
    for key, value in [
        ("subsidy", "nan"),
        ("subsidy", "inf"),
        ("subsidy", "sNaN"),
        ("subsidy", "abc"),
        ("subsidy", "400.001"),
        ("subsidy", ""),
        ("assisted.half.pays_share", "150%"),
        ("assisted.half.pays_share", "1e-999999999%"),
        ("late.waiting_days", "9" * 30),
        ("collection.start", "2026-02-30"),
        ("collection.end", "1999-01-01"),
        ("category.nope.individual", "5"),
        ("bogus.key", "5"),
    ]:
        rset("set invalid", key, value)
    rset("set invalid", "late.waiting_days", "٣", expect="any")
    rset("set invalid", "subsidy", "700", year="1990")
    rset("set invalid", "subsidy", "700", year="99999")
    rset("set invalid", "subsidy", "700", region="../x")
    rset("set invalid", "subsidy", "700", region="/etc/passwd")
    rset("set source", "subsidy", "710", extra=[])
    rset("set source", "subsidy", "710", extra=["--source", "ftp://example.org/x"])
    rset("set source", "subsidy", "710", extra=[*src, "--confidence", "bogus"])
    rset("valid", "subsidy", "710", expect="accept")

    def new_year(tag: str, extra: list[str], expect: str = "refuse", source: bool = True) -> None:
        add(
            tag,
            lambda d: ["rates", "new-year", "cn/hunan", *extra, *(src if source else []), "--rates-dir", d],
            expect,
        )

    for year in ["12026", "0", "-5"]:
        new_year("T11 new-year year out of range", ["--from", "2026", "--year", year], source=False)
        new_year("T11 new-year year out of range", ["--from", "2026", "--year", year])
    for extra in [
        ["--from", "2026", "--year", "2101"],
        ["--from", "2026", "--year", "2026"],
        ["--from", "1990", "--year", "2027"],
        ["--from", "x", "--year", "2027"],
    ]:
        new_year("new-year invalid", extra)
    new_year(
        "T12 bump overflow", ["--from", "2026", "--year", "2027", "--bump", "individual=+" + "9" * 31 + "%"]
    )
    new_year("T12 bump overflow", ["--from", "2026", "--year", "2027", "--bump", "individual=+1e999999999%"])
    new_year(
        "V3 bump writes a huge amount",
        ["--from", "2026", "--year", "2027", "--bump", "individual=+" + "9" * 29],
    )
    for bump in [
        "individual=+1e30",
        "individual=-1000",
        "individual=+0.001",
        "bogus=+5",
        "individual=+nan",
        "individual=abc",
        "subsidy=+1e400",
        "individual=",
        "=+5",
    ]:
        new_year("new-year bump invalid", ["--from", "2026", "--year", "2027", "--bump", bump])
    new_year("valid", ["--from", "2026", "--year", "2027", "--bump", "individual=+20"], expect="accept")
    return cases


# --------------------------------------------------------------------------------------------
# class 5: library calls


def class_library(fx: Fixtures) -> list[Case]:
    fx.file("lib/both.toml", "income = 5\n[[members]]\nage = 45\nincome = 5\n")
    fx.file("lib/deep.json", deep_json(100_000))
    fx.file("lib/f.toml", "[[members]]\nage = 45\n")
    lib = "D / 'lib'"
    calls: list[tuple[str, str, str]] = [
        # (tag, expression, expect)
        ("RateBook", 'RateBook(extra_dirs=[""]).schedule("cn/hunan", 2026)', "refuse"),
        ("RateBook", 'RateBook(extra_dirs="/tmp")', "accept"),  # one directory, as documented
        ("RateBook", "RateBook(extra_dirs=None)", "accept"),  # no extra directories
        ("RateBook", "RateBook(extra_dirs=5)", "refuse"),
        ("RateBook", "RateBook(extra_dirs=[None])", "refuse"),
        ("RateBook", "RateBook(extra_dirs=[123])", "refuse"),
        ("RateBook", "RateBook(extra_dirs=[-1])", "refuse"),
        ("RateBook", "RateBook(extra_dirs=[D / 'missing'])", "refuse"),
        ("RateBook", f"RateBook(extra_dirs=[{lib} / 'f.toml'])", "refuse"),
        ("RateBook", "book.find(None)", "refuse"),
        ("RateBook", "book.find('')", "refuse"),
        ("RateBook", "book.find(5)", "refuse"),
        ("RateBook", "book.region(None)", "refuse"),
        ("RateBook", "book.region('nope')", "refuse"),
        ("RateBook", "book.chain('nope')", "refuse"),
        ("RateBook", "book.schedule(None, 2026)", "refuse"),
        ("RateBook", "book.schedule('cn/hunan', None)", "refuse"),
        ("RateBook", "book.schedule('cn/hunan', 99999)", "refuse"),
        ("RateBook", "book.years(None)", "refuse"),
        ("assess", "assess(book, None, 2025, h)", "refuse"),
        ("assess", "assess(book, 123, 2025, h)", "refuse"),
        ("assess", "assess(None, 'cn/hunan', 2026, h)", "refuse"),
        ("assess", "assess('book', 'cn/hunan', 2026, h)", "refuse"),
        ("assess", "assess(book, 'cn/hunan', '2026', h)", "any"),
        ("assess", "assess(book, 'cn/hunan', 2026, None)", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, '45')", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, [45])", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, h, tier=5)", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, h, thresholds=None)", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, h, thresholds=5)", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, h, thresholds=['abc'])", "refuse"),
        ("T1 thresholds nan", "assess(book, 'cn/hunan', 2026, h, thresholds=[Decimal('nan')])", "refuse"),
        (
            "T2 thresholds overflow",
            "assess(book, 'cn/hunan', 2026, h, thresholds=[Decimal('1e999999999')])",
            "refuse",
        ),
        ("assess", "assess(book, 'cn/hunan', 2026, h, thresholds=[-1])", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, h, stats='x')", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, h, statistic='bogus')", "refuse"),
        ("assess", "assess(book, 'cn/hunan', 2026, h, statistic=None)", "refuse"),
        ("build_household", "build_household('45')", "refuse"),
        ("build_household", "build_household([45])", "refuse"),
        ("build_household", "build_household(None)", "refuse"),
        ("build_household", "build_household([])", "refuse"),
        ("build_household", "build_household(['45'], income='abc')", "refuse"),
        ("build_household", "build_household(['45'], income=float('nan'))", "refuse"),
        ("build_household", "build_household(['45'], income=Decimal('inf'))", "refuse"),
        ("build_household", "build_household(['45'], income=-1)", "refuse"),
        ("V1 birth date bypasses age check", "build_household(['0001-01-01'])", "refuse"),
        ("parse_member", "parse_member(None)", "refuse"),
        ("parse_member", "parse_member(45)", "refuse"),
        ("parse_member", "parse_member('')", "refuse"),
        ("models", "Member(age=-1)", "refuse"),
        ("models", "Member()", "refuse"),
        ("models", "Member(age='abc')", "refuse"),
        ("models", "Household(members=[])", "refuse"),
        ("models", "Household(members=None)", "refuse"),
        ("calculate", "calculate(None, h)", "refuse"),
        ("calculate", "calculate('x', h)", "refuse"),
        ("calculate", "calculate(sched, None)", "refuse"),
        ("calculate", "calculate(sched, '45')", "refuse"),
        ("calculate", "calculate(sched, h, tier=5)", "refuse"),
        ("calculate", "measure_burden(None, h)", "refuse"),
        ("load_household_file", "load_household_file(None)", "refuse"),
        ("load_household_file", "load_household_file(5)", "refuse"),
        ("load_household_file", "load_household_file(D / 'missing.toml')", "refuse"),
        ("load_household_file", f"load_household_file({lib})", "refuse"),
        ("T3 both incomes", f"load_household_file({lib} / 'both.toml').household()", "refuse"),
        ("T4 deep nesting", f"load_household_file({lib} / 'deep.json')", "refuse"),
        ("batch", "price_batch(sched, None)", "refuse"),
        ("batch", "price_batch(None, table())", "refuse"),
        ("batch", "price_batch(sched, table(), tier=5)", "refuse"),
        ("batch", "MemberTable.from_households(None, 2026)", "refuse"),
        ("batch", "MemberTable.from_households([h], None)", "refuse"),
        ("batch", "MemberTable.from_households(['45'], 2026)", "refuse"),
        ("population", "from_columns(None)", "refuse"),
        ("population", "from_columns({'age': [45]}, year=2026)", "refuse"),
        ("population", "from_columns({'household': [1], 'age': ['abc']}, year=2026)", "refuse"),
        (
            "T7 inf income",
            "from_columns({'household': [1], 'age': [45], 'income': [float('inf')]}, year=2026)",
            "refuse",
        ),
        (
            "T7 inf income",
            "from_columns({'household': [1], 'age': [45], 'income': ['1e9999999999']}, year=2026)",
            "refuse",
        ),
        (
            "T6 int64 fen overflow",
            "from_columns({'household': [1], 'age': [45], 'income': ['100000000000000000']}, year=2026)",
            "refuse",
        ),
        ("population", "price_population(book, None)", "refuse"),
        ("population", "synthetic_population('cn', 2026, -1)", "refuse"),
        ("population", "synthetic_population('nope', 2026, 5)", "refuse"),
        ("population", "synthetic_population('cn', 2026, 5, setting='bogus')", "refuse"),
        ("stats", "IncomeStats(dirs=5)", "refuse"),
        ("stats", "IncomeStats(dirs=[None])", "refuse"),
        ("stats", "book.income_stats().figure('rural', None)", "refuse"),
        ("stats", "data_version(5)", "refuse"),
        ("stats", "data_version(D / 'missing')", "refuse"),
        ("valid", "assess(book, 'cn/hunan', 2026, h).total_paid", "accept"),
        ("valid", "price_batch(sched, table()).household_paid_fen.tolist()", "accept"),
        ("valid", "build_household(['45', '12:student'], income='14000')", "accept"),
    ]
    return [Case("library", tag, [expr], lib=True, expect=expect) for tag, expr, expect in calls]


# --------------------------------------------------------------------------------------------
# class 6: history and compare


def class_history(fx: Fixtures) -> list[Case]:
    cases: list[Case] = []
    hist = ["history", "--no-chart"]

    def add(tag: str, args: list[str], expect: str = "refuse") -> None:
        cases.append(Case("history", tag, args, expect=expect))

    for span in [
        ["-r", "cn", "--from", "1990", "--to", "1995"],
        ["--from", "2020", "--to", "2010"],
        ["--from", "x"],
        ["--from", "2025.5"],
        ["--from", "99999"],
        ["--to", "0"],
        ["--from", "9" * 30],
    ]:
        add("span", [*hist, *span])
    for span in [["--from", "0"], ["--to", "99999"], ["--from", "-5"]]:  # clamped to the data
        add("span", [*hist, *span], expect="any")
    for region in ["nope", "../../etc/passwd", "", "x" * 10_000]:
        add("region", [*hist, "-r", region])
    add("region", [*hist, "-r", "cn/hainan"], expect="any")
    for extra in [
        ["-c", "nope"],
        ["-i", "nope"],
        ["-i", "3500"],
        ["--income-region", "nope"],
        ["--tier", "x"],
        ["-i", "nan", "-m", "45"],
        ["-i", "1e400", "-m", "45"],
    ]:
        add("options", [*hist, *extra])
    for preset in ["", "bogus", "../../etc/passwd", "/etc/passwd", "__init__"]:
        add("preset", [*hist, "--preset", preset])
    both = fx.file("hist/both.toml", "income = 5\n[[members]]\nage = 45\nincome = 5\n")
    deep = fx.file("hist/deep.json", deep_json(100_000))
    add("T3 both incomes", [*hist, "--household", str(both)])
    add("T4 deep nesting", [*hist, "--household", str(deep)])
    add("household", [*hist, "--household", "/dev/null"])
    add("household", [*hist, "--household", str(fx.data / "hist" / "missing.toml")])
    add("V1 birth date bypasses age check", [*hist, "-m", "0001-01-01", "-i", "3500"])
    add("household", [*hist, "-m", "x", "-i", "3500"])
    add("household", [*hist, "-m", "45", "-i", "1,000"], expect="any")
    pdir = fx.data / "hist" / "dir.png"
    pdir.mkdir()
    for plot in [
        str(fx.data / "nodir" / "x.png"),
        str(fx.data / "hist" / "x.jpg"),
        str(fx.data / "hist" / "noext"),
        str(pdir),
        "/proc/x.png",
    ]:
        add("plot", [*hist, "--plot", plot])
    add("options", [*hist, "--json", "--csv"], expect="any")
    add("valid", [*hist], expect="accept")
    add("valid", [*hist, "-r", "cn/hunan", "--from", "2024", "--to", "2026", "--csv"], expect="accept")

    comp = ["compare", "--no-chart"]
    add("compare: region lacks the year", [*comp, "-y", "2015", "-r", "cn/hunan"])
    add(
        "compare: region lacks the year",
        [*comp, "-y", "2024", "-r", "cn/hunan", "-r", "cn/guangdong/shenzhen"],
        expect="any",
    )
    for extra in [
        ["-y", "x"],
        ["-y", ""],
        ["-r", "cn/hunan"],
        ["-y", "0", "--all"],
        ["-y", "99999", "--all"],
        ["-y", "1990", "--all"],
        ["-y", "2026", "--all", "-r", "cn"],
        ["-y", "2026", "-r", "nope"],
        ["-y", "2026", "-r", "cn/hunan", "-c", "nope"],
        ["-y", "2026", "-r", "cn/hunan", "-i", "nope"],
        ["-y", "2026", "-r", "cn/hunan", "-i", "3500"],
        ["-y", "2026"],
        ["-y", "2026", "-r", "cn/hunan", "--plot", str(fx.data / "nodir" / "c.png")],
        ["-y", "9" * 30, "--all"],
        ["-y", "-5", "--all"],
    ]:
        add("compare", [*comp, *extra])
    add("valid", [*comp, "-y", "2026", "--all", "--csv"], expect="accept")
    add("valid", [*comp, "-y", "2026", "-r", "cn/hunan", "-r", "北京", "--csv"], expect="accept")
    return cases


BUILDERS: dict[str, Callable[[Fixtures], list[Case]]] = {
    "calc": class_calc,
    "rates": class_rates,
    "batch": class_batch,
    "edit": class_edit,
    "library": class_library,
    "history": class_history,
}


# --------------------------------------------------------------------------------------------
# main


def find_bundled(ctx: Context) -> Path:
    code = "from premium_calc.ratefiles.reading import bundled_rates_dir; print(bundled_rates_dir())"
    rc, out, err, _hang = spawn(ctx, [sys.executable, "-c", code], ctx.env, 120)
    path = Path(out.strip().splitlines()[-1]) if rc == 0 and out.strip() else ctx.repo / "rates"
    if not (path / HUNAN).is_file():
        sys.exit(f"campaign: cannot find the bundled rate files ({short(first_line(err))})")
    return path


def rates_fingerprint(root: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def print_table(results: list[Result], classes: list[str]) -> None:
    cols = [
        "cases",
        "tracebacks",
        "hangs",
        "wrong exit codes",
        "multi-line messages",
        "over 300 chars",
        "data lost",
        "accepted (exit 0)",
    ]
    rows = []
    totals = [0] * len(cols)
    for cls in classes:
        rs = [r for r in results if r.case.cls == cls]
        vals = [
            len(rs),
            sum(r.traceback for r in rs),
            sum(r.hang for r in rs),
            sum(r.wrong_exit for r in rs),
            sum(r.multiline for r in rs),
            sum(r.long for r in rs),
            sum(r.data_lost for r in rs),
            sum(r.accepted for r in rs),
        ]
        totals = [a + b for a, b in zip(totals, vals, strict=False)]
        rows.append([TITLES[cls], *map(str, vals)])
    rows.append(["total", *map(str, totals)])
    head = ["class", *cols]
    widths = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(len(head))]
    line = " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=False))
    print(line)
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(r[0].ljust(widths[0]) if i == 0 else v.rjust(widths[i]) for i, v in enumerate(r)))
    print(
        "(library: 'tracebacks' = an exception that is not a PremiumCalcError; 'accepted' = returned a value)"
    )


def print_list(results: list[Result], ctx: Context) -> None:
    failed = [r for r in results if r.problems]
    print(f"\nfailing cases ({sum(r.failed for r in results)}; and cases with notes only):")
    for cls in CLASSES:
        group = [r for r in failed if r.case.cls == cls]
        if not group:
            continue
        print(f"\n== {TITLES[cls]} ({len(group)})")
        for tag in sorted({r.case.tag for r in group}):
            print(f"-- {tag}")
            for r in (r for r in group if r.case.tag == tag):
                rc = "hang" if r.hang else f"exit {r.rc}"
                print(f"  $ {ctx.command(r.case)}   [{rc}, {r.elapsed:.1f} s]")
                for problem in r.problems:
                    print(f"      {problem.replace(str(ctx.tmp), '$T')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="repository to test (default: the one this script is in)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="cases run at once (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=20, help="seconds before a case is a hang (default 20)"
    )
    parser.add_argument(
        "--class",
        dest="classes",
        action="append",
        metavar="NAME",
        help="run only this class (repeatable): " + ", ".join(CLASSES) + " or 1-6",
    )
    parser.add_argument("--list", action="store_true", help="print the failing cases with their problems")
    parser.add_argument("--save", type=Path, help="write one JSON record per case to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory of inputs")
    opts = parser.parse_args(argv)

    classes: list[str] = []
    for name in opts.classes or CLASSES:
        name = CLASSES[int(name) - 1] if name.isdigit() and 1 <= int(name) <= len(CLASSES) else name
        if name not in CLASSES:
            parser.error(f"unknown class {name!r} (expected one of {', '.join(CLASSES)} or 1-6)")
        if name not in classes:
            classes.append(name)
    repo = opts.repo.resolve()
    if not (repo / "premium_calc" / "__init__.py").is_file():
        parser.error(f"{repo} is not a premium-calc repository (no premium_calc/__init__.py)")

    start = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="premium-calc-campaign-"))
    try:
        ctx = Context(repo, tmp, opts.timeout, base_env(repo, tmp))
        bundled = find_bundled(ctx)
        fingerprint = rates_fingerprint(bundled)
        fx = Fixtures(ctx, bundled)
        cases = [case for cls in classes for case in BUILDERS[cls](fx)]
        commit = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        print(f"repo {repo} ({commit or 'no git'}), bundled rates {bundled}, python {sys.version.split()[0]}")
        print(f"{len(cases)} cases, {opts.jobs} jobs, timeout {opts.timeout:g} s, inputs in {tmp}")
        for note in fx.skipped:
            print(f"skipped: {note}")
        sys.stdout.flush()
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
            results = list(pool.map(lambda c: run_case(c, ctx), cases))
        print()
        print_table(results, classes)
        if rates_fingerprint(bundled) != fingerprint:
            print(f"WARNING: the bundled rate files under {bundled} changed during the campaign")
        if opts.list:
            print_list(results, ctx)
        if opts.save:
            records = [
                {
                    "class": r.case.cls,
                    "tag": r.case.tag,
                    "command": ctx.command(r.case),
                    "exit": r.rc,
                    "elapsed": round(r.elapsed, 2),
                    "traceback": r.traceback,
                    "hang": r.hang,
                    "wrong_exit": r.wrong_exit,
                    "multiline": r.multiline,
                    "over_300": r.long,
                    "data_lost": r.data_lost,
                    "accepted": r.accepted,
                    "problems": r.problems,
                }
                for r in results
            ]
            opts.save.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(
            f"\n{sum(r.failed for r in results)} of {len(results)} cases failed; "
            f"{time.monotonic() - start:.0f} s"
        )
        return 1 if any(r.failed for r in results) else 0
    finally:
        if opts.keep:
            print(f"inputs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
