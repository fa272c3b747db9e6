"""The synthetic (model) population: deterministic, its marginals as stated, its assumptions said.

Real values: Guizhou's 2023 rural per-capita disposable income 14,817 yuan (rates/stats/provinces.toml,
used for coverage year 2026: no 2025 or 2024 figure); national rural NET-income quintiles 2013
2583 / 5516 / 7942 / 11373 / 21273 (income.toml); rural household sizes by quintile 2007 4.57 / 4.31
/ 4.05 / 3.81 / 3.40 scaled by 2.62 / 3.10 (rates/stats/model/population.toml); 2020 census ages
17.95% / 63.35% / 18.70%.
"""

from __future__ import annotations

import re
import shutil
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from premium_calc.analyses.population.synthetic import (
    PARAMETERS_FILE,
    SyntheticPopulation,
    curve_knots,
    income_knots,
    synthetic_population,
)
from premium_calc.errors import OptionError, PremiumCalcError, RateFileError, UnknownRegionError
from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.reading import bundled_rates_dir

CJK = re.compile(r"[\u4e00-\u9fff]")
RURAL_2013 = np.array([2583, 5516, 7942, 11373, 21273], dtype=float)
SIZES_2007 = np.array([4.57, 4.31, 4.05, 3.81, 3.40])
SCALE = 2.62 / 3.10


@pytest.fixture(scope="module")
def guizhou(book: RateBook) -> SyntheticPopulation:
    return synthetic_population("cn/guizhou", 2026, 200_000, seed=7, book=book)


def test_same_seed_same_population_other_seed_another(book: RateBook) -> None:
    a = synthetic_population("cn/guizhou", 2026, 5_000, seed=1, book=book)
    b = synthetic_population("贵州", 2026, 5_000, seed=1, book=book)
    c = synthetic_population("cn/guizhou", 2026, 5_000, seed=2, book=book)
    assert a.columns.keys() == b.columns.keys() == {"household", "age", "sex", "income", "weight"}
    for name in a.columns:
        assert np.array_equal(a.columns[name], b.columns[name]), name
    assert not np.array_equal(a.columns["income"][:100], c.columns["income"][:100])
    assert [str(n) for n in a.assumptions] == [str(n) for n in b.assumptions]


def test_column_conventions(guizhou: SyntheticPopulation) -> None:
    cols = guizhou.columns
    household = cols["household"]
    assert household.dtype == np.int64 and cols["age"].dtype == np.int64
    assert cols["sex"].dtype == np.int8 and set(np.unique(cols["sex"])) == {1, 2}
    assert cols["income"].dtype == np.float64 and cols["weight"].dtype == np.float64
    assert all(len(c) == guizhou.members for c in cols.values())
    # Households 0..n-1, ascending, their members contiguous.
    assert household[0] == 0 and household[-1] == guizhou.households - 1 == 199_999
    assert np.all(np.diff(household) >= 0) and np.all(np.diff(household) <= 1)
    # The whole income on the first member, in whole fen; the others 0.
    first = np.r_[True, household[1:] != household[:-1]]
    assert np.all(cols["income"][~first] == 0) and np.all(cols["income"][first] > 0)
    fen = cols["income"] * 100
    assert np.allclose(fen, np.rint(fen), rtol=0, atol=1e-6)
    assert np.array_equal(guizhou.household_income(), cols["income"][first])
    # Weight 1.0: shares, not counts.
    assert guizhou.represents == 1.0 and np.all(cols["weight"] == 1.0)
    assert (guizhou.region, guizhou.year, guizhou.income_year, guizhou.setting) == (
        "cn/guizhou", 2026, 2025, "rural",
    )
    assert cols["age"].min() >= 0 and cols["age"].max() <= 89
    with pytest.raises(ValueError):
        cols["age"][0] = 30  # read-only


def test_household_size_as_stated(guizhou: SyntheticPopulation) -> None:
    expected = SIZES_2007 * SCALE  # 3.862, 3.643, 3.423, 3.220, 2.874
    assert guizhou.household_sizes == pytest.approx(expected.tolist(), rel=1e-12)
    sizes = guizhou.household_size()
    assert set(np.unique(sizes)) == {2, 3, 4}  # floor or ceil of each fifth's expected size
    assert sizes.mean() == pytest.approx(expected.mean(), abs=0.01)  # 3.4043
    # Poorer fifths are larger: by per-capita income rank.
    order = np.argsort(guizhou.per_capita_income(), kind="stable")
    by_fifth = sizes[order].reshape(5, -1).mean(axis=1)
    assert by_fifth == pytest.approx(expected.tolist(), abs=0.02)


def test_income_quintiles_are_the_scaled_national_shape(guizhou: SyntheticPopulation) -> None:
    assert guizhou.income.value == Decimal("14817") and guizhou.income.year == 2023
    assert (guizhou.shape.year, guizhou.shape.population, guizhou.shape.measure) == (2013, "rural", "net")
    targets = RURAL_2013 / RURAL_2013.mean() * 14817  # 3930, 8393, 12085, 17306, 32370
    assert guizhou.quintile_means == pytest.approx(targets.tolist(), rel=1e-12)
    ranked = np.sort(guizhou.per_capita_income())
    means = ranked.reshape(5, -1).mean(axis=1)  # 20% of households each
    assert means == pytest.approx(targets.tolist(), rel=0.01)
    # The average over households is the published mean; per person it is lower (larger poor households).
    assert ranked.mean() == pytest.approx(14817, rel=0.01)
    person_mean = guizhou.columns["income"].sum() / guizhou.members
    assert person_mean < 14817 * 0.99


def test_the_curve_is_calibrated_to_each_fifth() -> None:
    targets = RURAL_2013 / RURAL_2013.mean() * 10_000
    ranks = [0.1, 0.3, 0.5, 0.7, 0.9]
    plain = income_knots(targets, ranks, calibrate=False)
    assert plain == pytest.approx(targets.tolist())
    knots = income_knots(targets, ranks)
    assert np.all(np.diff(knots) > 0)
    u = (np.arange(1_000_000) + 0.5) / 1_000_000
    at, logs = curve_knots(np.asarray(ranks), np.log(knots))  # end segments continued to 0 and 1
    curve = np.exp(np.interp(u, at, logs))
    assert curve.reshape(5, -1).mean(axis=1) == pytest.approx(targets.tolist(), rel=1e-5)
    assert len(np.unique(np.round(curve[:100_000], 6))) == 100_000  # no flat end: no ties by construction
    at, logs = curve_knots(np.asarray(ranks), np.log(plain))
    uncalibrated = np.exp(np.interp(u, at, logs)).reshape(5, -1).mean(axis=1)
    assert uncalibrated[1] / targets[1] < 0.97  # why the knots are calibrated: 2nd fifth 3.5% low


def test_ages_and_sex(guizhou: SyntheticPopulation) -> None:
    age = guizhou.columns["age"]
    shares = np.bincount(np.digitize(age, [15, 60]), minlength=3) / len(age)
    assert shares == pytest.approx([0.1795, 0.6335, 0.1870], abs=0.003)
    assert set(np.unique(age[age >= 60])) == set(range(60, 90))  # uniform 60-89
    assert (guizhou.columns["sex"] == 1).mean() == pytest.approx(0.5, abs=0.005)


def test_assumptions_are_said_in_both_languages(guizhou: SyntheticPopulation) -> None:
    notes = guizhou.assumptions
    assert len(notes) >= 10
    for note in notes:
        assert note.key.startswith("population.assume."), note.key
        assert CJK.search(note.text("zh")), note.key
        assert note.text("en") == str(note) and not CJK.search(note.key)
    keys = [n.key for n in notes]
    for key in ("model", "income_mean", "earlier_year", "shape", "shape_measure", "within", "size",
                "age", "age_national", "sex", "no_assisted"):
        assert f"population.assume.{key}" in keys, key
    assert "population.assume.national_income" not in keys  # Guizhou's own 2023 figure
    text = " ".join(n.text("zh") for n in notes)
    assert "2013年全国农村居民五等份分组（纯收入）" in text and "低保" in text
    assert "14817" in str(notes[1]) and "Guizhou" in str(notes[1])
    sources = {s.url for s in guizhou.sources}
    assert "https://www.stats.gov.cn/sj/ndsj/2008/html/J0923e.htm" in sources
    assert all(CJK.search(n.text("zh")) for n in guizhou.source_notes())


def test_a_national_figure_standing_in_is_said(book: RateBook) -> None:
    # Coverage 2028 -> income year 2027: Guizhou's latest rural figure (2023) is over 3 years old.
    pop = synthetic_population("cn/guizhou", 2028, 1_000, book=book)
    assert pop.income.stands_in and pop.income.region == "cn" and pop.income.value == Decimal("24456")
    notes = {n.key: n for n in pop.assumptions}
    said = notes["population.assume.national_income"]
    assert "national figure stands in" in str(said) and "Guizhou" in str(said)
    assert "全国的数字代替" in said.text("zh") and "贵州" in said.text("zh")
    # No all-resident figure of Guizhou after 2017: the national one (2025: 43,377) for 2026.
    every = synthetic_population("cn/guizhou", 2026, 1_000, setting="all", book=book)
    assert every.income.stands_in and every.income.value == Decimal("43377")
    assert "population.assume.national_income" in {n.key for n in every.assumptions}
    assert every.shape.year == 2025 and every.shape.population == "all"
    assert "population.assume.size_stand_in" in {n.key for n in every.assumptions}
    # The nation itself: nothing stands in.
    nation = synthetic_population("cn", 2026, 1_000, book=book)
    assert not nation.income.stands_in
    assert "population.assume.national_income" not in {n.key for n in nation.assumptions}


def test_urban_uses_the_urban_sizes(book: RateBook) -> None:
    pop = synthetic_population("cn", 2026, 1_000, setting="urban", book=book)
    # 2011 urban groups: tenths 3.30 + 3.20 and 2.57 + 2.53 make the outer fifths.
    urban = np.array([3.25, 3.01, 2.82, 2.67, 2.55]) * SCALE
    assert pop.household_sizes == pytest.approx(urban.tolist(), rel=1e-12)
    assert pop.shape.population == "urban" and pop.shape.year == 2013
    assert "population.assume.size_groups" in {n.key for n in pop.assumptions}


def test_bad_arguments_raise(book: RateBook) -> None:
    with pytest.raises(UnknownRegionError) as info:
        synthetic_population("cn/atlantis", 2026, 10, book=book)
    assert isinstance(info.value, PremiumCalcError)
    with pytest.raises(OptionError) as bad:
        synthetic_population("cn/guizhou", 2026, 10, setting="rich", book=book)
    assert bad.value.option == "setting" and CJK.search(bad.value.text("zh"))
    for households in (0, -5, 2.5, True):
        with pytest.raises(OptionError):
            synthetic_population("cn/guizhou", 2026, households, book=book)  # type: ignore[arg-type]


def _book_with(tmp_path: Path, old: str, new: str) -> RateBook:
    target = tmp_path / PARAMETERS_FILE
    target.parent.mkdir(parents=True)
    shutil.copy(bundled_rates_dir() / PARAMETERS_FILE, target)
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return RateBook([tmp_path], use_env=False)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("male_share = 0.5", "male_share = 2", "sex.male_share"),
        ("share = 17.95", "share = 17.5", "age.band"),
        ("sizes = [4.57, 4.31, 4.05, 3.81, 3.40]", "sizes = [4.57, 4.31]", "household_size.table[0].sizes"),
        ("census_now = 2.62", "census_now = -2.62", "household_size.census_now"),
        ("calibrate = true", "calibrate = true\nsmooth = 3", "model.smooth"),
    ],
)
def test_a_bad_parameters_file_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    book = _book_with(tmp_path, old, new)
    with pytest.raises(RateFileError) as info:
        synthetic_population("cn/guizhou", 2026, 10, book=book)
    assert info.value.file == str(tmp_path / PARAMETERS_FILE)
    assert info.value.key == key and info.value.line is not None


def test_a_user_parameters_file_overrides_the_bundled_one(tmp_path: Path) -> None:
    book = _book_with(tmp_path, "male_share = 0.5", "male_share = 0.25")
    pop = synthetic_population("cn/guizhou", 2026, 20_000, book=book)
    assert (pop.columns["sex"] == 1).mean() == pytest.approx(0.25, abs=0.01)
    assert "25% men" in str(next(n for n in pop.assumptions if n.key == "population.assume.sex"))


def test_a_million_households_build_quickly(book: RateBook) -> None:
    synthetic_population("cn/guizhou", 2026, 1_000, book=book)  # warm the statistics
    best = float("inf")
    for seed in range(2):
        start = time.perf_counter()
        pop = synthetic_population("cn/guizhou", 2026, 1_000_000, seed=seed, book=book)
        best = min(best, time.perf_counter() - start)
    assert pop.households == 1_000_000 and pop.members > 3_000_000
    assert best < 2.0  # about 0.6 s on a developer machine
