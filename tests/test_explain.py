"""``premium_calc.explain``: every effective value, its file and line, its source; diffs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from premium_calc.errors import YearNotCoveredError
from premium_calc.ratebook.book import RateBook
from premium_calc.ratebook.diff import diff
from premium_calc.ratebook.explain import explain, show

from .fixtures import NATIONAL

CN = NATIONAL

# Line numbers are written next to the lines the tests point at.
PROVINCE = """\
[region]
name = { zh = "某省", en = "Province" }
parent = "cn"
level = "province"

[[year]]
coverage = 2024
source = { title = "province 2024", url = "https://example.org/p/2024", confidence = "medium" }
collection = { start = 2023-09-01, end = 2023-12-31 }

  [[year.category]]
  id = "adult"
  name = { zh = "成人", en = "adults" }
  individual = 380

[[year]]
coverage = 2025
source = { title = "province 2025", url = "https://example.org/p/2025", confidence = "high" }
subsidy = 700
collection = { start = 2024-09-01, end = 2024-12-31 }
late = { amount = 1100, waiting_days = 90 }

  [[year.category]]
  id = "child"
  when = { max_age = 17 }
  individual = 380
  below_minimum = true

  [[year.category]]
  id = "adult"
  name = { zh = "成人", en = "adults" }
  individual = 400
"""
# PROVINCE lines: 18 source (2025), 19 subsidy, 20 collection, 21 late, 24 child id,
# 26 child individual, 31 adult name, 32 adult individual.

CITY = """\
[region]
name = { zh = "某市", en = "City" }
parent = "cn/p"
level = "city"

[[year]]
coverage = 2025
policy = 2024
source = { title = "city 2025", url = "https://example.org/c/2025", confidence = "low" }
subsidy = 720
subsidy_source = { title = "city finance", url = "https://example.org/c/fin", confidence = "high" }

  [[year.category]]
  id = "child"

  [[year.category]]
  id = "adult"
  when = { min_age = 18 }
"""
# CITY lines: 8 policy, 10 subsidy, 18 adult when.


@pytest.fixture
def book(tmp_path: Path) -> RateBook:
    for name, text in {"cn.toml": CN, "cn/p.toml": PROVINCE, "cn/p/c.toml": CITY}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return RateBook([tmp_path], include_bundled=False, use_env=False)


def test_explain_points_at_own_and_inherited_lines(book: RateBook) -> None:
    e = explain(book, "cn/p/c", 2025)
    assert e.chain == ("cn", "cn/p", "cn/p/c")
    assert e.national_minimum == Decimal(400)

    subsidy = e["subsidy"]  # own: city line 10, backed by its subsidy_source
    assert (subsidy.value, subsidy.region, subsidy.inherited) == (Decimal(720), "cn/p/c", False)
    assert subsidy.file.name == "c.toml" and subsidy.line() == 10
    assert subsidy.source.title == "city finance"

    adult = e["category.adult.individual"]  # inherited from the province, line 32
    assert (adult.value, adult.region, adult.inherited) == (Decimal(400), "cn/p", True)
    assert adult.file.name == "p.toml" and adult.line() == 32
    assert adult.source.title == "province 2025"

    when = e["category.adult.when"]  # the city's own condition on an inherited category
    assert (when.text, when.region, when.line()) == ("min_age >= 18", "cn/p/c", 18)
    assert e["category.adult.name"].line() == 31  # name inherited by id

    child = e["category.child.individual"]
    assert (child.value, child.line()) == (Decimal(380), 26)
    assert e["category.child.below_minimum"].value is True

    policy = e["policy"]
    assert (policy.value, policy.region, policy.line()) == (2024, "cn/p/c", 8)
    late = e["late.amount"]
    assert (late.value, late.region, late.line()) == (Decimal(1100), "cn/p", 21)
    assert e["late.waiting_days"].value == 90
    assert e["collection.start"].line() == 20
    assert e.confidence == "low"  # the city's own source is low


def test_explain_of_the_province_is_all_own(book: RateBook) -> None:
    e = explain(book, "cn/p", 2025)
    assert all(not v.inherited for v in e.values if v.key != "policy")
    assert e["policy"].region == "cn"  # the province sets no policy year: the national one
    assert e.keys()[:3] == ["policy", "subsidy", "collection.start"]


def test_values_as_dicts_are_json_ready(book: RateBook) -> None:
    row = explain(book, "cn/p/c", 2025)["category.adult.individual"].as_dict()
    assert row["value"] == "400" and row["line"] == 32 and row["inherited"] is True
    assert row["source"]["url"] == "https://example.org/p/2025"
    assert row["key_path"] == "year[1].category[1].individual"


def test_show_all_years_and_one(book: RateBook) -> None:
    view = show(book, "cn/p")
    assert view.years == (2024, 2025)
    assert [e.year for e in view.explanations] == [2024, 2025]
    assert view.chain == ("cn", "cn/p")
    assert [e.year for e in show(book, "cn/p", 2025).explanations] == [2025]
    with pytest.raises(YearNotCoveredError):
        show(book, "cn/p/c", 2024)


def test_diff_absolute_and_percent(book: RateBook) -> None:
    d = diff(book, "cn/p", 2024, 2025)
    adult = d.get("category.adult.individual")
    assert adult is not None
    # 380 -> 400: +20; 20 / 380 x 100 = 5.263... -> 5.26
    assert (adult.change, adult.percent) == (Decimal(20), Decimal("5.26"))
    subsidy = d.get("subsidy")
    assert subsidy is not None
    # national 640 (2024, inherited) -> own 700: +60; 60 / 640 x 100 = 9.375 -> 9.38 (half-up)
    assert (subsidy.change, subsidy.percent) == (Decimal(60), Decimal("9.38"))
    child = d.get("category.child.individual")
    assert child is not None and child.kind == "added" and child.change is None
    policy = d.get("policy")
    assert policy is not None and policy.change is None  # years have no % change
    assert d.get("category.adult.name") is None  # unchanged values are not listed


def test_real_chengdu_tier_points_at_its_line(book: RateBook) -> None:
    real = RateBook(use_env=False)
    e = explain(real, "成都", 2026)
    tier2 = e["category.adult.tiers.tier2"]
    lines = tier2.file.read_text(encoding="utf-8").splitlines()
    assert tier2.value == Decimal(550)
    line = tier2.line()
    assert line is not None and "tier2 = 550" in lines[line - 1]
    assert e["policy"].region == "cn/sichuan"  # Chengdu 2026 sets no notice year of its own


def test_real_shenzhen_formula() -> None:
    e = explain(RateBook(use_env=False), "深圳", 2025)
    adult = e["category.adult.individual"]
    # 6409 x 0.7% x 12 = 538.356 -> 538.36 (half-up to the fen)
    assert adult.value == Decimal("538.36")
    assert adult.formula == "6409 x 0.7% x 12"


def test_real_diff_chengdu() -> None:
    d = diff(RateBook(use_env=False), "cn/sichuan/chengdu", 2025, 2026)
    tier2 = d.get("category.adult.tiers.tier2")
    assert tier2 is not None
    # 520 -> 550: +30; 30 / 520 x 100 = 5.769... -> 5.77
    assert (tier2.change, tier2.percent) == (Decimal(30), Decimal("5.77"))


def test_origins_are_recorded_by_the_resolver_as_key_paths(book: RateBook) -> None:
    s = book.schedule("cn/p/c", 2025)
    assert s.origins["subsidy"].key == ("year", 0, "subsidy")  # the city's own
    assert s.origins["subsidy"].region == "cn/p/c"
    assert s.origins["policy"].key == ("year", 0, "policy")
    assert s.origins["late"].region == "cn/p" and s.origins["late"].key == ("year", 1, "late")
    assert s.late_origin == s.origins["late"] and s.collection_origin == s.origins["collection"]
    assert "tier" not in s.origins  # nobody declares tiers

    adult = next(c for c in s.categories if c.id == "adult")
    assert adult.origins["when"].key == ("year", 0, "category", 1, "when")  # the city's
    assert adult.origins["when"].region == "cn/p/c"
    assert adult.origins["individual"].key == ("year", 1, "category", 1, "individual")
    assert adult.origins["name"].region == "cn/p" and adult.origins["id"].region == "cn/p/c"
    assert adult.amount_origin.key == ("year", 1, "category", 1)
    assert adult.amount_origin.region == "cn/p"
    # No subsidy of its own: the category's is the year's.
    assert adult.subsidy_origin == s.subsidy_origin
    assert explain(book, "cn/p/c", 2025).get("category.adult.subsidy") is None

    row = explain(book, "cn/p/c", 2025)["late.amount"]
    assert row.origin.key == ("year", 1, "late", "amount")
    assert row.as_dict()["key_path"] == "year[1].late.amount"


def test_a_child_that_adds_includes_keeps_the_parents_amount(tmp_path: Path) -> None:
    province = PROVINCE.replace('  individual = 400\n', '  individual = 400\n  subsidy = 650\n')
    city = CITY.replace('  when = { min_age = 18 }\n', '  includes = { ltc = 30 }\n')
    for name, text in {"cn.toml": CN, "cn/p.toml": province, "cn/p/c.toml": city}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    real = RateBook([tmp_path], include_bundled=False, use_env=False)
    e = explain(real, "cn/p/c", 2025)
    includes = e["category.adult.includes.ltc"]
    assert (includes.value, includes.region, includes.line()) == (Decimal(30), "cn/p/c", 18)
    assert includes.origin.key == ("year", 0, "category", 1, "includes", "ltc")
    individual = e["category.adult.individual"]  # not an amount of its own: still the province's
    assert (individual.region, individual.line()) == ("cn/p", 32)
    subsidy = e["category.adult.subsidy"]  # the province category's own subsidy, inherited
    assert (subsidy.value, subsidy.region, subsidy.line()) == (Decimal(650), "cn/p", 33)
    assert e.get("category.child.subsidy") is None


def test_parse_path_is_the_inverse_of_format_path() -> None:
    from premium_calc.ratefiles.keypaths import format_path, parse_path

    for path in [(), ("year", 2), ("year", 0, "category", 11, "tiers", "tier1"), ("region", "parent")]:
        assert parse_path(format_path(path)) == path
    assert parse_path("year[3].late.amount") == ("year", 3, "late", "amount")
