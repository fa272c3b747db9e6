"""The coverage matrix (premium_calc.coverage) and ``premium-calc rates coverage``.

The counts are checked against the bundled rate files read directly (:func:`_file_years`: the
``[[year]]`` entries of every rate file, as ``grep -r "^coverage = 2025" rates/`` counts them),
never against figures written here, so adding or re-rating a rate file breaks no test; the
named region-years below are ones known to be there.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc import PremiumCalcError, RateBook
from premium_calc.analyses.coverage import DEFAULT_YEARS, Coverage, coverage, parse_years
from premium_calc.cli import app
from premium_calc.ratefiles.reading import NOT_REGIONS, bundled_rates_dir

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

runner = CliRunner()


def _file_years() -> dict[str, list[dict[str, object]]]:
    """The ``[[year]]`` entries of every bundled rate file, by region id, read with tomllib."""
    rates = bundled_rates_dir()
    out: dict[str, list[dict[str, object]]] = {}
    for path in sorted(rates.rglob("*.toml")):
        rel = path.relative_to(rates)
        if rel.parts[0] not in NOT_REGIONS:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            out[rel.with_suffix("").as_posix()] = data.get("year", [])
    return out


def _by_year(years: list[int]) -> dict[int, int]:
    """How many rate files have an entry for each of ``years``."""
    entries = [e["coverage"] for ys in _file_years().values() for e in ys]
    return {y: entries.count(y) for y in years}


def _counts_line(cov: Coverage) -> str:
    c = cov.counts
    conf = c.by_confidence
    return (
        f"{c.regions} regions x {c.years} years: {c.entries} entries (high {conf['high']},"
        f" medium {conf['medium']}, low† {conf['low']}), {c.missing} missing;"
    )


# High-confidence region-years of 2024-2026 (every source behind them is high). cn is
# not among them: its 孤儿 rule rests on a local notice (medium), and 2025's notice number is
# unverified.
HIGH_2024_2026 = {
    ("cn/anhui/hefei", 2025), ("cn/beijing", 2025), ("cn/gansu", 2024), ("cn/gansu", 2025),
    ("cn/guizhou", 2026), ("cn/guizhou/bijie", 2026),  # Bijie 2026 inherits Guizhou's (high)
    ("cn/hebei", 2024), ("cn/henan", 2026), ("cn/hunan", 2026), ("cn/jiangsu/nanjing", 2025),
    ("cn/qinghai", 2025), ("cn/qinghai", 2026), ("cn/shanghai", 2024), ("cn/xizang", 2025),
}
# Provinces pooled at city level, and Hainan: files with a [region] and no year.
NO_YEAR_AT_ALL = [
    "cn/fujian", "cn/guangdong", "cn/hainan", "cn/heilongjiang", "cn/jiangsu", "cn/liaoning",
    "cn/shandong", "cn/zhejiang",
]  # fmt: skip


def test_counts_2024_2026(book: RateBook) -> None:
    cov = coverage(book)
    assert cov.years == [2024, 2025, 2026] == list(DEFAULT_YEARS)
    c = cov.counts
    files = _file_years()
    assert c.regions == len(files) == len(book.region_ids())  # cn.toml and every file under cn/
    assert c.years == 3
    assert c.by_year == _by_year(list(DEFAULT_YEARS))  # 'coverage = YEAR' entries per year
    assert c.entries == sum(c.by_year.values())
    assert c.missing == c.regions * c.years - c.entries
    assert set(c.by_confidence) == {"high", "medium", "low"} and sum(c.by_confidence.values()) == c.entries
    # Entries with no categories of their own: Bijie 2024-2026 (Guizhou's), Jilin City 2025, ...
    in_range = [e for ys in files.values() for e in ys if e["coverage"] in DEFAULT_YEARS]
    assert c.inherits == sum(1 for e in in_range if not e.get("category"))
    assert cov.cell("cn/guizhou/bijie", 2025).inherits
    assert c.regions_without_any_year == sorted(r for r, ys in files.items() if not ys)
    assert set(NO_YEAR_AT_ALL) <= set(c.regions_without_any_year)
    # ... plus Suzhou, whose only year is 2022.
    assert {*NO_YEAR_AT_ALL, "cn/jiangsu/suzhou"} <= set(c.regions_without_years)
    assert c.regions_without_years == sorted(
        r for r, ys in files.items() if not any(e["coverage"] in DEFAULT_YEARS for e in ys)
    )
    high = {(r.region, cell.year) for r in cov.rows for cell in r.cells if cell.confidence == "high"}
    assert high >= HIGH_2024_2026 and c.by_confidence["high"] == len(high)


def test_counts_over_the_whole_range(book: RateBook) -> None:
    cov = coverage(book, parse_years("2004-2027"))
    c = cov.counts
    assert c.years == 24
    assert c.by_year == _by_year(list(range(2004, 2028)))  # the 'coverage =' lines of the rate files
    assert c.entries == sum(c.by_year.values())
    assert c.missing == c.regions * 24 - c.entries
    assert {"cn", "cn/shanghai"} <= {r.region for r in cov.rows if 2008 in r.years}  # Shanghai's launch
    # 2022: cn, Beijing, Gansu, Shanghai, Suzhou, Hangzhou, Tibet (at least)
    assert {"cn", "cn/beijing", "cn/shanghai", "cn/jiangsu/suzhou", "cn/xizang"} <= {
        r.region for r in cov.rows if 2022 in r.years
    }
    assert "cn" in {r.region for r in cov.rows if 2027 in r.years}  # cn: subsidy 724, individual missing
    assert cov.cell("cn", 2027).confidence == "medium"  # 2026 Government Work Report


def test_cells_confidence_and_inheritance(book: RateBook) -> None:
    cov = coverage(book)
    # Bijie 2024 has only coverage/policy/source: Guizhou's 380 and window (medium).
    bijie = cov.cell("cn/guizhou/bijie", 2024)
    assert bijie.exists and bijie.inherits is True and bijie.confidence == "medium"
    # Tibet 2026: its own source is high, but the subsidy comes from cn 2026 (medium).
    assert cov.cell("cn/xizang", 2026).confidence == "medium"
    assert cov.cell("cn/xizang", 2026).inherits is False
    # Hainan: no entry, nothing to trust.
    hainan = cov.cell("cn/hainan", 2025)
    assert (hainan.exists, hainan.confidence, hainan.inherits) == (False, None, None)
    # Suzhou's 2022 is outside the range: listed as another year.
    assert cov.row("cn/jiangsu/suzhou").other_years == [2022]
    assert cov.row("cn/shanghai").other_years == [2008, 2018, 2019, 2022, 2023]


def test_rows_in_tree_order_with_depth(book: RateBook) -> None:
    cov = coverage(book, [2025])
    ids = [r.region for r in cov.rows]
    assert ids[0] == "cn"
    assert ids.index("cn/hebei") + 1 == ids.index("cn/hebei/shijiazhuang")
    assert ids.index("cn/hebei/shijiazhuang") + 1 == ids.index("cn/hebei/shijiazhuang/ltc_pilot")
    depth = {r.region: r.depth for r in cov.rows}
    assert (depth["cn"], depth["cn/hebei"], depth["cn/hebei/shijiazhuang"]) == (0, 0, 1)
    assert depth["cn/hebei/shijiazhuang/ltc_pilot"] == 2
    # Every child comes after its parent.
    for row in cov.rows:
        if row.parent is not None:
            assert ids.index(row.parent) < ids.index(row.region)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2025", [2025]),
        ("2024-2026", [2024, 2025, 2026]),
        (" 2024 - 2025 ", [2024, 2025]),
        ("2018-2019,2024", [2018, 2019, 2024]),
        ("2025,2024,2025", [2024, 2025]),
    ],
)
def test_parse_years(text: str, years: list[int]) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not a year range"),
        ("2026-2024", "runs backwards"),
        ("1999-2001", "1999 is out of range"),
        ("2024-", "is not a year range"),
        ("", "is not a year range"),
    ],
)
def test_parse_years_errors(text: str, message: str) -> None:
    with pytest.raises(PremiumCalcError) as info:
        parse_years(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_no_years_is_an_error(book: RateBook) -> None:
    with pytest.raises(PremiumCalcError, match="no coverage year"):
        coverage(book, [])


# --- CLI --------------------------------------------------------------------------------


def invoke(*args: str, width: int = 120) -> tuple[int, str, str]:
    result = runner.invoke(app, ["rates", "coverage", *args], env={"COLUMNS": str(width)})
    return result.exit_code, result.stdout, result.stderr


def _line(out: str, region_id: str) -> str:
    return next(line for line in out.splitlines() if f" {region_id} " in line)


def _cells(out: str, region_id: str) -> list[str]:
    """The cells after the id column of a region's line."""
    tokens = _line(out, region_id).split()
    return tokens[tokens.index(region_id) + 1 :]


def test_cli_matrix_english(book: RateBook) -> None:
    cov = coverage(book)
    c = cov.counts
    code, out, _ = invoke()
    assert code == 0
    assert "Rate coverage, coverage years 2024-2026" in out
    lines = out.splitlines()
    header = next(line for line in lines if "region" in line and "2024" in line)
    assert "2025" in header and "2026" in header and "other years" in header
    # One line per region, cities indented under their province.
    assert _line(out, "cn/guizhou").startswith(" Guizhou ")
    bijie = _line(out, "cn/guizhou/bijie")
    assert bijie.startswith("   Bijie ")
    assert _cells(out, "cn/guizhou/bijie")[:2] == ["medium*", "low†*"]  # both inherit; 2025 low
    assert _line(out, "cn/hebei/shijiazhuang/ltc_pilot").startswith("     Shijiazhuang")
    assert _cells(out, "cn/hainan") == ["·", "·", "·"]
    assert _cells(out, "cn/qinghai") == ["·", "high", "high"]
    assert _cells(out, "cn/jiangsu/suzhou") == ["·", "·", "·", "2022"]
    # Counts and legend.
    assert _counts_line(cov) in out
    assert f"{c.inherits} only inherit (*)" in out
    assert f"By year: {', '.join(f'{y} {n}' for y, n in c.by_year.items())}." in out
    none = c.regions_without_any_year
    assert f"No year at all ({len(none)}): {', '.join(none[:3])}" in out
    assert "† low confidence" in out


def test_cli_matrix_chinese_and_narrow_terminal(book: RateBook) -> None:
    c = coverage(book).counts
    conf = c.by_confidence
    code, out, _ = invoke("--lang", "zh", width=80)
    assert code == 0
    assert "各地费率收录情况（待遇年度 2024-2026）" in out
    assert _cells(out, "cn/qinghai") == ["·", "高", "高"]
    assert (
        f"{c.regions} 个地区 × 3 个年度：{c.entries} 项有费率"
        f"（可信度高 {conf['high']} 项、中 {conf['medium']} 项、低† {conf['low']} 项）"
    ) in out
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) <= 80  # fits; names cut, cells not


def test_cli_wide_range_uses_letters(book: RateBook) -> None:
    code, out, _ = invoke("--years", "2004-2027", width=100)
    assert code == 0
    assert "'04" in out and "'27" in out
    cn = _cells(out, "cn")
    assert len(cn) == 24  # one cell a year, no other years
    assert cn[:2] == ["H", "H"]  # 2004, 2005 high
    assert cn[-1] == "M"  # 2027 medium (the +24 subsidy only)
    c = coverage(book, parse_years("2004-2027")).counts
    assert f"{c.regions} regions x 24 years: {c.entries} entries" in out


def test_cli_json(book: RateBook) -> None:
    code, out, _ = invoke("--json", "--years", "2025")
    assert code == 0
    data = json.loads(out)
    assert data["years"] == [2025]
    in_2025 = _by_year([2025])[2025]
    assert data["counts"]["entries"] == in_2025 == coverage(book, [2025]).counts.entries
    assert data["counts"]["by_year"] == {"2025": in_2025}
    row = next(r for r in data["rows"] if r["region"] == "cn/jilin/jilin")
    assert row["name"] == {"zh": "吉林市", "en": "Jilin City"}
    assert row["depth"] == 1 and row["parent"] == "cn/jilin"
    assert row["cells"] == [{"year": 2025, "exists": True, "confidence": "low", "inherits": True}]
    assert row["other_years"] == [2024]


def test_cli_bad_years_exit_2() -> None:
    code, out, err = invoke("--years", "2026-2024")
    assert code == 2
    assert err.startswith("error: years: '2026-2024' runs backwards")
    assert out == ""


def test_cli_rates_dir_overlay(tmp_path: Path) -> None:
    # A user directory that gives Hainan a 2025 year (as a contributor would) shows up.
    (tmp_path / "cn").mkdir()
    (tmp_path / "cn" / "hainan.toml").write_text(
        """
[region]
name = { zh = "海南省", en = "Hainan" }
parent = "cn"
level = "province"

[[year]]
coverage = 2025
source = { title = "test", confidence = "low" }

  [[year.category]]
  id = "resident"
  individual = 400
""",
        encoding="utf-8",
    )
    code, out, _ = invoke("--rates-dir", str(tmp_path), "--json")
    assert code == 0
    data = json.loads(out)
    row = next(r for r in data["rows"] if r["region"] == "cn/hainan")
    assert [c["confidence"] for c in row["cells"]] == [None, "low", None]
    assert data["counts"]["entries"] == 99  # 98 + Hainan 2025
    assert "cn/hainan" not in data["counts"]["regions_without_any_year"]
