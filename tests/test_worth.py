"""``worth``: hand-worked stays (tests/worth_cases/*.toml), the average and the dropout view,
properties of the layers, and the command line."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from premium_calc import RateBook, build_household
from premium_calc.analyses.worth import assess_worth, parse_stay
from premium_calc.cli import app
from premium_calc.errors import OptionError, PremiumCalcError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

CASES = [
    pytest.param(case, id=case["name"])
    for path in sorted((Path(__file__).parent / "worth_cases").glob("*.toml"))
    for case in tomllib.loads(path.read_text("utf-8"))["case"]
]
BOOK = RateBook(use_env=False)


def _worth(case: dict[str, Any]) -> Any:
    household = build_household(case["members"])
    return assess_worth(
        BOOK,
        case["region"],
        case["year"],
        household,
        stays=[parse_stay(case["stay"])],
        in_scope_share=Decimal(case.get("in_scope", "1")),
    )


@pytest.mark.parametrize("case", CASES)
def test_hand_worked_stay(case: dict[str, Any]) -> None:
    result = _worth(case)
    outcome = next(v.outcome for v in result.stays if v.outcome.member == case["member"])
    layers = {layer.layer: layer for layer in outcome.layers}
    for name in ("basic", "critical_illness", "assistance"):
        if name in case:
            assert layers[name].amount == Decimal(case[name]), name
        if f"{name}_bound" in case:
            assert layers[name].bound == case[f"{name}_bound"], name
    for key in ("reimbursed", "out_of_pocket"):
        if key in case:
            assert getattr(outcome, key) == Decimal(case[key]), key
    if "bound" in case:
        assert outcome.bound == case["bound"]
    assert outcome.uninsured == outcome.bill


def test_every_case_has_its_arithmetic_and_source() -> None:
    for param in CASES:
        case = param.values[0]
        assert case["arithmetic"].strip() and case["source"].strip(), case["name"]


def test_guizhou_family_average_and_dropout() -> None:
    household = build_household(["45", "42:female", "12:student", "68", "72"])
    result = assess_worth(BOOK, "毕节", 2026, household, stays=[parse_stay("30000:county")], skip=[1])
    assert result.total_paid == Decimal(2000)
    assert result.total_subsidy == Decimal(3500)
    assert result.average is not None and result.average.year == 2025
    assert result.average.value == Decimal("1133.5")
    assert result.total_expected == Decimal("5667.50")
    first = result.members[0]
    assert first.expected_per_paid == Decimal("2.83")  # 1133.5 / 400
    assert first.expected_per_financed == Decimal("1.03")  # 1133.5 / 1100
    # Of 100 people like you: surveys by age, none for a 12-year-old.
    per_100 = [m.utilisation.per_100 if m.utilisation else None for m in result.members]
    assert per_100 == [19, 10, None, 25, 25]
    # 7339 x 0.54 = 3963.06 from the fund for one average stay, more than the 400 paid.
    assert result.average.stay_value == Decimal("3963.06")
    assert result.members[0].utilisation is not None and result.members[0].utilisation.stay_beats_premium
    (drop,) = result.dropouts
    assert (drop.saved, drop.subsidy_forgone, drop.waiting_months) == (Decimal(400), Decimal(700), 3)
    assert (drop.late_amount, drop.late_waiting_days) == (Decimal(1100), 90)
    assert drop.stays[0].insured_out_of_pocket == Decimal(9000)
    assert drop.stays[0].extra == Decimal(21000)
    # The sections are marked as what they are.
    kinds = {b.section: (b.region, b.kind) for b in result.rules}
    assert kinds["inpatient"] == ("cn", "target")
    assert kinds["critical_illness"] == ("cn", "floor")
    assert "inpatient" not in result.missing_rules  # found at the national level, with Bijie's gap in notes


def test_default_stay_is_the_national_average_cost() -> None:
    result = assess_worth(BOOK, "河南", 2026, build_household(["30"]))
    (view,) = result.stays
    assert view.outcome.bill == Decimal(7339) and view.outcome.level == "secondary"
    assert any(n.key == "worth.note.default_stay" for n in result.notes)


def test_employee_members_get_no_stay_and_no_average() -> None:
    result = assess_worth(
        BOOK, "河南", 2026, build_household(["30", "50:employee"]), stays=[parse_stay("1万")]
    )
    assert [v.outcome.member for v in result.stays] == [1]
    assert result.members[1].expected is None


def test_before_the_waiting_rule_the_wait_is_missing() -> None:
    result = assess_worth(BOOK, "河南", 2024, build_household(["30"]), stays=[], skip=[1])
    (drop,) = result.dropouts
    assert drop.waiting_months is None and drop.waiting_missing is not None


@pytest.mark.parametrize(
    ("text", "bill", "level"),
    [("30000", 30000, "secondary"), ("3万:三级", 30000, "tertiary"), ("8000：乡镇", 8000, "primary"),
     ("12,000:city", 12000, "tertiary")],
)  # fmt: skip
def test_parse_stay(text: str, bill: int, level: str) -> None:
    stay = parse_stay(text)
    assert (stay.bill, stay.level) == (Decimal(bill), level)


@pytest.mark.parametrize("text", ["0", "-5", "abc", "30000:moon", "1e5"])
def test_parse_stay_refuses(text: str) -> None:
    with pytest.raises(PremiumCalcError):
        parse_stay(text)


def test_library_arguments_checked() -> None:
    household = build_household(["30"])
    with pytest.raises(OptionError):
        assess_worth(BOOK, "河南", 2026, household, in_scope_share=Decimal(2))
    with pytest.raises(OptionError):
        assess_worth(BOOK, "河南", 2026, household, skip=[3])
    with pytest.raises(OptionError):
        assess_worth(BOOK, "河南", 2026, household, stays=["30000"])  # type: ignore[list-item]


@settings(max_examples=60, deadline=None)
@given(
    bill=st.integers(min_value=1, max_value=2_000_000),
    level=st.sampled_from(["primary", "secondary", "tertiary"]),
    region=st.sampled_from(["郑州", "上海", "毕节", "淄川", "北京", "深圳"]),
    flags=st.sampled_from(["", ":dibao", ":tekun", ":female"]),
)
def test_layers_never_pay_more_than_the_bill(bill: int, level: str, region: str, flags: str) -> None:
    result = assess_worth(
        BOOK, region, 2025, build_household([f"66{flags}"]), stays=[parse_stay(f"{bill}:{level}")]
    )
    outcome = result.stays[0].outcome
    known = [layer.amount for layer in outcome.layers if layer.amount is not None]
    assert all(a >= 0 for a in known)
    assert sum(known, Decimal(0)) <= outcome.bill
    if outcome.out_of_pocket is not None:
        assert Decimal(0) <= outcome.out_of_pocket <= outcome.bill
        assert outcome.reimbursed is not None
        assert outcome.reimbursed + outcome.out_of_pocket == outcome.bill


@settings(max_examples=30, deadline=None)
@given(low=st.integers(min_value=1, max_value=500_000), extra=st.integers(min_value=0, max_value=500_000))
def test_a_bigger_bill_never_leaves_less_to_pay(low: int, extra: int) -> None:
    household = build_household(["40"])
    stays = [parse_stay(f"{low}:tertiary"), parse_stay(f"{low + extra}:tertiary")]
    a, b = (v.outcome for v in assess_worth(BOOK, "郑州", 2025, household, stays=stays).stays)
    assert a.out_of_pocket is not None and b.out_of_pocket is not None
    assert b.out_of_pocket >= a.out_of_pocket


runner = CliRunner()


def test_cli_worth_chinese() -> None:
    args = [
        "worth",
        "-r",
        "毕节",
        "-y",
        "2026",
        "-m",
        "45",
        "-m",
        "72",
        "--stay",
        "30000:county",
        "--skip",
        "1",
    ]
    out = runner.invoke(app, [*args, "--lang", "zh"])
    assert out.exit_code == 0, out.output
    text = out.output
    assert "值不值？毕节市，2026年度，2口人" in text
    assert "约21,000" in text and "≥0" in text
    assert "头3个月不能报销" in text
    assert "1,100元" in text


def test_cli_worth_json() -> None:
    args = ["worth", "-r", "淄川", "-y", "2026", "-m", "50:dibao", "--stay", "30000", "--json"]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    layers = {x["layer"]: x for x in data["stays"][0]["outcome"]["layers"]}
    assert layers["assistance"]["amount"] == "6750.00"
    assert layers["basic"]["bound"] == "about"
    assert data["benefit_chain"][-1] == "cn/shandong/zibo/zichuan"


def test_cli_worth_csv_rows() -> None:
    out = runner.invoke(app, ["worth", "-r", "郑州", "-y", "2025", "-m", "40", "--stay", "30000:2", "--csv"])
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    assert lines[0].startswith("region,coverage_year,member")
    assert ",22050.00," in lines[-1] and ",7950.00," in lines[-1]


@pytest.mark.parametrize(
    ("args", "needle"),
    [(["--stay", "30000:moon"], "--stay"), (["--skip", "9"], "--skip"),
     (["--in-scope", "150%"], "--in-scope"), (["--json", "--csv"], "--json")],
)  # fmt: skip
def test_cli_worth_bad_options(args: list[str], needle: str) -> None:
    out = runner.invoke(app, ["worth", "-r", "河南", "-y", "2026", "-m", "30", *args])
    assert out.exit_code == 2
    assert needle in out.output and "Traceback" not in out.output
    assert len(out.output.strip().splitlines()) == 1
