"""Data releases (``premium-calc rates release``) and the ledger check of ``snapshot --check``,
on a temporary copy of the checkout's rate tree, snapshot and ledger (never the real files)."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import EditError
from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.reading import bundled_rates_dir
from premium_calc.snapshot import main as snapshot_main
from premium_calc.upkeep.release import checkout_root, next_version, release
from premium_calc.upkeep.snapshot import (
    RELEASE,
    build_snapshot,
    check_snapshot,
    default_path,
    digest,
    ledger_path,
    read_ledger,
    render_snapshot,
)

runner = CliRunner()
TODAY = datetime.date(2026, 12, 3)
REGION, YEAR, KEY = "cn/hunan", "2026", "categories.resident.individual"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the checkout: rates/, tests/snapshots/ (the snapshot made from the copied rates,
    released in the ledger as the copy's DATA_VERSION) and a pyproject.toml of premium-calc."""
    root = tmp_path / "checkout"
    shutil.copytree(bundled_rates_dir(), root / "rates")
    (root / "pyproject.toml").write_text('[project]\nname = "premium-calc"\n', encoding="utf-8")
    snapshot = root / "tests" / "snapshots" / "resolved.json"
    snapshot.parent.mkdir(parents=True)
    assert snapshot_main(["--rates-dir", str(root / "rates"), "--output", str(snapshot), "--lang", "en"]) == 0
    return root


def _snapshot(root: Path) -> Path:
    return root / "tests" / "snapshots" / "resolved.json"


def _version(root: Path) -> str:
    return (root / "rates" / "DATA_VERSION").read_text(encoding="utf-8").strip()


def _check(root: Path) -> list[str]:
    """The keys of the problems ``snapshot --check`` finds in the copy."""
    path = _snapshot(root)
    current = build_snapshot(RateBook(root / "rates", include_bundled=False, use_env=False))
    stored = json.loads(path.read_text(encoding="utf-8"))
    result = check_snapshot(
        current, stored, read_ledger(ledger_path(path)), path=path, ledger=ledger_path(path)
    )
    return [p.key for p in result.problems]


def _change_hunan(root: Path) -> tuple[str, str]:
    """Raise Hunan 2026's individual amount by 20 in the copy; the old and new amounts."""
    current = build_snapshot(RateBook(root / "rates", include_bundled=False, use_env=False))
    old = current["regions"][REGION][YEAR]["categories"]["resident"]["individual"]
    new = str(int(old) + 20)
    path = root / "rates" / "cn" / "hunan.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == f"coverage = {YEAR}")
    at = next(i for i in range(start, len(lines)) if lines[i].strip() == f"individual = {old}")
    lines[at] = lines[at].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")
    return old, new


def _check_cli(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = snapshot_main(
        ["--check", "--rates-dir", str(root / "rates"), "--output", str(_snapshot(root)), "--lang", "en"]
    )
    return code, capsys.readouterr().err


# --- the next version ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "today", "expected"),
    [
        ("2026.12.1", datetime.date(2026, 12, 3), "2026.12.2"),  # same month: count up
        ("2026.12.9", datetime.date(2026, 12, 31), "2026.12.10"),
        ("2026.11.4", datetime.date(2026, 12, 1), "2026.12.1"),  # a new month starts at 1
        ("2026.12.2", datetime.date(2027, 1, 15), "2027.01.1"),  # a new year too, month padded
        ("2026.7.3", datetime.date(2026, 7, 20), "2026.07.4"),
        ("2026.12.1", datetime.date(2026, 6, 1), "2026.12.2"),  # dated ahead: never go back
    ],
)
def test_next_version(current: str, today: datetime.date, expected: str) -> None:
    assert next_version(current, today) == expected


@pytest.mark.parametrize("current", ["unknown", "2026.13.1", "2026.12", "v2026.12.1", ""])
def test_next_version_of_a_version_not_of_the_form(current: str) -> None:
    with pytest.raises(EditError, match="give --version"):
        next_version(current, TODAY)


# --- check, release, check -----------------------------------------------------------------------


def test_fresh_copy_checks_clean(checkout: Path) -> None:
    assert _check(checkout) == []


def test_change_check_release_check(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _version(checkout)
    old, new = _change_hunan(checkout)

    # A changed value while DATA_VERSION stays: the check fails with the version message.
    assert _check(checkout) == ["snapshot.values_changed"]
    code, err = _check_cli(checkout, capsys)
    assert code == 1
    assert f"resolved values changed but DATA_VERSION is still {before}: run the release command" in err
    assert f"{REGION} {YEAR}: {KEY}: '{old}' -> '{new}'" in err

    # A dry run says what would change and writes nothing.
    snapshot_text = _snapshot(checkout).read_text(encoding="utf-8")
    dry = release(checkout / "rates", today=TODAY, dry_run=True)
    assert (dry.old_version, dry.new_version, dry.written) == (before, next_version(before, TODAY), False)
    assert _version(checkout) == before
    assert _snapshot(checkout).read_text(encoding="utf-8") == snapshot_text

    # The release: version bumped, snapshot and ledger written, exactly the one value listed.
    done = release(checkout / "rates", today=TODAY)
    assert done.written and done.new_version == dry.new_version
    assert [(c.region, c.year, c.key, c.old, c.new) for c in done.changes] == [(REGION, YEAR, KEY, old, new)]
    assert done.changes == dry.changes
    assert (done.changed, done.added, done.removed) == (((REGION, YEAR),), (), ())
    assert _version(checkout) == done.new_version
    stored = json.loads(_snapshot(checkout).read_text(encoding="utf-8"))
    assert stored["data_version"] == done.new_version
    assert stored["regions"][REGION][YEAR]["categories"]["resident"]["individual"] == new
    releases = read_ledger(ledger_path(_snapshot(checkout)))
    assert set(releases) == {before, done.new_version}
    assert releases[done.new_version]["digest"] == digest(stored) != releases[before]["digest"]

    # Now the check passes, and releasing the same version again is refused.
    assert _check(checkout) == []
    assert _check_cli(checkout, capsys)[0] == 0
    with pytest.raises(EditError, match="already released"):
        release(checkout / "rates", version=done.new_version, today=TODAY)


def test_regenerating_without_a_bump_is_caught(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    version = _version(checkout)
    ledger_before = ledger_path(_snapshot(checkout)).read_text(encoding="utf-8")
    _change_hunan(checkout)
    capsys.readouterr()
    # Regenerating writes the snapshot but does not touch the released version's digest ...
    code = snapshot_main(
        ["--rates-dir", str(checkout / "rates"), "--output", str(_snapshot(checkout)), "--lang", "en"]
    )
    assert code == 1
    assert f"DATA_VERSION is still {version}" in capsys.readouterr().err
    assert ledger_path(_snapshot(checkout)).read_text(encoding="utf-8") == ledger_before
    # ... so the snapshot now matches the rate files, yet the check still fails.
    assert _check(checkout) == ["snapshot.regenerated"]
    code, err = _check_cli(checkout, capsys)
    assert code == 1
    assert f"resolved values changed but DATA_VERSION is still {version}: run the release command" in err
    assert "regenerated without a version bump" in err
    # A release mends it.
    release(checkout / "rates", today=TODAY)
    assert _check(checkout) == []


def test_a_bump_by_hand_needs_the_snapshot_and_the_ledger(checkout: Path) -> None:
    (checkout / "rates" / "DATA_VERSION").write_text("2099.01.1\n", encoding="utf-8")
    assert _check(checkout) == ["snapshot.stale", "snapshot.not_released"]
    # Regenerating records the new version: a bump by hand plus a regeneration is a release.
    assert snapshot_main(["--rates-dir", str(checkout / "rates"), "--output", str(_snapshot(checkout))]) == 0
    assert _check(checkout) == []
    # Going back to an older version than released is caught.
    (checkout / "rates" / "DATA_VERSION").write_text("2000.01.1\n", encoding="utf-8")
    assert "snapshot.behind" in _check(checkout)


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("2026-12-2", "expected YEAR.MONTH.N"),
        ("2026.13.1", "expected YEAR.MONTH.N"),
        ("2000.01.1", "not newer"),
    ],
)
def test_bad_versions_are_refused_and_nothing_is_written(checkout: Path, version: str, message: str) -> None:
    before = _version(checkout)
    with pytest.raises(EditError, match=message):
        release(checkout / "rates", version=version)
    assert _version(checkout) == before


def test_an_explicit_version_and_a_release_without_changes(checkout: Path) -> None:
    done = release(checkout / "rates", version="2099.1.1")
    assert done.new_version == "2099.01.1" == _version(checkout)
    assert done.changes == () and done.added == () and done.removed == ()
    assert _check(checkout) == []


def test_added_and_removed_region_years(checkout: Path) -> None:
    stored = json.loads(_snapshot(checkout).read_text(encoding="utf-8"))
    stored["regions"]["cn/nowhere"] = {"2025": {"confidence": "low"}}
    gone = stored["regions"][REGION].pop(YEAR)
    assert gone
    _snapshot(checkout).write_text(render_snapshot(stored), encoding="utf-8")
    result = release(checkout / "rates", today=TODAY, dry_run=True)
    assert result.added == ((REGION, YEAR),)
    assert result.removed == (("cn/nowhere", "2025"),)
    assert result.changes == ()


# --- only in a source checkout ----------------------------------------------------------------


def test_the_real_tree_is_a_checkout() -> None:
    root = checkout_root(bundled_rates_dir())
    assert root / "tests" / "snapshots" / "resolved.json" == default_path()


def test_refused_inside_an_installed_package(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "premium_calc"
    shutil.copytree(bundled_rates_dir(), package / "rates")
    (package / "__init__.py").write_text("", encoding="utf-8")
    with pytest.raises(EditError, match="inside the installed package"):
        release(package / "rates", dry_run=True)
    assert not (package / "tests").exists()


def test_refused_without_the_projects_pyproject(tmp_path: Path) -> None:
    shutil.copytree(bundled_rates_dir(), tmp_path / "rates")
    with pytest.raises(EditError, match=r"no pyproject\.toml of premium-calc"):
        release(tmp_path / "rates", dry_run=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    with pytest.raises(EditError, match="not the rate tree of a source checkout"):
        release(tmp_path / "rates", dry_run=True)
    with pytest.raises(EditError, match=r"no cn\.toml"):
        release(tmp_path, dry_run=True)


# --- the command ------------------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["rates", "release", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_dry_run_then_release(checkout: Path) -> None:
    before = _version(checkout)
    old, new = _change_hunan(checkout)
    code, out, _ = invoke(
        "--dry-run", "--rates-dir", str(checkout / "rates"), "--lang", "en", "--version", "2099.1.1"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"data release {before} -> 2099.01.1 (dry run: nothing written)"
    assert f"  {REGION} {YEAR}: {KEY}: {old} -> {new}" in lines
    assert "region-years: 1 changed, 0 added, 0 removed; values changed: 1" in lines
    assert any(line.startswith("would write ") and line.endswith("DATA_VERSION") for line in lines)
    assert _version(checkout) == before

    code, out, _ = invoke("--rates-dir", str(checkout / "rates"), "--json", "--version", "2099.1.1")
    assert code == 0
    data = json.loads(out)
    assert (data["old_version"], data["new_version"], data["written"]) == (before, "2099.01.1", True)
    assert data["counts"] == {"changed": 1, "added": 0, "removed": 0, "values": 1}
    assert data["changes"] == [{"region": REGION, "year": YEAR, "key": KEY, "old": old, "new": new}]
    assert _version(checkout) == "2099.01.1"
    assert _check(checkout) == []


def test_cli_chinese() -> None:
    # The real tree, dry run only: nothing is written.
    code, out, _ = invoke("--dry-run", "--lang", "zh", "--version", "2999.01.1")
    assert code == 0
    assert out.startswith("数据发布 ") and "（试运行：不写文件）" in out.splitlines()[0]


def test_cli_refusals_are_one_line_exit_2(tmp_path: Path, checkout: Path) -> None:
    package = tmp_path / "pkg" / "premium_calc"
    shutil.copytree(checkout / "rates", package / "rates")
    (package / "__init__.py").write_text("", encoding="utf-8")
    code, out, err = invoke("--rates-dir", str(package / "rates"), "--lang", "en")
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and "inside the installed package" in err and err.count("\n") == 1
    code, _, err = invoke("--rates-dir", str(checkout / "rates"), "--version", "soon")
    assert code == 2 and "expected YEAR.MONTH.N" in err and err.count("\n") == 1


def test_release_command_is_named_in_the_check_messages() -> None:
    assert RELEASE == "premium-calc rates release"
