"""Edits refuse to write into an installed package's rates or another checkout's unless asked
(``allow_outside`` / ``--allow-outside``); the user's own rate directories are always allowed.
Results computed with the user's own rate files carry a "custom rates: FILE" line and a
``custom_rates`` field."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import premium_calc.ratebook.book as book_module
import premium_calc.ratefiles.reading as reading
from premium_calc.cli import app
from premium_calc.errors import EditError
from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.reading import bundled_rates_dir
from premium_calc.render.custom_rates import watch
from premium_calc.upkeep.new_region import new_region
from premium_calc.upkeep.new_year import new_year
from premium_calc.upkeep.set_value import set_value

runner = CliRunner()
PYPROJECT = '[project]\nname = "premium-calc"\nversion = "0"\n'
BIJIE = "cn/guizhou/bijie.toml"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _no_watched_book() -> Iterator[None]:
    yield
    watch(None)


def bundle_at(monkeypatch: pytest.MonkeyPatch, rates: Path) -> Path:
    """Make ``rates`` (a copy of the shipped tree) the bundled rates the book and the guard see."""
    shutil.copytree(bundled_rates_dir(), rates)
    monkeypatch.setattr(reading, "bundled_rates_dir", lambda: rates)
    monkeypatch.setattr(book_module, "bundled_rates_dir", lambda: rates)
    return rates


def checkout(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return root


def test_an_installed_package_is_refused_unless_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rates = bundle_at(monkeypatch, tmp_path / "venv/lib/site-packages/premium_calc/rates")
    monkeypatch.chdir(checkout(tmp_path / "mine"))
    before = (rates / BIJIE).read_bytes()
    with pytest.raises(EditError, match="installed package") as err:
        set_value(RateBook(use_env=False), "毕节", 2026, "note", "x")
    assert "--rates-dir" in str(err.value) and "--allow-outside" in str(err.value)
    with pytest.raises(EditError, match="installed package"):
        new_year(RateBook(use_env=False), "毕节", 2026, 2027)
    assert (rates / BIJIE).read_bytes() == before
    code, _, stderr = run("rates", "set", "毕节", "2026", "note", "x")
    assert code == 2 and "installed package" in stderr and len(stderr.strip().splitlines()) == 1
    code, _, stderr = run("rates", "new-region", "宜宾市")
    assert code == 2 and "installed package" in stderr
    assert (rates / BIJIE).read_bytes() == before and not (rates / "cn/sichuan/yibin.toml").exists()
    # a dry run writes nothing, so it may look
    assert set_value(RateBook(use_env=False), "毕节", 2026, "note", "x", dry_run=True).changed
    code, _, stderr = run("rates", "set", "毕节", "2026", "note", "x", "--allow-outside")
    assert code == 0, stderr
    assert (rates / BIJIE).read_bytes() != before
    assert new_region(RateBook(use_env=False), "宜宾市", allow_outside=True).written


def test_a_checkout_without_pyproject_counts_as_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle_at(monkeypatch, tmp_path / "somewhere/premium_calc/rates")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(EditError, match="installed package"):
        set_value(RateBook(use_env=False), "毕节", 2026, "note", "x")


def test_another_checkout_is_refused_unless_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = checkout(tmp_path / "other")
    rates = bundle_at(monkeypatch, other / "rates")
    monkeypatch.chdir(checkout(tmp_path / "mine"))
    with pytest.raises(EditError, match="belongs to another checkout") as err:
        set_value(RateBook(use_env=False), "毕节", 2026, "note", "x")
    assert str(other.resolve()) in str(err.value)
    code, _, stderr = run("rates", "new-year", "毕节", "--from", "2026", "--year", "2027", "--lang", "zh")
    assert code == 2 and "--allow-outside" in stderr and len(stderr.strip().splitlines()) == 1
    assert set_value(RateBook(use_env=False), "毕节", 2026, "note", "x", allow_outside=True).written
    code, _, stderr = run("rates", "new-year", "毕节", "--from", "2026", "--year", "2027", "--allow-outside")
    assert code == 0, stderr
    # inside that checkout (any folder of it), its rates are the ones to edit
    monkeypatch.chdir(other / "rates" / "cn")
    assert set_value(RateBook(use_env=False), "毕节", 2026, "note", "y").written
    assert 'note = "y"' in (rates / BIJIE).read_text(encoding="utf-8")


def test_the_users_own_directories_are_always_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle_at(monkeypatch, tmp_path / "site-packages/premium_calc/rates")
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "myrates"
    (mine / "cn/guizhou").mkdir(parents=True)
    shutil.copy(bundled_rates_dir() / BIJIE, mine / BIJIE)
    assert set_value(RateBook([mine], use_env=False), "毕节", 2026, "note", "x").written
    assert set_value(mine, "毕节", 2026, "note", "z").written  # a directory given as such
    code, _, stderr = run("rates", "new-region", "翠屏区", "--rates-dir", str(mine))
    assert code == 0, stderr
    monkeypatch.setenv("PREMIUM_CALC_RATES", str(mine))
    assert set_value(RateBook(), "毕节", 2026, "note", "w").written


# -- custom rates


def overlay(tmp_path: Path) -> Path:
    """A copy of Bijie's file with a changed amount (the official source title kept)."""
    mine = tmp_path / "myrates"
    (mine / "cn/guizhou").mkdir(parents=True)
    shutil.copy(bundled_rates_dir() / "cn/guizhou.toml", mine / "cn/guizhou.toml")
    set_value(mine, "贵州", 2026, "category.resident.individual", "420", source_url="https://example.org/n")
    return mine


CALC = ("calc", "--region", "毕节", "--year", "2026", "--member", "40", "--income", "20000")


def test_calc_with_an_overlay_names_it(tmp_path: Path) -> None:
    mine = overlay(tmp_path)
    code, out, err = run(*CALC, "--rates-dir", str(mine))
    assert code == 0, err
    out = re.sub(r"\n\s*", "", out)  # the console wraps long lines (continuations indented)
    assert "custom rates:" in out and "guizhou.toml" in out and "your own rate files" in out
    code, out, _ = run(*CALC, "--rates-dir", str(mine), "--lang", "zh")
    assert "自定义费率：" in out
    code, out, _ = run(*CALC, "--rates-dir", str(mine), "--json")
    data = json.loads(out)
    assert [Path(f).name for f in data["custom_rates"]] == ["guizhou.toml"]
    assert data["total_paid"] == "420"


def test_calc_without_an_overlay_names_none(tmp_path: Path) -> None:
    code, out, _ = run(*CALC)
    assert code == 0 and "custom rates" not in out
    code, out, _ = run(*CALC, "--json")
    assert json.loads(out)["custom_rates"] == []
    # an overlay that sets nothing the calculation uses is not named
    mine = tmp_path / "other"
    mine.mkdir()
    shutil.copy(bundled_rates_dir() / "cn/guizhou/bijie.toml", mine / "elsewhere.toml")
    (mine / "elsewhere.toml").write_text(
        (mine / "elsewhere.toml")
        .read_text(encoding="utf-8")
        .replace("毕节", "别处")
        .replace("Bijie", "Elsewhere"),
        encoding="utf-8",
    )
    code, out, err = run(*CALC, "--rates-dir", str(mine))
    assert code == 0 and "custom rates" not in out, err


def test_history_compare_and_worth_name_the_overlay(tmp_path: Path) -> None:
    mine = overlay(tmp_path)
    commands = [
        ("history", "--region", "贵州", "--from", "2024", "--to", "2026", "--no-chart"),
        ("compare", "--year", "2026", "--region", "贵州", "--region", "北京", "--no-chart"),
        ("worth", "--region", "毕节", "--year", "2026", "--member", "40", "--income", "20000"),
    ]
    for args in commands:
        code, out, err = run(*args, "--rates-dir", str(mine))
        assert code == 0, (args, err)
        assert "custom rates:" in out, args
        code, out, err = run(*args, "--rates-dir", str(mine), "--json")
        assert code == 0, (args, err)
        assert [Path(f).name for f in json.loads(out)["custom_rates"]] == ["guizhou.toml"], args
    code, out, _ = run(*commands[1])
    assert code == 0 and "custom rates" not in out
