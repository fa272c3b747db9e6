"""What is not known stays visible: assistance amounts the data lacks, categories without an
amount, incomplete incomes, years a region has no notice for, newborns.

The rate files here are test data written for these cases (invented sources, example.org),
so the arithmetic is exact and independent of the shipped data.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc import Household, Member, RateBook, YearNotCoveredError, assess, calculate
from premium_calc.cli import app
from premium_calc.household.batch import ASSIST_UNKNOWN, MemberTable, price_batch

CN = """
[region]
name = { zh = "全国", en = "China" }
level = "country"

[[year]]
coverage = 2026
policy = 2025
source = { title = "national notice 2025", url = "https://example.org/cn/2025", confidence = "high" }
subsidy = 700

  [[year.category]]
  id = "resident"
  name = { zh = "城乡居民", en = "residents" }
  individual = 400

  [[year.assisted]]
  id = "tekun"
  name = { zh = "特困人员", en = "people in extreme poverty" }
  groups = ["tekun"]
  pays = 0

  [[year.assisted]]
  id = "dibao"
  name = { zh = "低保对象", en = "dibao recipients" }
  groups = ["dibao"]
  missing = { zh = "金额由各省规定", en = "each province sets the amount" }
"""

PROVINCE = """
[region]
name = { zh = "测试省", en = "Testprov" }
parent = "cn"
level = "province"

[[year]]
coverage = 2025
source = { title = "provincial notice 2024", url = "https://example.org/p/2024", confidence = "high" }

  [[year.category]]
  id = "resident"
  name = { zh = "城乡居民", en = "residents" }
  individual = 380

[[year]]
coverage = 2026
source = { title = "provincial notice 2025", url = "https://example.org/p/2025", confidence = "high" }
whole_region = true

  [[year.category]]
  id = "student"
  name = { zh = "学生", en = "students" }
  when = { student = true }
  missing = { zh = "学生标准未公布", en = "the students' amount is not published" }

  [[year.category]]
  id = "resident"
  name = { zh = "城乡居民", en = "residents" }
  individual = 420

  [[year.assisted]]
  id = "dibao_local"
  name = { zh = "低保对象（本省）", en = "dibao recipients (provincial)" }
  groups = ["dibao"]
  pays = 60
"""

#: The same province with no rule of its own for dibao (the national "amount unknown" holds).
NO_LOCAL = PROVINCE.split("  [[year.assisted]]")[0]


@pytest.fixture
def rates(tmp_path: Path) -> Path:
    (tmp_path / "cn").mkdir()
    (tmp_path / "cn.toml").write_text(CN, encoding="utf-8")
    (tmp_path / "cn" / "testprov.toml").write_text(NO_LOCAL, encoding="utf-8")
    return tmp_path


def _book(rates: Path) -> RateBook:
    return RateBook([rates], include_bundled=False, use_env=False)


def test_dibao_with_unknown_assistance_is_a_range(rates: Path) -> None:
    # Testprov 2026 sets no dibao amount: the national rule says "assisted, amount unknown".
    # Member 1 (dibao) pays 0..420; member 2 pays 420; 特困 member 3 pays 0 (national rule).
    book = _book(rates)
    household = Household(
        members=(Member(age=68, assisted=("dibao",)), Member(age=40), Member(age=80, assisted=("tekun",)))
    )
    result = calculate(book.schedule("cn/testprov", 2026), household)
    dibao, adult, tekun = result.members
    assert (dibao.unknown, dibao.paid, dibao.paid_low, dibao.paid_high) == ("assistance", None, 0, 420)
    assert dibao.assistance is None and dibao.gross == 420 and dibao.assisted_rule == "dibao"
    assert (adult.paid, tekun.paid, tekun.assistance) == (420, 0, 420)
    assert result.total_paid is None and result.total_assistance is None
    assert (result.total_paid_low, result.total_paid_high) == (Decimal(420), Decimal(840))
    assert result.total_gross == 1260
    note = next(n for n in result.notes if n.key == "note.member_assistance_unknown")
    assert "each province sets the amount" in str(note)
    assert "金额由各省规定" in note.text("zh") and "第1位成员" in note.text("zh")


def test_a_local_amount_replaces_the_national_unknown(rates: Path) -> None:
    (rates / "cn" / "testprov.toml").write_text(PROVINCE, encoding="utf-8")
    household = Household(members=(Member(age=68, assisted=("dibao",)),))
    result = calculate(_book(rates).schedule("cn/testprov", 2026), household)
    assert (result.members[0].paid, result.members[0].unknown, result.total_paid) == (60, None, 60)


def test_burden_of_a_range_is_a_range(rates: Path) -> None:
    household = Household(
        members=(Member(age=68, assisted=("dibao",)), Member(age=40)), income=Decimal(8400)
    )
    result = assess(_book(rates), "cn/testprov", 2026, household)
    # 420 / 8400 = 5.00% at least; 840 / 8400 = 10.00% at most.
    b = result.burden
    assert (b.burden_ratio, b.ratio_low, b.ratio_high) == (None, Decimal("0.0500"), Decimal("0.1000"))
    assert not b.computable


def test_a_category_without_amount_leaves_the_others_priced(rates: Path) -> None:
    household = Household(members=(Member(age=10, student=True), Member(age=40)))
    result = calculate(_book(rates).schedule("cn/testprov", 2026), household)
    student, adult = result.members
    assert (student.unknown, student.gross, student.paid_high) == ("amount", None, None)
    assert adult.paid == 420
    assert result.total_paid is None and result.total_paid_low == 420 and result.total_paid_high is None


def test_cli_shows_unknowns_in_table_json_and_csv(rates: Path) -> None:
    args = ["calc", "--rates-dir", str(rates), "-r", "cn/testprov", "-y", "2026"]
    args += ["-m", "68:dibao", "-m", "40"]
    table = CliRunner().invoke(app, [*args, "--lang", "zh"])
    assert table.exit_code == 0, table.stderr
    assert "个人缴费在420元到840元之间" in table.stdout
    assert "420–840?" in table.stdout and "不详?" in table.stdout
    data = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert data["total_paid"] is None and (data["total_paid_low"], data["total_paid_high"]) == ("420", "840")
    assert data["members"][0]["unknown"] == "assistance"
    csv = CliRunner().invoke(app, [*args, "--csv"]).stdout.splitlines()
    assert "paid_low" in csv[0] and "unknown" in csv[0]
    assert csv[1].split(",")[csv[0].split(",").index("unknown")] == "assistance"


def test_batch_marks_unknown_assistance_and_bounds_it(rates: Path) -> None:
    book = _book(rates)
    households = [Household(members=(Member(age=68, assisted=("dibao",)), Member(age=40)))]
    table = MemberTable.from_households(households, 2026)
    result = price_batch(book.schedule("cn/testprov", 2026), table)
    assert result.status.tolist()[0] == ASSIST_UNKNOWN
    assert result.household_paid_low_fen is not None and result.bounded is not None
    assert (int(result.household_paid_low_fen[0]), int(result.household_paid_fen[0])) == (42000, 84000)
    assert not result.valid[0] and bool(result.bounded[0])


def test_a_year_without_a_notice_is_answered_from_the_parent(rates: Path) -> None:
    # cn/testprov has 2025 and 2026; a city file with only 2026 asked for 2025 gets the
    # province's 380 (not an error, not the national 400).
    (rates / "cn" / "testprov").mkdir()
    (rates / "cn" / "testprov" / "city.toml").write_text(
        '[region]\nname = { zh = "测试市", en = "Testcity" }\nparent = "cn/testprov"\nlevel = "city"\n\n'
        '[[year]]\ncoverage = 2026\nsource = { title = "city notice", confidence = "medium" }\n',
        encoding="utf-8",
    )
    book = _book(rates)
    schedule = book.standard("cn/testprov/city", 2025)
    assert (schedule.region, schedule.standard_from, schedule.national_fallback) == (
        "cn/testprov/city", "cn/testprov", False,
    )
    assert schedule.notes[0].key == "note.standard_from_ancestor"
    assert calculate(schedule, Household(members=(Member(age=40),))).total_paid == 380
    with pytest.raises(YearNotCoveredError):
        book.schedule("cn/testprov/city", 2025)  # the strict lookup is unchanged
    with pytest.raises(YearNotCoveredError):
        book.standard("cn/testprov/city", 2019)  # no level has 2019


def test_incomplete_member_incomes_are_stated_not_zero(rates: Path) -> None:
    household = Household(members=(Member(age=40, income=Decimal(9000)), Member(age=38), Member(age=70)))
    assert household.annual_income is None and household.members_without_income == [2, 3]
    result = assess(_book(rates), "cn", 2026, household)
    b = result.burden
    assert (b.income_basis, b.computable, b.burden_ratio, b.statistic) == ("incomplete", False, None, None)
    assert b.reason is not None and "2, 3" in str(b.reason)
    assert "第2, 3位成员没有填收入" in b.reason.text("zh")
    # Giving 0 for those who earn nothing completes it: 1200 / 9000 = 13.33%.
    complete = Household(
        members=(Member(age=40, income=Decimal(9000)), Member(age=38, income=0), Member(age=70, income=0))
    )
    assert assess(_book(rates), "cn", 2026, complete).burden_ratio == Decimal("0.1333")


def test_newborn_enters_in_birth_year(rates: Path) -> None:
    baby = Member(birth_date=dt.date(2026, 5, 3))
    assert baby.age_in(2026) == 0
    result = calculate(_book(rates).schedule("cn", 2026), Household(members=(baby,)))
    assert result.members[0].age == 0 and result.total_paid == 400
