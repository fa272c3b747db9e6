"""Golden snapshot: the resolved rate book must equal tests/snapshots/resolved.json.

A failure here means a rate file changed a figure, a rule or a confidence. Review the diff the
message shows; if the change is intended, release it with ``premium-calc rates release`` (it bumps
rates/DATA_VERSION, regenerates the snapshot and records the version in the ledger
tests/snapshots/releases.json), then commit all three. The ledger check is tested on copies in
tests/test_release.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from premium_calc import RateBook
from premium_calc.snapshot import main
from premium_calc.units import exact_text as money
from premium_calc.upkeep.snapshot import (
    RELEASE,
    build_snapshot,
    check_snapshot,
    default_path,
    diff_snapshots,
    ledger_path,
    read_ledger,
    render_ledger,
    render_snapshot,
    stale_summary,
)

SNAPSHOT = Path(__file__).parent / "snapshots" / "resolved.json"
LEDGER = Path(__file__).parent / "snapshots" / "releases.json"


@pytest.fixture(scope="module")
def current() -> dict[str, Any]:
    return build_snapshot(RateBook(use_env=False))


@pytest.fixture(scope="module")
def stored() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return data


def test_snapshot_matches_the_rate_files(current: dict[str, Any], stored: dict[str, Any]) -> None:
    summary = stale_summary(stored, current)
    assert not summary, summary


def test_data_version_is_released_with_these_values(current: dict[str, Any], stored: dict[str, Any]) -> None:
    # DATA_VERSION is in the ledger with the digest of exactly these resolved values.
    result = check_snapshot(current, stored, read_ledger(LEDGER), path=SNAPSHOT, ledger=LEDGER)
    assert result.ok, "; ".join(p.text("en") for p in result.problems)
    assert ledger_path(default_path()) == LEDGER.resolve()
    assert LEDGER.read_text(encoding="utf-8") == render_ledger(read_ledger(LEDGER))


def test_snapshot_file_is_in_the_stable_format(current: dict[str, Any]) -> None:
    # Byte for byte what the generator writes: regenerating an up-to-date snapshot is a no-op.
    assert SNAPSHOT.read_text(encoding="utf-8") == render_snapshot(current), (
        "tests/snapshots/resolved.json is not in the generator's format; run python -m premium_calc.snapshot"
    )
    assert default_path() == SNAPSHOT.resolve()


def test_snapshot_covers_every_region_year(current: dict[str, Any]) -> None:
    book = RateBook(use_env=False)
    expected = {(r, str(y)) for r in book.region_ids() for y in book.years(r)}
    got = {(r, y) for r, years in current["regions"].items() for y in years}
    assert got == expected
    assert "cn/hainan" not in current["regions"]  # no sourced year, so nothing to snapshot


def test_snapshot_values_worked_by_hand(current: dict[str, Any]) -> None:
    regions = current["regions"]
    # Tibet 2025: tiers low 220 / high 400, default the cheapest (low).
    tibet = regions["cn/xizang"]["2025"]
    assert tibet["categories"]["resident"]["tiers"] == {"low": "220", "high": "400"}
    assert tibet["default_tier"] == "low"
    # Shenzhen 2025 adults: 6409 x 0.7% x 12 = 538.356 -> "538.36", an exact string.
    assert regions["cn/guangdong/shenzhen"]["2025"]["categories"]["adult"]["individual"] == "538.36"
    # Shenyang 2026 near-dibao: pays 40% of the gross.
    assert regions["cn/liaoning/shenyang"]["2026"]["assisted"]["dibao_edge"]["pays_share"] == "40%"
    # Qinghai 2026: late enrollment 1100 from 2026-07-01.
    late = regions["cn/qinghai"]["2026"]["late"]
    assert late == {"amount": "1100", "start": "2026-07-01", "confidence": "high"}
    # Jilin 2025: 410 includes 10 of long-term-care insurance.
    assert regions["cn/jilin"]["2025"]["categories"]["resident"]["includes"] == {"ltc": "10"}
    # Bijie 2024 inherits Guizhou's 380 and window.
    bijie = regions["cn/guizhou/bijie"]["2024"]
    assert bijie["categories"]["resident"]["individual"] == "380"
    assert bijie["collection"] == {"start": "2023-09-01", "end": "2024-02-29"}


@pytest.mark.parametrize(
    ("value", "text"),
    [("400", "400"), ("400.00", "400"), ("538.36", "538.36"), ("0.50", "0.5"), ("0", "0"), ("1E+3", "1000")],
)
def test_money_is_an_exact_stable_string(value: str, text: str) -> None:
    from decimal import Decimal

    assert money(Decimal(value)) == text


def test_a_changed_figure_is_named_with_the_command(current: dict[str, Any]) -> None:
    old = copy.deepcopy(current)
    old["regions"]["cn/tianjin"]["2025"]["assisted"]["dibao_edge_disabled"] = {"pays": "40"}
    lines = diff_snapshots(old, current)
    assert lines[0] == "cn/tianjin 2025: assisted.dibao_edge_disabled.assistance: (absent) -> '360'"
    assert "cn/tianjin 2025: assisted.dibao_edge_disabled.pays: '40' -> (absent)" in lines
    summary = stale_summary(old, current)
    assert "cn/tianjin 2025: assisted.dibao_edge_disabled" in summary
    assert RELEASE in summary
    # Same data version, different figures.
    assert f"resolved values changed but DATA_VERSION is still {current['data_version']}" in summary


def test_check_mode_exit_codes(
    tmp_path: Path, current: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "resolved.json"
    en = ["--lang", "en"]
    assert main(["--check", "--output", str(out), *en]) == 1  # missing file
    assert main(["--output", str(out), *en]) == 0  # writes the snapshot and records the version
    assert out.read_text(encoding="utf-8") == render_snapshot(current)
    assert set(read_ledger(ledger_path(out))) == {current["data_version"]}
    assert main(["--check", "--output", str(out), *en]) == 0
    stale = copy.deepcopy(current)
    stale["regions"]["cn/qinghai"]["2026"]["late"]["amount"] = "1000"
    out.write_text(render_snapshot(stale), encoding="utf-8")
    capsys.readouterr()
    assert main(["--check", "--output", str(out), *en]) == 1
    err = capsys.readouterr().err
    assert "cn/qinghai 2026: late.amount: '1000' -> '1100'" in err
    assert f"DATA_VERSION is still {current['data_version']}: run the release command ({RELEASE})" in err
