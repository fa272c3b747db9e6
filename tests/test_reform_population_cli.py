"""``premium-calc population --reform``: a synthetic rural population of Guizhou under each
shipped example reform, the revenue-neutral solver and the response scenario, through the CLI."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from premium_calc.analyses.reform.loading import shipped_reforms
from premium_calc.cli import app

runner = CliRunner()
GUIZHOU = ["population", "--synthetic", "贵州", "--setting", "rural",
           "--households", "20000", "--year", "2025"]  # fmt: skip
#: The baseline of that population (the same as ``population`` without a reform prints).
BASELINE_PAID = Decimal("27225200.00")
BASELINE_SUBSIDY = Decimal("45602210.00")
PEOPLE = Decimal(68063)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str) -> dict[str, object]:
    code, out, err = run(*GUIZHOU, *args, "--json")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


@pytest.mark.parametrize("reform", [p.stem for p in shipped_reforms()])
def test_every_shipped_reform(reform: str) -> None:
    data = as_json("--reform", reform)
    s = data["summary"]
    assert isinstance(s, dict)
    assert Decimal(s["baseline"]["paid_high"]) == BASELINE_PAID
    assert Decimal(s["baseline"]["subsidy"]) == BASELINE_SUBSIDY
    change = Decimal(s["reform"]["paid_high"]) - BASELINE_PAID
    assert Decimal(s["change"]["paid_high"]) == change
    assert sum(Decimal(b["households"]) for b in s["bins"]) == Decimal(s["households"]) == 20000
    assert any("scenario" in n for n in data["notes"])  # type: ignore[union-attr]
    assert data["reform"]["id"] == reform  # type: ignore[index]


def test_subsidy_rise_costs_24_yuan_a_person() -> None:
    s = as_json("--reform", "subsidy_724")["summary"]
    assert isinstance(s, dict)
    assert Decimal(s["change"]["subsidy"]) == 24 * PEOPLE == Decimal("1633512.00")
    assert Decimal(s["change"]["paid_high"]) == 0
    assert [b["households"] for b in s["bins"] if b["name"] == "same"] == ["20000.0000"]


def test_set_overrides_without_a_file() -> None:
    s = as_json("--set", "individual=300")["summary"]
    assert isinstance(s, dict)
    # 400 -> 300 for each of the 68,063 people.
    assert Decimal(s["change"]["paid_high"]) == -100 * PEOPLE
    assert [b["name"] for b in s["bins"] if Decimal(b["households"]) == 20000] == ["gain_large"]


def test_revenue_neutral_income_share() -> None:
    data = as_json("--reform", "shenzhen_style_share", "--solve", "rate")
    sol = data["solution"]
    assert isinstance(sol, dict)
    assert Decimal(sol["target_yuan"]) == BASELINE_PAID
    value = Decimal(sol["value"])
    assert Decimal("0.02") < value < Decimal("0.04")
    # The rate has six decimals: the total is within one step of the target; here within
    # 0.1 % of it.
    assert abs(Decimal(sol["residual_yuan"])) < BASELINE_PAID / 1000
    assert data["reform"]["contribution"]["rate"] == sol["value"]  # type: ignore[index]
    s = data["summary"]
    assert isinstance(s, dict)
    assert Decimal(s["reform"]["paid_high"]) == Decimal(sol["total_yuan"])


def test_text_in_chinese_and_english() -> None:
    code, out, _ = run(*GUIZHOU, "--reform", "shenzhen_style_share", "--lang", "zh")
    assert code == 0
    assert "家庭缴费" in out and "财政支出" in out and "多交超过5%" in out and "改革前负担" in out
    assert "†" in out  # the baseline standard's low confidence survives a reform run
    code, out, _ = run(*GUIZHOU, "--reform", "subsidy_724", "--elasticity=-0.3..-0.1", "--lang", "en")
    assert code == 0
    assert "fiscal cost (subsidy + assistance)" in out
    assert "a scenario you chose, not a finding" in out
    assert "No published estimate" in out


def test_csv() -> None:
    code, out, _ = run(*GUIZHOU, "--reform", "subsidy_724", "--csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("kind,part,income_to")
    assert sum(line.startswith("decile,") for line in lines) == 10
    assert sum(line.startswith("bin,") for line in lines) == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--solve", "rate"], "--solve needs --reform or --set"),
        (["--elasticity=-0.2"], "--elasticity needs --reform or --set"),
        (["--set", "individual=300", "--solve", "rate"], "[contribution]"),
        (
            ["--reform", "shenzhen_style_share", "--solve", "rate", "--target", "1000000000"],
            "no value of rate",
        ),
        (["--reform", "shenzhen_style_share", "--solve", "amount"], "'amount'"),
        (["--set", "individual=300", "--elasticity", "x"], "expected an elasticity"),
        (["--set", "individual=300", "--relative-to", "wealth"], "premium or income"),
        (["--set", "individual=300", "--output", "x.csv"], "--output is not available with --reform"),
    ],
)
def test_errors_are_one_line(args: list[str], message: str) -> None:
    code, _, err = run(*GUIZHOU[:-4], "--households", "200", "--year", "2025", *args, "--lang", "en")
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
