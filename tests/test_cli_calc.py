"""``premium-calc calc`` and ``regions`` through typer's runner, including every error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app

runner = CliRunner()
FAMILY = ["--member", "45", "--member", "42:female", "--member", "12:student", "--member", "70"]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_calc_table_english() -> None:
    code, out, _ = run("calc", "--region", "毕节", "--year", "2025", *FAMILY, "--income", "14000")
    assert code == 0
    assert "Bijie (cn/guizhou/bijie) coverage year 2025" in out
    assert "1,600" in out  # total paid: 4 x 400
    assert "11.43%" in out  # 1600 / 14000
    assert "†" in out  # low-confidence values are marked


def test_calc_table_chinese() -> None:
    code, out, _ = run("calc", "-r", "cn/beijing", "-y", "2025", "-m", "62:male", "--lang", "zh")
    assert code == 0
    assert "北京市" in out and "城乡老年人" in out and "430" in out


def test_calc_json_keys_and_exact_amounts() -> None:
    code, out, _ = run("calc", "-r", "深圳", "-y", "2025", "-m", "30", "-m", "10:student", "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("region", "coverage_year", "tier", "members", "total_gross", "total_assistance",
                "total_paid", "income", "burden_ratio", "sources"):
        assert key in data
    assert data["total_paid"] == "999.81"  # 538.36 + 461.45, as an exact string
    assert data["members"][0]["paid"] == "538.36"
    assert data["region"] == "cn/guangdong/shenzhen"


def test_calc_csv() -> None:
    code, out, _ = run("calc", "-r", "cn/hunan", "-y", "2026", "-m", "60:dibao", "-m", "35", "--csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("region,coverage_year,member")
    assert ",200," in lines[1] and ",400," in lines[2]


def test_household_file(tmp_path: Path) -> None:
    path = tmp_path / "home.toml"
    path.write_text(
        'region = "cn/sichuan/guangyuan"\nyear = 2024\nincome = 12000\n'
        "[[members]]\nage = 50\nassisted = [\"tekun\"]\n[[members]]\nage = 48\n",
        encoding="utf-8",
    )
    code, out, _ = run("calc", "--household", str(path), "--json")
    assert code == 0
    assert json.loads(out)["total_paid"] == "380"  # 0 (特困) + 380


def test_regions_and_version() -> None:
    code, out, _ = run("regions", "--json")
    assert code == 0
    ids = {r["id"] for r in json.loads(out)}
    assert {"cn", "cn/beijing", "cn/guizhou/bijie", "cn/xizang"} <= ids
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("premium-calc ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-r", "Bejing", "-y", "2025", "-m", "40"], "unknown region 'Bejing'"),
        (["-r", "cn/beijing", "-y", "2003", "-m", "40"], "has no rates for coverage year 2003"),
        (["-r", "cn/hainan", "-y", "2031", "-m", "40"], "has no rates for coverage year 2031"),
        (["-r", "cn", "-y", "12026", "-m", "40"], "year 12026 is outside 2000-2100"),
        (["-r", "cn", "-y", "2026", "--paid-in", "2026", "-m", "40"], "buys coverage year 2027, not 2026"),
        (["-r", "cn", "-y", "2025", "-m", "40", "--income", "-5"], "is negative"),
        (["-r", "cn", "-y", "2025", "-m", "150"], "age 150 is impossible"),
        (["-r", "cn", "-y", "2025", "-m", "40:dibo"], "unknown flag 'dibo' (did you mean dibao?)"),
        (["-r", "cn", "-y", "2025", "-m", "forty"], "'forty' is not an age"),
        (["-r", "cn/beijing", "-y", "2025", "-m", "55"], "needs the member's sex"),
        (["-r", "cn", "-y", "2025", "-m", "40", "--tier", "tier1"], "has no optional tiers"),
        (["-r", "cn", "-y", "2025"], "no household"),
        (["-y", "2025", "-m", "40"], "no region"),
        (["-r", "cn", "-y", "2025", "-m", "40", "--late"], "no late-enrollment amount"),
        (["-r", "cn", "-y", "2025", "-m", "40", "--income-stat", "q9"], "unknown income statistic"),
    ],
)
def test_user_errors_are_one_line_with_exit_2(args: list[str], message: str) -> None:
    code, out, err = run("calc", *args)
    assert code == 2, out + err
    assert message in err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in out + err


def test_unknown_region_suggests_close_names() -> None:
    _, _, err = run("calc", "-r", "Bejing", "-y", "2025", "-m", "40")
    assert "did you mean 北京市 (110000)" in err


def test_zero_income_reports_not_computable() -> None:
    code, out, _ = run("calc", "-r", "cn", "-y", "2025", "-m", "40", "--income", "0", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["burden_ratio"] is None and data["burden"]["computable"] is False


def test_malformed_household_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"members": [{"age": 40, "colour": "red"}]}', encoding="utf-8")
    code, _, err = run("calc", "-r", "cn", "-y", "2025", "--household", str(bad))
    assert code == 2
    assert f"{bad}: members[0].colour: 'red': unknown key" in err
    broken = tmp_path / "broken.toml"
    broken.write_text("members = [\n", encoding="utf-8")
    code, _, err = run("calc", "-r", "cn", "-y", "2025", "--household", str(broken))
    assert code == 2 and "expected valid TOML" in err


def test_malformed_rate_file_names_file_line_and_key(tmp_path: Path) -> None:
    (tmp_path / "mycounty.toml").write_text(
        "[region]\n"
        'name = { zh = "我的县", en = "My County" }\n'
        'parent = "cn/sichuan"\n'
        'level = "county"\n'
        "\n"
        "[[year]]\n"
        "coverage = 2025\n"
        'source = { title = "test", confidence = "high" }\n'
        "\n"
        "  [[year.category]]\n"
        '  id = "resident"\n'
        '  individual = "four hundred"\n',
        encoding="utf-8",
    )
    code, _, err = run("calc", "--rates-dir", str(tmp_path), "-r", "mycounty", "-y", "2025", "-m", "40")
    assert code == 2
    assert f"{tmp_path / 'mycounty.toml'}:12: year[0].category[0].individual: 'four hundred'" in err


def test_user_rate_dir_overlays_bundled(tmp_path: Path) -> None:
    (tmp_path / "mycounty.toml").write_text(
        '[region]\nname = { zh = "我的县", en = "My County" }\nparent = "cn/sichuan"\nlevel = "county"\n'
        '[[year]]\ncoverage = 2025\nsource = { title = "county notice", confidence = "medium" }\n'
        '  [[year.category]]\n  id = "resident"\n  individual = 420\n',
        encoding="utf-8",
    )
    args = ["--rates-dir", str(tmp_path), "-r", "My County", "-y", "2025", "-m", "40", "--json"]
    code, out, _ = run("calc", *args)
    assert code == 0, out
    data = json.loads(out)
    assert data["total_paid"] == "420"
    # Subsidy inherited: Sichuan 2025 sets 670 (its own file); Sichuan's chain ends at cn.
    assert data["members"][0]["subsidy"] == "670"


def test_region_id_cannot_escape_rate_dirs() -> None:
    code, _, err = run("calc", "-r", "../../etc/passwd", "-y", "2025", "-m", "40")
    assert code == 2 and "unknown region" in err


def test_members_are_shown_in_chinese_in_the_table_and_the_notes() -> None:
    from premium_calc.household.members import spec_text

    assert spec_text("70:female,dibao", "zh") == "70岁：女、低保"
    assert spec_text("8:student,disabled2", "zh") == "8岁：中小学生、残疾二级"
    assert spec_text("70:female,dibao", "en") == "70:female,dibao"
    assert spec_text("奶奶", "zh") == "奶奶"  # a label is shown as given
    code, out, _ = run("calc", "-r", "威宁", "-y", "2026", "-m", "45", "-m", "70:低保", "--lang", "zh")
    assert code == 0
    said = "".join(out.split())
    assert "第2位成员（70岁：低保）" in said and "│2│70岁：低保│" in said
    assert "70:dibao" not in said


def test_labels_print_as_written_never_as_markup(tmp_path: Path) -> None:
    """A label that looks like rich markup or an emoji code is the user's text: it prints
    whole (rich would have eaten ``[red]`` and turned ``:smile:`` into a picture)."""
    path = tmp_path / "family.toml"
    path.write_text(
        'region = "毕节"\nyear = 2025\nincome = 14000\n'
        '[[members]]\nage = 45\nlabel = "[red]爸爸"\n'
        '[[members]]\nage = 40\nlabel = "[student]妈妈:smile:"\n',
        encoding="utf-8",
    )
    code, out, _ = run("calc", "--household", str(path), "--lang", "zh")
    assert code == 0
    assert "[red]爸爸" in out and "[student]妈妈:smile:" in out
