"""``premium-calc calc --reform / --set`` and ``premium-calc reform ...`` as a user runs them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from premium_calc.cli import app

runner = CliRunner()
BIJIE = ["calc", "--region", "毕节", "--year", "2025", "-m", "45", "-m", "42:female", "-m", "12:student"]
BIJIE += ["-m", "70", "--income", "14000"]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_calc_reform_chinese() -> None:
    code, out, _ = run(*BIJIE, "--reform", "wang_household_income_share", "--lang", "zh")
    assert code == 0, out
    assert "改革情景" in out and "不是现行规定" in out
    assert "现在缴" in out and "改革后缴" in out
    assert "420*" in out and "1,600" in out and "-1,180" in out  # 14000 x 3% = 420
    assert "现在11.43%，改革后3.00%*" in out
    assert "假设" in out and "举例" in out
    assert "400†" in out and "1,600†" in out  # the baseline's low-confidence mark survives
    assert "(免缴)" not in out  # nobody in this family is exempt


def test_calc_reform_english_with_set() -> None:
    code, out, _ = run(*BIJIE, "--reform", "subsidy_724", "--set", "individual=300", "--lang", "en")
    assert code == 0, out
    assert "not a rule in force" in out
    assert "1,200*" in out  # 4 x 300
    assert "670→694" in out and "2,776" in out  # 670 + 24
    assert "--set individual=300" in out


def test_calc_set_alone_and_json_keys() -> None:
    code, out, _ = run(*BIJIE, "--set", "subsidy=+100", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"baseline", "reform", "change", "reform_info"}
    assert data["baseline"]["total_subsidy"] == "2680" and data["reform"]["total_subsidy"] == "3080"
    assert data["change"]["total_subsidy"] == "400" and data["change"]["total_paid"] == "0"
    assert data["change"]["fiscal_cost"] == "400"
    assert data["reform_info"]["confidence"] == "scenario" and data["reform_info"]["illustrative"] is True
    assert data["reform"]["confidence"] == "low"


def test_bad_input_one_line_exit_2() -> None:
    code, _, err = run(*BIJIE, "--set", "subsidi=+1")
    assert code == 2 and "did you mean subsidy" in err and err.count("\n") == 1
    code, _, err = run(*BIJIE, "--set", "individual=abc")
    assert code == 2 and "not an amount" in err
    code, _, err = run(*BIJIE, "--reform", "nope.toml")
    assert code == 2 and "no such file" in err
    code, _, err = run(*BIJIE, "--reform", "subsidy_724", "--csv")
    assert code == 2 and "--csv" in err


def test_reform_commands(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("reform", "list", "--lang", "en")
    assert code == 0 and "subsidy_724" in out and "japan_style_reductions" in out
    code, out, _ = run("reform", "show", "income_brackets", "--lang", "en")
    assert code == 0 and "at most 3 members" in out and "cliff" in out
    code, out, _ = run("reform", "show", "wang_household_income_share", "--lang", "zh")
    assert code == 0 and "家庭收入的3%" in out and "免缴：特困人员" in out
    code, out, _ = run("reform", "schema")
    assert code == 0 and json.loads(out)["$schema"].startswith("http://json-schema.org/draft-07")
    code, out, _ = run("reform", "validate", "subsidy_724")
    assert code == 0 and "valid" in out
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[reform]\nid = "b"\nname = { zh = "b", en = "b" }\nillustrative = true\n\n'
        '[contribution]\nkind = "income_share"\nrate = "3%"\nflor = 1\n',
        encoding="utf-8",
    )
    code, out, _ = run("reform", "validate", str(bad))
    assert code == 1 and f"{bad}:9" in out and "floor" in out
    code, _, err = run("reform", "validate", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such file" in err
