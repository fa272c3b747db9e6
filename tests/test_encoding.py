"""Any console works: output in Chinese never crashes on GBK, cp1252 or ASCII streams; the marks
fall back to ASCII stand-ins that the legends explain."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from premium_calc.cli.encoding import mark_text

COMMANDS = [
    ["calc", "--region", "毕节", "--year", "2025", "--member", "45", "--member", "70", "--lang", "zh"],
    ["history", "--region", "cn", "--from", "2004", "--to", "2026", "--lang", "zh"],
    ["compare", "--year", "2025", "--all", "--lang", "zh"],
    ["rates", "explain", "毕节", "2025", "--lang", "zh"],
    ["calc", "--region", "Atlantis", "--year", "2025", "--member", "40", "--lang", "zh"],
]


def _run(args: list[str], encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "120"}
    env.pop("PREMIUM_CALC_RATES", None)
    command = [sys.executable, "-m", "premium_calc", *args]
    return subprocess.run(command, capture_output=True, env=env, check=False)


@pytest.mark.parametrize("encoding", ["gbk", "cp1252", "ascii"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_no_encoding_crashes(args: list[str], encoding: str) -> None:
    done = _run(args, encoding)
    # On an ASCII stream click itself switches to UTF-8 (it treats an ASCII locale as
    # misconfigured), which is valid too.
    shown = "utf-8" if encoding == "ascii" else encoding
    err = done.stderr.decode(shown, errors="strict")
    assert "Traceback" not in err and "UnicodeEncodeError" not in err
    assert done.returncode == (2 if "Atlantis" in args else 0)
    done.stdout.decode(shown, errors="strict")  # every byte is valid in the console's encoding


def test_gbk_keeps_chinese_and_replaces_the_low_confidence_mark() -> None:
    out = _run(COMMANDS[0], "gbk").stdout.decode("gbk")
    assert "毕节市" in out and "待遇年度" in out
    assert "400?" in out and "†" not in out  # the low-confidence mark's stand-in
    assert "? 可信度低" in out  # ...and the legend explains it


def test_stand_ins() -> None:
    assert mark_text("≥ 670 † ‖ ██▌ 毕节", "ascii") == ">= 670 ? || ### ??"
    assert mark_text("≥ 670 † 毕节", "gbk") == "≥ 670 ? 毕节"
    assert mark_text("≥ 670 † 毕节", "utf-8") == "≥ 670 † 毕节"
