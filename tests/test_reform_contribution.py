"""Contribution schedules of reforms: the exact household version (``charge``) and the int64
fen version (``member_amounts_fen``) agree to the fen; hand-worked amounts; solver parameters."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premium_calc.analyses.reform.contribution import (
    Brackets,
    FlatReductions,
    IncomeShare,
    Payer,
    charge,
    split,
)
from premium_calc.analyses.reform.contribution_arrays import NOT_SUBJECT, UNKNOWN, member_amounts_fen
from premium_calc.errors import OptionError

SHARE_PER_MEMBER = IncomeShare(kind="income_share", rate="0.7%")
SHARE_HOUSEHOLD = IncomeShare(
    kind="income_share", rate="3%", income="household", per="household", floor=100, cap=2000,
    max_paying_members=3, exempt_groups=("tekun",),
)  # fmt: skip
BRACKETS = Brackets(
    kind="brackets",
    max_paying_members=3,
    brackets=(
        {"below": 5000, "amount": 200},
        {"below": 15000, "rate": "3%", "rate_to": "5%"},
        {"rate": "5%"},
    ),
)
REDUCTIONS = FlatReductions(
    kind="flat_reductions",
    reductions=(
        {"below": 4000, "share": "70%"},
        {"below": 8000, "share": "50%"},
        {"below": 12000, "share": "20%"},
    ),
)
REDUCTIONS_FIXED = FlatReductions(
    kind="flat_reductions", amount=350, income="household", unknown_income="standard",
    reductions=({"below": 20000, "share": "50%"},),
)  # fmt: skip
SCHEDULES = [SHARE_PER_MEMBER, SHARE_HOUSEHOLD, BRACKETS, REDUCTIONS, REDUCTIONS_FIXED]

BIJIE = [Payer(True, False, True, Decimal(400)), Payer(True, False, True, Decimal(400))]
BIJIE += [Payer(True, False, False, Decimal(400)), Payer(True, False, True, Decimal(400))]


def test_hand_worked_bijie_family() -> None:
    """45, 42, 12 (a child), 70; income 14,000, 3,500 per capita."""
    # 3500 x 0.7% = 24.50 each
    assert charge(SHARE_PER_MEMBER, BIJIE, Decimal(14000), 4).amounts == (Decimal("24.50"),) * 4
    # 14000 x 3% = 420 for the household, three payers at most (the adults): 140 each, the child 0
    got = charge(SHARE_HOUSEHOLD, BIJIE, Decimal(14000), 4)
    assert got.amounts == (Decimal(140), Decimal(140), Decimal(0), Decimal(140))
    assert got.status == ("charged", "charged", "beyond_cap", "charged")
    # 3500 < 5000: 200 a member; the child is the fourth payer: 0
    assert charge(BRACKETS, BIJIE, Decimal(14000), 4).amounts == (Decimal(200),) * 2 + (0, 200)
    # 3500 < 4000: 70% off 400 = 120
    assert charge(REDUCTIONS, BIJIE, Decimal(14000), 4).amounts == (Decimal(120),) * 4


def test_household_amount_split_in_fen() -> None:
    # 10,000.01 x 3% = 300.0003 -> 300.00; 3 payers: 100 each
    assert split(Decimal("100.01"), 3) == [Decimal("33.34"), Decimal("33.34"), Decimal("33.33")]
    got = charge(SHARE_HOUSEHOLD, BIJIE[:2], Decimal(1000), 2)
    assert got.amounts == (Decimal(50), Decimal(50))  # 1000 x 3% = 30 < floor 100: 100 / 2


def test_interpolated_bracket_and_cliff() -> None:
    # per capita 10,000: rate 3% + (5% - 3%) x (10000 - 5000) / 10000 = 4%: 400
    one = [Payer(True, False, True, None)]
    assert charge(BRACKETS, one, Decimal(10000), 1).amounts == (Decimal(400),)
    assert charge(BRACKETS, one, Decimal(4999), 1).amounts == (Decimal(200),)
    assert charge(BRACKETS, one, Decimal(5000), 1).amounts == (Decimal(150),)  # 5000 x 3%
    assert BRACKETS.cliffs() == [(Decimal(5000), Decimal(200), Decimal(150))]


def test_unknown_income() -> None:
    got = charge(SHARE_PER_MEMBER, BIJIE, None, 4, stand_in_income=Decimal(60000))
    assert got.basis == "statistic" and got.amounts == (Decimal(105),) * 4  # 15000 x 0.7%
    got = charge(SHARE_PER_MEMBER, BIJIE, None, 4)
    assert got.basis == "unknown" and got.amounts == (None,) * 4 and set(got.status) == {"unknown"}
    got = charge(REDUCTIONS_FIXED, BIJIE, None, 4)
    assert got.basis == "standard" and got.amounts == (Decimal(400),) * 4


def test_with_parameter_returns_a_validated_copy() -> None:
    steeper = SHARE_HOUSEHOLD.with_parameter("rate", Decimal("0.05"))
    assert steeper.rate == Decimal("0.05") and SHARE_HOUSEHOLD.rate == Decimal("0.03")
    assert BRACKETS.with_parameter("scale", Decimal(2)).brackets[0].amount == Decimal(400)
    with pytest.raises(OptionError, match="rate, floor, cap"):
        SHARE_HOUSEHOLD.with_parameter("amount", 1)
    with pytest.raises(ValueError):
        SHARE_HOUSEHOLD.with_parameter("floor", 5000)  # above the cap


member = st.tuples(st.booleans(), st.booleans(), st.booleans(), st.sampled_from([-1, 0, 18000, 40000, 53836]))
household = st.tuples(
    st.lists(member, min_size=1, max_size=6),
    st.one_of(st.just(-1), st.integers(0, 5_000_000), st.integers(0, 10**11)),
    st.sampled_from([-1, 0, 1_234_567, 9_000_001]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(household, min_size=1, max_size=8), st.sampled_from(range(len(SCHEDULES))))
def test_vectorised_equals_exact(households: list, which: int) -> None:
    schedule = SCHEDULES[which]
    hh, applies, exempt, adult, standard, incomes, sizes, stand_ins = [], [], [], [], [], [], [], []
    expected: list[int] = []
    for h, (members, income, stand_in) in enumerate(households):
        payers = []
        for a, e, ad, std in members:
            hh.append(h)
            applies.append(a)
            exempt.append(e)
            adult.append(ad)
            standard.append(std)
            payers.append(Payer(a, e, ad, Decimal(std) / 100 if std >= 0 else None))
        incomes.append(income)
        sizes.append(len(members))
        stand_ins.append(stand_in)
        got = charge(
            schedule,
            payers,
            Decimal(income) / 100 if income >= 0 else None,
            len(members),
            Decimal(stand_in) / 100 if stand_in >= 0 else None,
        )
        for amount, status in zip(got.amounts, got.status, strict=True):
            if status == "unknown":
                expected.append(UNKNOWN)
            elif amount is None:
                expected.append(NOT_SUBJECT)
            else:
                expected.append(int(amount * 100))
    out = member_amounts_fen(
        schedule,
        household=np.array(hh, dtype=np.int64),
        applies=np.array(applies, dtype=bool),
        exempt=np.array(exempt, dtype=bool),
        adult=np.array(adult, dtype=bool),
        standard_fen=np.array(standard, dtype=np.int64),
        household_income_fen=np.array(incomes, dtype=np.int64),
        household_size=np.array(sizes, dtype=np.int64),
        stand_in_income_fen=np.array(stand_ins, dtype=np.int64),
    )
    assert out.tolist() == expected


def test_household_path_does_not_import_numpy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from premium_calc import RateBook, build_household\n"
        "from premium_calc.analyses.reform import load_reform, assess_reform, find_reform\n"
        "r = load_reform(find_reform('wang_household_income_share'))\n"
        "c = assess_reform(RateBook(), '毕节', 2025, build_household(['45', '70'], income=9000), r)\n"
        "assert 'numpy' not in sys.modules, 'numpy imported'\n"
        "print(c.reform.total_paid)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "270.00"  # 9000 x 3% = 270
