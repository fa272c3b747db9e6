"""Choosing the language (``--lang``, ``PREMIUM_CALC_LANG``, the locale) and localised ``--help``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.cli.helpformat import CLICK_TEXTS, cells, first_sentence, wrap
from premium_calc.cli.language import (
    LANG,
    LOCALE_VARS,
    from_argv,
    from_locale,
    normalise,
    pick_language,
)
from premium_calc.messages import has, tr

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
LANGUAGE_VARS = ("PREMIUM_CALC_LANG", *LOCALE_VARS)
CALC = ("calc", "--region", "毕节", "--year", "2025", "--member", "45")
CJK = re.compile(r"[\u4e00-\u9fff]")

#: Whether the catalog has the help texts yet (until then ``tr`` shows their keys).
HELP_IN_CATALOG = has("cli.help.app") and has("cli.help.member")
HELP_IN_CHINESE = HELP_IN_CATALOG and tr("cli.help.calc", "zh") != tr("cli.help.calc", "en")
needs_help_texts = pytest.mark.skipif(not HELP_IN_CATALOG, reason="cli.help.* not in the catalog yet")
needs_chinese_help = pytest.mark.skipif(not HELP_IN_CHINESE, reason="no Chinese cli.help.* texts yet")


@pytest.fixture
def no_language_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """An environment that names no language."""
    for name in LANGUAGE_VARS:
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- choosing the language ----------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["zh", "zh-CN", "zh_CN", "zh-Hans", "ZH", "cn", "zh_CN.UTF-8", "zh-TW"])
def test_chinese_spellings(spelling: str) -> None:
    assert normalise(spelling) == "zh"


@pytest.mark.parametrize("spelling", ["en", "en-US", "en_GB", "EN", "en_US.UTF-8"])
def test_english_spellings(spelling: str) -> None:
    assert normalise(spelling) == "en"


@pytest.mark.parametrize("spelling", ["xx", "", "C", "POSIX", "fr_FR.UTF-8", "de"])
def test_other_values_name_no_language(spelling: str) -> None:
    assert normalise(spelling) is None


def test_lang_in_argv() -> None:
    assert from_argv(["calc", "--lang", "zh-CN"]) == "zh"
    assert from_argv(["--lang=en_GB", "calc"]) == "en"
    assert from_argv(["--lang", "zh", "calc", "--lang", "en"]) == "en"  # the last one counts
    assert from_argv(["--lang", "zh", "calc", "--lang", "xx"]) == "zh"  # a bad one is passed over
    assert from_argv(["calc", "--", "--lang", "zh"]) is None
    assert from_argv(["calc", "--lang"]) is None
    assert from_argv(["calc", "--language", "zh"]) is None


def test_locale_variables() -> None:
    assert from_locale({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert from_locale({"LANG": "C.UTF-8"}) == "en"
    assert from_locale({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"  # LC_ALL comes first
    assert from_locale({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert from_locale({"LANGUAGE": "zh_CN:en_US"}) == "zh"
    assert from_locale({"LANG": ""}) is None
    assert from_locale({}) is None


def test_precedence_argv_then_env_var_then_locale_then_english() -> None:
    env = {"PREMIUM_CALC_LANG": "en", "LANG": "zh_CN.UTF-8"}
    assert pick_language(["--lang", "zh"], env) == "zh"
    assert pick_language(["--lang=en"], {"PREMIUM_CALC_LANG": "zh"}) == "en"
    assert pick_language([], env) == "en"
    assert pick_language([], {"PREMIUM_CALC_LANG": "zh-Hans", "LANG": "en_US.UTF-8"}) == "zh"
    assert pick_language([], {"PREMIUM_CALC_LANG": "xx", "LANG": "zh_CN.UTF-8"}) == "zh"
    assert pick_language([], {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert pick_language([], {"LANG": "de_DE.UTF-8"}) == "en"
    assert pick_language(["--lang", "xx"], {}) == "en"
    assert pick_language([], {}) == "en"


# --- --lang of the commands -----------------------------------------------------------------


def test_default_is_english_when_nothing_names_a_language(no_language_env: pytest.MonkeyPatch) -> None:
    code, out, _ = run(*CALC)
    assert code == 0
    assert out == run(*CALC, "--lang", "en")[1]
    assert out != run(*CALC, "--lang", "zh")[1]


@pytest.mark.parametrize("spelling", ["zh-CN", "zh_CN", "zh-Hans", "ZH", "cn"])
def test_lang_accepts_other_spellings(no_language_env: pytest.MonkeyPatch, spelling: str) -> None:
    code, out, _ = run(*CALC, "--lang", spelling)
    assert code == 0
    assert out == run(*CALC, "--lang", "zh")[1]
    assert run(*CALC, f"--lang={spelling}")[1] == out


@pytest.mark.parametrize("spelling", ["en-US", "en_GB", "EN"])
def test_lang_accepts_english_spellings(no_language_env: pytest.MonkeyPatch, spelling: str) -> None:
    code, out, _ = run(*CALC, "--lang", spelling)
    assert code == 0
    assert out == run(*CALC, "--lang", "en")[1]


@pytest.mark.parametrize("args", [(*CALC, "--lang", "xx"), ("--lang", "xx", *CALC), ("regions", "--lang=fr")])
def test_bad_lang_is_a_one_line_error(no_language_env: pytest.MonkeyPatch, args: tuple[str, ...]) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    if has("cli.bad_lang"):
        assert "'xx'" in err or "'fr'" in err
        assert "zh" in err and "en" in err


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PREMIUM_CALC_LANG", "zh"),
        ("PREMIUM_CALC_LANG", "zh-CN"),
        ("LANG", "zh_CN.UTF-8"),
        ("LC_ALL", "zh_CN"),
    ],
)
def test_environment_chooses_the_default(
    no_language_env: pytest.MonkeyPatch, name: str, value: str
) -> None:
    no_language_env.setenv(name, value)
    code, out, _ = run(*CALC)
    assert code == 0
    assert out == run(*CALC, "--lang", "zh")[1]


def test_given_lang_beats_the_environment(no_language_env: pytest.MonkeyPatch) -> None:
    english, chinese = run(*CALC, "--lang", "en")[1], run(*CALC, "--lang", "zh")[1]
    no_language_env.setenv("PREMIUM_CALC_LANG", "zh")
    assert run(*CALC, "--lang", "en")[1] == english
    no_language_env.setenv("PREMIUM_CALC_LANG", "en")
    no_language_env.setenv("LANG", "zh_CN.UTF-8")
    assert run(*CALC)[1] == english  # PREMIUM_CALC_LANG before the locale
    no_language_env.delenv("PREMIUM_CALC_LANG")
    assert run(*CALC)[1] == chinese  # now the locale decides


def test_lang_before_the_command_is_its_default(no_language_env: pytest.MonkeyPatch) -> None:
    chinese = run(*CALC, "--lang", "zh")[1]
    assert run("--lang", "zh-CN", *CALC)[1] == chinese
    assert run("--lang", "zh", *CALC, "--lang", "en")[1] == run(*CALC, "--lang", "en")[1]


def test_errors_follow_the_chosen_language(no_language_env: pytest.MonkeyPatch) -> None:
    args = ("calc", "--region", "nowhere", "--year", "2025", "--member", "45")
    assert run(*args)[2] == run(*args, "--lang", "en")[2]
    no_language_env.setenv("PREMIUM_CALC_LANG", "zh")
    code, _, err = run(*args)
    assert code == 2
    assert err == run(*args, "--lang", "zh")[2]


# --- --help -----------------------------------------------------------------------------------


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and group: (), ("calc",), ("rates",), ("rates", "set"), ..."""
    paths: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


COMMANDS = _command_paths()


def test_every_command_is_found() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"", "calc", "regions", "batch", "history", "compare", "rates", "rates set"} <= names
    assert len(COMMANDS) >= 15


@needs_help_texts
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "app")
def test_help_has_no_missing_keys(path: tuple[str, ...]) -> None:
    code, out, _ = run(*path, "--help")
    assert code == 0
    assert "cli.help." not in out and "cli.click." not in out
    assert "--help" in out


@needs_help_texts
@pytest.mark.skipif(LANG != "en", reason="the help language of this test run is not English")
def test_english_help_is_unchanged() -> None:
    calc = run("calc", "--help")[1]
    assert "What a household pays for resident medical insurance, and how heavy that is." in calc
    assert "Region id (cn/guizhou/bijie), name (毕节, Bijie)," in calc
    assert "Language of labels: zh or en.  [default: en]" in calc
    assert "Show this message and exit." in calc and calc.startswith("Usage: ")
    top = run("--help")[1]
    assert "Can we still afford resident medical insurance?" in top
    assert re.search(r"\n  calc +What a household pays for resident medical insurance", top)
    assert re.search(r"\n  population +Price a whole population and summarise it", top)
    rates = run("rates", "--help")[1]
    assert "Work with rate files: validate, show, explain, diff, edit, coverage, schema." in rates


_HELP_PAGES = """
import json, sys
from typer.testing import CliRunner
from premium_calc.cli import app
runner = CliRunner()
pages = {}
for path in json.loads(sys.argv[1]):
    result = runner.invoke(app, [*path, "--help"])
    pages[" ".join(path)] = [result.exit_code, result.stdout]
print(json.dumps(pages))
"""


def _subprocess_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARS}
    env.update(values, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return env


@pytest.fixture(scope="module")
def chinese_help() -> dict[str, tuple[int, str]]:
    """Every help page, in a process started with PREMIUM_CALC_LANG=zh."""
    paths = json.dumps([list(p) for p in COMMANDS])
    done = subprocess.run(
        [sys.executable, "-c", _HELP_PAGES, paths],
        capture_output=True, text=True, encoding="utf-8", env=_subprocess_env(PREMIUM_CALC_LANG="zh"),
        check=True, cwd=ROOT,
    )
    return {k: (v[0], v[1]) for k, v in json.loads(done.stdout).items()}


@needs_chinese_help
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "app")
def test_chinese_help_is_chinese(chinese_help: dict[str, tuple[int, str]], path: tuple[str, ...]) -> None:
    code, out = chinese_help[" ".join(path)]
    assert code == 0
    assert "cli.help." not in out and "cli.click." not in out
    assert out.startswith(tr("cli.click.usage", "zh"))
    assert tr("cli.click.help", "zh") in out
    assert "Show this message" not in out
    description = out.split("\n\n")[1]
    assert CJK.search(description), description
    assert not re.search(r"^  [\w-]+ +\.\.\.$", out, re.M)  # click's cut of a text without spaces


@needs_chinese_help
def test_lang_on_the_command_line_chooses_the_help_language() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "premium_calc", "--lang", "zh", "rates", "set", "--help"],
        capture_output=True, text=True, encoding="utf-8", env=_subprocess_env(LANG="C.UTF-8"),
        check=True, cwd=ROOT,
    )
    assert tr("cli.help.rates.set.year", "zh") in done.stdout
    assert "category.ID.tiers.TIER" in done.stdout


def test_click_words_are_in_the_catalog_or_not_yet() -> None:
    present = [key for key in CLICK_TEXTS.values() if has(key)]
    assert present == [] or present == list(CLICK_TEXTS.values())
    for english, key in CLICK_TEXTS.items():
        if has(key):
            assert tr(key, "en") == english


# --- wrapping by width on screen --------------------------------------------------------


def test_wrap_measures_chinese_in_columns() -> None:
    text = tr("cli.help.app", "zh") if HELP_IN_CHINESE else "居民医保还交得起吗？" * 8
    lines = wrap(text, 40, "  ", "  ").splitlines()
    assert len(lines) > 1
    assert all(cells(line) <= 40 for line in lines)
    assert not any(line.strip()[0] in "，。、；：）" for line in lines)
    assert "".join(line.strip() for line in lines) == text.replace(" ", "")


def test_wrap_keeps_words_spaces_and_brackets() -> None:
    text = "每个人写一次：年龄 AGE[:flag,...] 或出生日期 BIRTHDATE[:flag,...]，例如 45。  [默认：rural]"
    for width in range(24, 60):  # wider than the widest word
        lines = wrap(text, width).splitlines()
        joined = " ".join(lines)
        assert "AGE[:flag,...]" in joined and "BIRTHDATE[:flag,...]，" in joined
        assert "[默认：rural]" in joined
        assert all(cells(line) <= width for line in lines)
    assert wrap(text, 200) == text


def test_wrap_keeps_paragraphs() -> None:
    text = "算一家人交居民医保要花多少钱。\n\n例如：premium-calc calc --member 45"
    assert wrap(text, 80, preserve_paragraphs=True) == text


def test_first_sentence() -> None:
    assert first_sentence("列出所有地区。第二句。\n\n例如") == "列出所有地区"
    assert first_sentence("没有句号") == "没有句号"
