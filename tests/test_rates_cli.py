"""``premium-calc rates validate|show|explain|diff|set|new-year|schema`` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app

runner = CliRunner()
URL = "https://example.org/notice"

# A user rate directory: a county that inherits the real Sichuan file (and the real cn).
COUNTY = """\
# my county
[region]
name = { zh = "某县", en = "My County" }
parent = "cn/sichuan"
level = "county"

[[year]]
coverage = 2026
policy = 2025
source = { title = "county notice 2026", url = "https://example.org/county", confidence = "high" }
subsidy = 740

  [[year.category]]
  id = "resident"
  name = { zh = "城乡居民", en = "residents" }
  individual = 400
"""


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    (tmp_path / "mycounty.toml").write_text(COUNTY, encoding="utf-8")
    return tmp_path


# --- validate ---------------------------------------------------------------------------


def test_validate_shipped_files_exits_0() -> None:
    code, out, _ = run("rates", "validate")
    assert code == 0
    assert "errors: 0;" in out
    assert out.splitlines()[-1].startswith("files checked: ")


def test_validate_errors_and_warnings_apart_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        COUNTY.replace("policy = 2025", "policy = 2027").replace(
            "subsidy = 740", 'subsidy = 740\ncollection = { start = 2025-12-31, end = 2025-09-01 }'
        ),
        encoding="utf-8",
    )
    code, out, _ = run("rates", "validate", str(bad))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "errors (1):"
    assert lines[1].endswith(
        "bad.toml:12:36: year[0].collection.end: the collection window ends 2025-09-01, before"
        " it starts 2025-12-31 (expected start <= end)"
    )
    assert lines[2] == "warnings (1):"
    assert lines[3].endswith(
        "bad.toml:9:1: year[0].policy: notice year 2027 is after coverage year 2026 (expected"
        " policy <= coverage: coverage is the year the cover applies to)"
    )
    assert lines[4] == "files checked: 1; errors: 1; warnings: 1"


def test_validate_warnings_only_exit_0_and_json(user_dir: Path) -> None:
    county = user_dir / "mycounty.toml"
    county.write_text(COUNTY.replace("individual = 400", "individual = 350"), encoding="utf-8")
    code, out, _ = run("rates", "validate", str(county), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["files"] == 1 and data["errors"] == []
    (warning,) = data["warnings"]
    assert warning["rule"] == "below-minimum" and warning["line"] == 16 and warning["column"] == 3
    assert warning["text"].endswith(
        "year[0].category[0].individual: category 'resident' pays 350, below the national"
        " minimum 400 for coverage year 2026 (expected at least 400, or below_minimum = true if"
        " the notice sets it lower)"
    )


def test_validate_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[region\n", encoding="utf-8")
    code, out, _ = run("rates", "validate", str(bad), "--lang", "zh")
    assert code == 1
    assert out.splitlines()[0] == "错误 (1):"
    # The place stays as it is; what was expected is said in Chinese (it was English before
    # the catalog had Chinese for it).
    assert "bad.toml:1:8: " in out and "（文件应是有效的 TOML）" in out


def test_validate_missing_path_is_a_user_error() -> None:
    code, _, err = run("rates", "validate", "no/such/file.toml")
    assert code == 2
    assert err == "error: no/such/file.toml: no such file or directory (expected a rate file or directory)\n"


def test_validate_with_rates_dir_includes_the_user_files(user_dir: Path) -> None:
    code, out, _ = run("rates", "validate", "--rates-dir", str(user_dir), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["files"] >= 2 and data["errors"] == []


# --- show / explain / diff --------------------------------------------------------------


def test_show_one_year() -> None:
    code, out, _ = run("rates", "show", "成都", "--year", "2026")
    assert code == 0
    assert "Chengdu (成都市) cn/sichuan/chengdu (city) rates/cn/sichuan/chengdu.toml" in out
    assert "chain: cn -> cn/sichuan -> cn/sichuan/chengdu" in out
    row = next(line for line in out.splitlines() if line.startswith("category.adult.tiers.tier2"))
    assert row.split() == ["category.adult.tiers.tier2", "550", "-", "high"]
    policy = next(line for line in out.splitlines() if line.startswith("policy "))
    assert policy.split()[2] == "cn/sichuan"  # inherited


def test_show_all_years_json() -> None:
    code, out, _ = run("rates", "show", "cn/sichuan/chengdu", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["years"] == [e["coverage_year"] for e in data["explanations"]]
    assert 2026 in data["years"]


def test_explain_points_at_file_and_line() -> None:
    code, out, _ = run("rates", "explain", "cn/sichuan/chengdu", "2026")
    assert code == 0
    text = Path("rates/cn/sichuan/chengdu.toml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, start=1) if "tier2 = 550" in t)
    block = out.split("category.adult.tiers.tier2 = 550\n", 1)[1].splitlines()
    assert block[0] == f"  rates/cn/sichuan/chengdu.toml:{line} (own file)"
    assert block[1].startswith("  source: ") and block[1].endswith("(confidence: high)")
    assert "(inherited from cn/sichuan)" in out


def test_explain_marks_low_confidence() -> None:
    code, out, _ = run("rates", "explain", "毕节", "2025", "--lang", "zh")
    assert code == 0
    assert "category.resident.individual = 400†" in out
    assert "(本地区文件)" in out
    assert "† 可信度低" in out


def test_explain_json() -> None:
    code, out, _ = run("rates", "explain", "深圳", "2025", "--json")
    assert code == 0
    data = json.loads(out)
    adult = next(v for v in data["values"] if v["key"] == "category.adult.individual")
    # 6409 x 0.7% x 12 = 538.356 -> 538.36
    assert (adult["value"], adult["formula"]) == ("538.36", "6409 x 0.7% x 12")
    assert adult["file"] == "rates/cn/guangdong/shenzhen.toml" and adult["line"] > 0


def test_diff_with_absolute_and_percent_change() -> None:
    code, out, _ = run("rates", "diff", "成都", "2025", "2026")
    assert code == 0
    assert out.splitlines()[0] == "Chengdu (成都市) cn/sichuan/chengdu: 2025 -> 2026"
    row = next(line for line in out.splitlines() if line.startswith("category.adult.tiers.tier2"))
    # 520 -> 550: +30, 30 / 520 = 5.77%
    assert row.split() == ["category.adult.tiers.tier2", "520†", "550", "+30", "+5.77%"]
    code, out, _ = run("rates", "diff", "成都", "2025", "2026", "--json")
    change = next(c for c in json.loads(out)["changes"] if c["key"] == "subsidy")
    # 710 -> 740: +30, 30 / 710 = 4.225... -> 4.23
    assert (change["old"], change["new"], change["change"], change["percent"]) == (
        "710",
        "740",
        "30",
        "4.23",
    )


def test_unknown_region_and_year_are_user_errors() -> None:
    code, _, err = run("rates", "explain", "Atlantis", "2025")
    assert code == 2 and err.startswith("error: unknown region 'Atlantis'")
    code, _, err = run("rates", "show", "成都", "--year", "1999")
    assert code == 2 and "cn/sichuan/chengdu has no rates for coverage year 1999" in err


# --- set / new-year ---------------------------------------------------------------------


def test_set_dry_run_shows_the_diff_and_writes_nothing(user_dir: Path) -> None:
    county = user_dir / "mycounty.toml"
    code, out, _ = run(
        "rates", "set", "mycounty", "2026", "subsidy", "750", "--source", URL,
        "--dry-run", "--rates-dir", str(user_dir),
    )  # fmt: skip
    assert code == 0
    assert "-subsidy = 740\n+subsidy = 750\n" in out
    assert f'+subsidy_source = {{ title = "{URL}", url = "{URL}", confidence = "medium" }}' in out
    assert out.splitlines()[-1] == "dry run: nothing was written"
    assert county.read_text(encoding="utf-8") == COUNTY


def test_set_writes_and_reports(user_dir: Path) -> None:
    county = user_dir / "mycounty.toml"
    code, out, _ = run(
        "rates", "set", "mycounty", "2026", "category.resident.individual", "420",
        "--source", URL, "--source-title", "县医保局 2026", "--confidence", "high",
        "--rates-dir", str(user_dir),
    )  # fmt: skip
    assert code == 0, out
    assert out.splitlines()[-1].startswith(
        "mycounty 2026: category.resident.individual = 420; written to "
    )
    text = county.read_text(encoding="utf-8")
    assert "  individual = 420\n" in text and text.startswith("# my county\n")
    code, out, _ = run("rates", "explain", "mycounty", "2026", "--rates-dir", str(user_dir))
    assert "category.resident.individual = 420" in out
    assert f"source: 县医保局 2026 <{URL}> (confidence: high)" in out


def test_invalid_set_changes_nothing(user_dir: Path) -> None:
    county = user_dir / "mycounty.toml"
    code, _, err = run(
        "rates", "set", "mycounty", "2026", "collection.start", "2026-03-01",
        "--source", URL, "--rates-dir", str(user_dir),
    )  # fmt: skip
    assert code == 0  # a start alone is fine
    code, _, err = run(
        "rates", "set", "mycounty", "2026", "collection.end", "2025-09-01",
        "--source", URL, "--rates-dir", str(user_dir),
    )  # fmt: skip
    assert code == 2
    assert err.startswith("error: the edit would break mycounty.toml, nothing was changed: ")
    assert "the collection window ends 2025-09-01, before it starts 2026-03-01" in err
    assert "collection = { start = 2026-03-01" in county.read_text(encoding="utf-8")


def test_set_needs_a_source(user_dir: Path) -> None:
    code, _, err = run(
        "rates", "set", "mycounty", "2026", "subsidy", "750", "--rates-dir", str(user_dir)
    )
    assert code == 2
    assert err == (
        "error: subsidy: a value needs its source; nothing was changed (expected --source URL"
        " of the notice or page it comes from)\n"
    )


def test_new_year_dry_run_and_write(user_dir: Path) -> None:
    county = user_dir / "mycounty.toml"
    args = ["rates", "new-year", "mycounty", "--from", "2026", "--year", "2027"]
    args += ["--bump", "individual=+20", "--rates-dir", str(user_dir)]
    code, out, _ = run(*args, "--dry-run")
    assert code == 0
    assert "+coverage = 2027\n+policy = 2026\n" in out
    assert "+  individual = 420\n" in out  # 400 + 20
    assert county.read_text(encoding="utf-8") == COUNTY
    code, out, _ = run(*args, "--source", URL, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["written"] and data["edit"] == "new coverage year 2027 from 2026, bumps individual +20"
    assert county.read_text(encoding="utf-8").startswith(COUNTY)


def test_set_help_documents_the_key_syntax() -> None:
    code, out, _ = run("rates", "set", "--help")
    assert code == 0
    for key in ("category.ID.tiers.TIER", "assisted.ID.pays", "collection.end", "late.amount"):
        assert key in out


# --- schema -----------------------------------------------------------------------------


def test_schema_prints_json_schema(tmp_path: Path) -> None:
    code, out, _ = run("rates", "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "RateFile" and "YearEntry" in schema["definitions"]
    target = tmp_path / "rates.schema.json"
    code, out, _ = run("rates", "schema", "-o", str(target))
    assert code == 0 and json.loads(target.read_text(encoding="utf-8")) == schema
