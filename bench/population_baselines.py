"""Baselines for the population benchmark (bench/population.py): what the engine is measured against.

* :func:`make_columns` draws a synthetic population as member columns (vectorised, deterministic).
* :func:`plain_numpy_kernel` prices it with a hand-written NumPy kernel of the same resolved rules
  as ``RateBook().schedule(...)`` for the two benchmark cases, in integer fen per household.
* :func:`openfisca_households_per_second` times OpenFisca on a simplified formula (category amount
  by age, sex and student status, summed per household), in a separate virtualenv.

Run ``python3 bench/population_baselines.py [--households N]`` for a self-check: the kernels'
household sums must equal ``price_batch(...).household_paid_fen`` exactly.

The OpenFisca virtualenv (kept out of the main environment)::

    python3 -m venv /work/ofvenv && /work/ofvenv/bin/pip install openfisca-core numpy

(or point ``OPENFISCA_PYTHON`` at another interpreter that has openfisca-core).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from premium_calc.household.batch import MemberTable, price_batch
from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.model import ASSISTED_GROUPS

#: Benchmark cases: name -> (region, coverage year).
CASES: dict[str, tuple[str, int]] = {
    "beijing-2025": ("cn/beijing", 2025),
    "hunan-2026": ("cn/hunan", 2026),
}

#: Which cases' schedules have a late-enrolment amount (the engine refuses late members otherwise).
HAS_LATE_AMOUNT = {"beijing-2025": False, "hunan-2026": True}

_GROUP_INDEX = {g: i for i, g in enumerate(ASSISTED_GROUPS)}

#: Groups that make_columns draws (one group per assisted member).
DRAWN_GROUPS = ("tekun", "dibao", "monitored", "low_income")


def _bits(*groups: str) -> np.int32:
    mask = 0
    for g in groups:
        mask |= 1 << _GROUP_INDEX[g]
    return np.int32(mask)


# ---------------------------------------------------------------------------------------------
# Synthetic population


def make_columns(households: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Member columns of ``households`` households (one entry per member, households contiguous,
    ids 0..households-1 ascending).

    Sizes 1-6 (uniform, mean 3.5), ages 0-90 (uniform, on 1 January of the coverage year),
    sex 1/2 (never unknown); 10% employees; 15% of members students, all under 23 (18-22 of them
    in college); ~15% of members in one assisted group drawn from tekun/dibao/monitored/low_income;
    3% with a disability grade 1-4; 2% late enrollees. Each trait is drawn independently.
    """
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 7, size=households, dtype=np.int64)
    household = np.repeat(np.arange(households, dtype=np.int64), sizes)
    n = household.shape[0]
    age = rng.integers(0, 91, size=n, dtype=np.int16)
    sex = rng.integers(1, 3, size=n, dtype=np.int8)
    employee = rng.random(n, dtype=np.float32) < 0.10
    under_23 = age < 23
    # 23 of the 91 ages are under 23: P(student | under 23) = 0.15 * 91 / 23 gives 15% overall.
    student = under_23 & (rng.random(n, dtype=np.float32) < 0.15 * 91 / 23)
    college = student & (age >= 18)
    assisted = rng.random(n, dtype=np.float32) < 0.15
    drawn = np.array([1 << _GROUP_INDEX[g] for g in DRAWN_GROUPS], dtype=np.int32)
    groups = np.where(assisted, drawn[rng.integers(0, len(drawn), size=n)], np.int32(0))
    disabled = rng.random(n, dtype=np.float32) < 0.03
    disability = np.where(disabled, rng.integers(1, 5, size=n, dtype=np.int8), np.int8(0))
    late = rng.random(n, dtype=np.float32) < 0.02
    return {
        "household": household,
        "age": age,
        "sex": sex,
        "student": student,
        "college": college,
        "employee": employee,
        "groups": groups.astype(np.int32),
        "disability": disability.astype(np.int8),
        "late": late,
    }


def member_table(cols: dict[str, np.ndarray], *, late: bool = True) -> MemberTable:
    """The engine's MemberTable of the same members (int64 columns, birth dates unknown).

    ``late=False`` drops the late flags (needed for a schedule without a late amount, where
    ``price_batch`` raises for late members; the kernel then ignores the flag too).
    """
    n = cols["household"].shape[0]
    return MemberTable(
        household=cols["household"].astype(np.int64),
        age=cols["age"].astype(np.int64),
        sex=cols["sex"].astype(np.int64),
        student=cols["student"].astype(bool),
        college=cols["college"].astype(bool),
        employee=cols["employee"].astype(bool),
        disability=cols["disability"].astype(np.int64),
        groups=cols["groups"].astype(np.int64),
        birth_date=np.full(n, -(2**31), dtype=np.int64),
        late=cols["late"].astype(bool) if late else np.zeros(n, dtype=bool),
    )


# ---------------------------------------------------------------------------------------------
# Plain NumPy kernel
#
# Hand-copied from the resolved schedules (print RateBook().schedule(region, year).categories and
# .assisted). Sex must be known (1/2): the engine flags unknown sex where the elderly rule needs it;
# this kernel would take such members as male. Amounts are in fen, int32 per member.

# beijing-2025: rates/cn/beijing.toml coverage 2025 (lines 87-114) has categories and no late
# amount; its assisted rules are inherited from rates/cn.toml coverage 2025 (lines 743-807).
#   elderly        beijing.toml 94-98:   when min_age {male 60, female 50}, individual = 430
#   student_child  beijing.toml 102-106: when [{student = true}, {max_age = 17}], individual = 405
#   working_age    beijing.toml 110-113: no conditions, individual = 750
#   (first matching category wins, in this order)
#   tekun          cn.toml 754-758: groups ["tekun"], pays = 0
#   orphan         cn.toml 762-766: groups ["orphan"], pays = 0
#   dibao, returned_poverty, monitored (cn.toml 770-792), disabled grades 1-4 (cn.toml 794-799)
#   and other (dibao_edge, poverty_exit, low_income, youfu, family_planning, border; cn.toml
#   801-807): `missing`, no `at_most`: counted at the most they may pay, the gross.
#   Late: no late amount in the schedule (a waiting period only), so late members pay as others.
_BJ_ELDERLY, _BJ_STUDENT_CHILD, _BJ_WORKING_AGE = np.int32(43000), np.int32(40500), np.int32(75000)
_BJ_FREE = _bits("tekun", "orphan")

# hunan-2026: rates/cn/hunan.toml coverage 2026 (lines 71-97); rules of rates/cn.toml coverage
# 2026 (lines 810-874) for groups Hunan does not price stay (a rule with an amount replaces the
# "amount unknown" rule for the same groups and grades).
#   resident       hunan.toml 79-82: no conditions, individual = 400
#   full           hunan.toml 84-89: groups ["tekun", "orphan"], disability_grades [1, 2], pays = 0
#   half           hunan.toml 92-96: groups ["dibao", "monitored", "dibao_edge"], pays = 200
#   returned_poverty (cn.toml 845-849), disabled grades 3-4 (cn.toml 861-865; 1-2 are Hunan's
#   "full"), other minus dibao_edge (poverty_exit, low_income, youfu, family_planning, border;
#   cn.toml 868-872): `missing`, no `at_most`: counted at the gross (or what "half" leaves).
#   late           hunan.toml 76: amount = 1100, for late members no rule applies to.
_HN_RESIDENT, _HN_HALF_PAYS, _HN_LATE = np.int32(40000), np.int32(20000), np.int32(110000)
_HN_FULL = _bits("tekun", "orphan")
_HN_HALF = _bits("dibao", "monitored", "dibao_edge")
_HN_OPEN = _bits("returned_poverty", "poverty_exit", "low_income", "youfu", "family_planning", "border")

# Each member falls in exactly one of a few disjoint masks; the amount is the sum of mask x amount
# (bool x int32 scalar), which NumPy runs faster than nested np.where on unpredictable masks.


def _beijing_2025(cols: dict[str, np.ndarray]) -> np.ndarray:
    age = cols["age"]
    elderly = (age >= 60) | ((cols["sex"] == 2) & (age >= 50))
    student_child = (cols["student"] | (age <= 17)) & ~elderly
    working_age = ~(elderly | student_child)
    gross = elderly * _BJ_ELDERLY + student_child * _BJ_STUDENT_CHILD + working_age * _BJ_WORKING_AGE
    # Employees and tekun/orphan pay 0; every other assisted member pays the gross (amount unknown).
    free = cols["employee"] | ((cols["groups"] & _BJ_FREE) != 0)
    return gross * ~free


def _hunan_2026(cols: dict[str, np.ndarray]) -> np.ndarray:
    groups, grade = cols["groups"], cols["disability"]
    free = cols["employee"] | ((groups & _HN_FULL) != 0) | ((grade >= 1) & (grade <= 2))
    half = ((groups & _HN_HALF) != 0) & ~free
    open_rule = ((groups & _HN_OPEN) != 0) | (grade >= 3)
    # Late members pay 1100 only where no rule (with an amount or not) covers them.
    late = cols["late"] & ~(free | half | open_rule)
    resident = ~(free | half | late)  # incl. members of open rules only: at most the gross
    return half * _HN_HALF_PAYS + late * _HN_LATE + resident * _HN_RESIDENT


_KERNELS = {"beijing-2025": _beijing_2025, "hunan-2026": _hunan_2026}


def plain_numpy_kernel(case: str, cols: dict[str, np.ndarray]) -> np.ndarray:
    """Paid amount per household (int64 fen, households in ascending id order) for ``case``
    ("beijing-2025" or "hunan-2026"), from the member columns of :func:`make_columns`."""
    paid = _KERNELS[case](cols)
    household = cols["household"]
    if household.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(household[1:] != household[:-1]) + 1
    starts = np.concatenate((np.zeros(1, dtype=starts.dtype), starts))
    # At most 6 members x 1100 yuan per household: int32 sums cannot overflow.
    return np.add.reduceat(paid, starts).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# OpenFisca baseline (run in its own virtualenv)

_OPENFISCA_DEFAULT = "/work/ofvenv/bin/python"

_OPENFISCA_SCRIPT = r"""
import json, sys, time
import numpy
from openfisca_core.entities import build_entity
from openfisca_core.periods import YEAR
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Person = build_entity(key="person", plural="persons", label="Person", is_person=True)
Household = build_entity(
    key="household", plural="households", label="Household",
    roles=[{"key": "member", "plural": "members", "label": "Member"}],
)


class age(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "Age on 1 January"


class sex(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "1 male, 2 female"


class student(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "Student"


class premium(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    label = "Individual contribution, yuan (Beijing 2025 categories)"

    def formula(person, period):
        a = person("age", period)
        elderly = (a >= 60) | ((person("sex", period) == 2) & (a >= 50))
        child = person("student", period) | (a <= 17)
        return numpy.where(elderly, 430.0, numpy.where(child, 405.0, 750.0))


class household_premium(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Household contribution, yuan"

    def formula(household, period):
        return household.sum(household.members("premium", period))


system = TaxBenefitSystem([Person, Household])
system.add_variables(age, sex, student, premium, household_premium)

data = numpy.load(sys.argv[1])
hh = data["household"]
count = int(hh[-1]) + 1 if hh.shape[0] else 0
t0 = time.perf_counter()
builder = SimulationBuilder()
builder.create_entities(system)
builder.declare_person_entity("person", numpy.arange(hh.shape[0]))
households = builder.declare_entity("household", numpy.arange(count))
builder.join_with_persons(households, hh, numpy.zeros(hh.shape[0], dtype=numpy.int64))
sim = builder.build(system)
sim.set_input("age", "2025", data["age"].astype(numpy.int32))
sim.set_input("sex", "2025", data["sex"].astype(numpy.int32))
sim.set_input("student", "2025", data["student"])
t1 = time.perf_counter()
total = sim.calculate("household_premium", "2025")
t2 = time.perf_counter()
numpy.save(sys.argv[2], total)
from importlib.metadata import version
print(json.dumps({
    "households": count, "members": int(hh.shape[0]),
    "build_s": t1 - t0, "calculate_s": t2 - t1,
    "openfisca_core": version("openfisca-core"), "numpy": numpy.__version__,
}))
"""


def _category_yuan(cols: dict[str, np.ndarray]) -> np.ndarray:
    """What the simplified OpenFisca formula computes, per household in yuan (for the check)."""
    age = cols["age"]
    elderly = (age >= 60) | ((cols["sex"] == 2) & (age >= 50))
    child = cols["student"] | (age <= 17)
    per_member = np.where(elderly, 430, np.where(child, 405, 750))
    return np.bincount(cols["household"], weights=per_member)


def openfisca_households_per_second(
    households: int = 1_000_000, seed: int = 0, *, with_build: bool = False
) -> float | None:
    """Households per second of OpenFisca computing ``household_premium`` (the sum per household
    of a per-person category amount: Beijing 2025's elderly 430 / students and children 405 /
    others 750 yuan, as floats) for ``make_columns(households, seed)``. Only the calculation is
    timed, not building the simulation, unless ``with_build`` (then both). Runs in the
    interpreter ``OPENFISCA_PYTHON`` (default /work/ofvenv/bin/python); None, with the reason
    printed, where that is absent or fails."""
    python = os.environ.get("OPENFISCA_PYTHON", _OPENFISCA_DEFAULT)
    if not Path(python).is_file():
        print(
            f"OpenFisca skipped: no interpreter at {python} (set OPENFISCA_PYTHON, or create it: "
            "python3 -m venv /work/ofvenv && /work/ofvenv/bin/pip install openfisca-core numpy)"
        )
        return None
    cols = make_columns(households, seed)
    with tempfile.TemporaryDirectory(prefix="openfisca-bench-") as tmp:
        inputs, output = Path(tmp) / "members.npz", Path(tmp) / "household_premium.npy"
        np.savez(inputs, **{k: cols[k] for k in ("household", "age", "sex", "student")})
        # -I: isolated mode, so no stray module in the working directory shadows the stdlib.
        run = subprocess.run(
            [python, "-I", "-c", _OPENFISCA_SCRIPT, str(inputs), str(output)],
            capture_output=True,
            text=True,
            cwd=tmp,
            check=False,
        )
        if run.returncode != 0:
            tail = "\n".join(run.stderr.strip().splitlines()[-5:])
            print(f"OpenFisca skipped: {python} exited {run.returncode}:\n{tail}")
            return None
        report = json.loads(run.stdout.strip().splitlines()[-1])
        total = np.load(output)
    if not np.array_equal(total, _category_yuan(cols)):
        print("OpenFisca: household_premium differs from the NumPy sum of the same formula")
    seconds = report["calculate_s"] + (report["build_s"] if with_build else 0.0)
    rate = float(report["households"] / seconds)
    print(
        f"OpenFisca {report['openfisca_core']} (numpy {report['numpy']}): "
        f"{report['households']:,} households, {report['members']:,} members; "
        f"build {report['build_s']:.2f} s, calculate household_premium {report['calculate_s']:.3f} s: "
        f"{rate:,.0f} households/s ({'build and calculation' if with_build else 'calculation only'})"
    )
    return rate


# ---------------------------------------------------------------------------------------------
# Self-check


def _edge_columns() -> dict[str, np.ndarray]:
    """Every combination of the facts the rules look at, around each boundary, including each
    assisted group and each pair of groups; three members per household."""
    singles = [1 << i for i in range(len(ASSISTED_GROUPS))]
    masks = [0, *singles, *(a | b for a, b in itertools.combinations(singles, 2))]
    grid = np.array(
        list(
            itertools.product(
                [0, 17, 18, 22, 49, 50, 59, 60, 90],  # age
                [1, 2],  # sex
                [False, True],  # student
                [False, True],  # employee
                masks,
                range(5),  # disability
                [False, True],  # late
            )
        ),
        dtype=np.int64,
    )
    n = grid.shape[0]
    age = grid[:, 0].astype(np.int16)
    student = grid[:, 2].astype(bool)
    return {
        "household": np.arange(n, dtype=np.int64) // 3,
        "age": age,
        "sex": grid[:, 1].astype(np.int8),
        "student": student,
        "college": student & (age >= 18),
        "employee": grid[:, 3].astype(bool),
        "groups": grid[:, 4].astype(np.int32),
        "disability": grid[:, 5].astype(np.int8),
        "late": grid[:, 6].astype(bool),
    }


def identical_to_price_batch(case: str, cols: dict[str, np.ndarray], book: RateBook) -> bool:
    """The kernel's household sums equal ``price_batch(...).household_paid_fen`` exactly."""
    region, year = CASES[case]
    late = HAS_LATE_AMOUNT[case]
    if not late:  # the engine refuses late members here; the kernel ignores the flag
        cols = {**cols, "late": np.zeros_like(cols["late"])}
    expected = price_batch(book.schedule(region, year), member_table(cols, late=late)).household_paid_fen
    got = plain_numpy_kernel(case, cols)
    return got.dtype == np.int64 and np.array_equal(got, expected)


def _best_seconds(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-openfisca", action="store_true", help="skip the OpenFisca run")
    args = parser.parse_args()

    cols = make_columns(args.households, args.seed)
    members = cols["household"].shape[0]
    print(f"households: {args.households:,}  members: {members:,}")
    book = RateBook()
    edge = _edge_columns()
    ok = True
    for case in CASES:
        seconds = _best_seconds(lambda case=case: plain_numpy_kernel(case, cols), repeat=5)
        print(f"{case}: plain NumPy {seconds * 1e3:7.1f} ms = {args.households / seconds:,.0f} households/s")
        same = identical_to_price_batch(case, cols, book) and identical_to_price_batch(case, edge, book)
        ok &= same
        print(
            f"{case}: identical to price_batch: {'yes' if same else 'NO'} "
            f"(random population + {edge['household'].shape[0]:,}-member edge grid)"
        )
    if not args.no_openfisca:
        rate = openfisca_households_per_second(args.households, args.seed)
        print(f"OpenFisca (simplified formula): {'n/a' if rate is None else f'{rate:,.0f}'} households/s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
