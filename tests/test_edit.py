"""``premium_calc.edit``: layout-preserving, validated, atomic edits of rate files."""

from __future__ import annotations

import difflib
import os
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from premium_calc.errors import EditError, UnknownRegionError
from premium_calc.ratebook.book import RateBook
from premium_calc.ratebook.explain import explain, value_map
from premium_calc.ratefiles.reading import bundled_rates_dir
from premium_calc.units import exact_text
from premium_calc.upkeep.commit import check_edit
from premium_calc.upkeep.new_year import new_year, parse_bumps
from premium_calc.upkeep.set_value import set_value

from .fixtures import NATIONAL

URL = "https://example.org/notice-2025"

CN = NATIONAL

PROVINCE = """\
# A province: comments and layout must survive every edit.
[region]
name = { zh = "某省", en = "Province" }   # keep this comment
parent = "cn"
level = "province"

# The 2025 notice.
[[year]]
coverage = 2025
policy = 2024
source = { title = "province 2025", url = "https://example.org/p/2025", confidence = "high" }
collection = { start = 2024-09-01, end = 2024-12-31 }
subsidy = 700   # fiscal

  [[year.tier]]
  id = "tier1"
  name = { zh = "一档", en = "tier 1" }

  [[year.tier]]
  id = "tier2"
  name = { zh = "二档", en = "tier 2" }

  [[year.category]]
  id = "child"
  when = { max_age = 17 }
  individual = 400

  [[year.category]]
  id = "adult"
  name = { zh = "成人", en = "adults" }
  tiers = { tier1 = 400, tier2 = 600 }   # two tiers

  [[year.assisted]]
  id = "dibao"
  name = { zh = "低保", en = "dibao" }
  groups = ["dibao"]
  pays_share = "50%"

# end of file
"""

CITY = """\
[region]
name = { zh = "某市", en = "City" }
parent = "cn/p"
level = "city"

[[year]]
coverage = 2025
policy = 2024
source = { title = "city 2025", url = "https://example.org/c/2025", confidence = "medium" }
"""


@pytest.fixture
def rates(tmp_path: Path) -> Path:
    root = tmp_path / "rates"
    for name, text in {"cn.toml": CN, "cn/p.toml": PROVINCE, "cn/p/c.toml": CITY}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def book_of(root: Path) -> RateBook:
    return RateBook([root], include_bundled=False, use_env=False)


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """Lines removed and added (everything else is byte-identical)."""
    removed: list[str] = []
    added: list[str] = []
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


# --- round trips ------------------------------------------------------------------------


def test_set_changes_only_the_value_line(rates: Path) -> None:
    path = rates / "cn" / "p.toml"
    result = set_value(
        book_of(rates), "cn/p", 2025, "category.adult.tiers.tier2", "650", source_url=URL
    )
    assert result.written
    new = path.read_text(encoding="utf-8")
    removed, added = changed_lines(PROVINCE, new)
    assert removed == ["  tiers = { tier1 = 400, tier2 = 600 }   # two tiers\n"]
    assert added == [
        "  tiers = { tier1 = 400, tier2 = 650 }   # two tiers\n",
        f'  source = {{ title = "{URL}", url = "{URL}", confidence = "medium" }}\n',
    ]
    fresh = book_of(rates).schedule("cn/p", 2025)
    adult = next(c for c in fresh.categories if c.id == "adult")
    assert adult.tier_amounts == {"tier1": Decimal(400), "tier2": Decimal(650)}
    assert adult.source.url == URL


def test_dates_in_inline_tables_keep_their_spacing(rates: Path) -> None:
    """tomlkit drops the blank after a date in ``{ ... }``: the edit must not."""
    path = rates / "cn" / "p.toml"
    set_value(book_of(rates), "cn/p", 2025, "collection.end", "2025-01-31", source_url=URL)
    removed, added = changed_lines(PROVINCE, path.read_text(encoding="utf-8"))
    assert removed == ["collection = { start = 2024-09-01, end = 2024-12-31 }\n"]
    assert added == [
        "collection = { start = 2024-09-01, end = 2025-01-31, source = { title ="
        f' "{URL}", url = "{URL}", confidence = "medium" }} }}\n'
    ]


def test_every_shipped_file_round_trips_untouched_bytes(tmp_path: Path) -> None:
    """Setting the subsidy of each region's last year changes that line and adds its source."""
    root = tmp_path / "rates"
    shutil.copytree(bundled_rates_dir(), root)
    book = book_of(root)
    checked = 0
    for region_id in book.region_ids():
        reg = book.region(region_id)
        entries = [e for e in reg.data.year if e.subsidy is not None and e.subsidy_source is None]
        if not entries:
            continue
        entry = entries[-1]
        result = set_value(
            book, region_id, entry.coverage, "subsidy", "9999", source_url=URL, dry_run=True
        )
        removed, added = changed_lines(result.old_text, result.new_text)
        # A late amount defined as individual + subsidy follows the subsidy, and says so.
        keys = [getattr(n, "key", "") for n in result.notes]
        follows = ["late"] if "edit.late_recomputed_sum" in keys else []
        assert [line.split("=")[0].strip() for line in removed] == ["subsidy", *follows], region_id
        assert [line.split("=")[0].strip() for line in added] == ["subsidy", "subsidy_source", *follows]
        assert added[0].startswith("subsidy = 9999")
        lines = result.new_text.splitlines()
        at = lines.index(added[0].rstrip("\n"))
        assert lines[at + 1].startswith("subsidy_source = "), region_id  # right after its value
        late = [line for line in added if line.startswith("late")]
        if late:
            schedule = book.schedule(region_id, entry.coverage)
            cat = next(c for c in schedule.categories if c.individual is not None)
            assert late[0].startswith(f"late = {{ amount = {exact_text(cat.individual + 9999)},")
        checked += 1
    assert checked >= 10


def test_crlf_files_keep_their_line_endings(rates: Path) -> None:
    path = rates / "cn" / "p.toml"
    path.write_bytes(PROVINCE.replace("\n", "\r\n").encode("utf-8"))
    set_value(book_of(rates), "cn/p", 2025, "subsidy", "720", source_url=URL)
    data = path.read_bytes()
    assert b"subsidy = 720   # fiscal\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.startswith(b"# A province: comments and layout must survive every edit.\r\n")


def test_subsidy_source_goes_next_to_the_subsidy(rates: Path) -> None:
    set_value(
        book_of(rates),
        "cn/p",
        2025,
        "subsidy",
        "720",
        source_url=URL,
        source_title="省医保局 2025 通知",
        confidence="high",
    )
    lines = (rates / "cn" / "p.toml").read_text(encoding="utf-8").splitlines()
    at = lines.index("subsidy = 720   # fiscal")
    assert lines[at + 1] == (
        f'subsidy_source = {{ title = "省医保局 2025 通知", url = "{URL}", confidence = "high" }}'
    )
    e = explain(book_of(rates), "cn/p", 2025)
    assert e["subsidy"].source.title == "省医保局 2025 通知"
    assert e["subsidy"].line() == at + 1


# --- inheritance-aware edits ------------------------------------------------------------


def test_city_edit_of_an_inherited_category_keeps_everything_else(rates: Path) -> None:
    before = value_map(explain(book_of(rates), "cn/p/c", 2025))
    result = set_value(
        book_of(rates), "cn/p/c", 2025, "category.adult.tiers.tier2", "620", source_url=URL
    )
    assert any("categories child, adult are now listed" in n for n in result.notes)
    # The city's own tiers table starts from the inherited one (tier1 400), tier2 changed.
    assert (
        "category.adult.tiers: copied tier1, tier2 from the inherited category" not in result.notes
    )
    text = (rates / "cn" / "p" / "c.toml").read_text(encoding="utf-8")
    assert "  tiers = { tier1 = 400, tier2 = 620 }\n" in text
    after = value_map(explain(book_of(rates), "cn/p/c", 2025))
    assert before["category.adult.tiers.tier2"] == Decimal(600)
    assert after == {**before, "category.adult.tiers.tier2": Decimal(620)}


def test_city_edit_of_an_inherited_window_copies_it_first(rates: Path) -> None:
    result = set_value(
        book_of(rates), "cn/p/c", 2025, "collection.end", "2025-02-28", source_url=URL
    )
    assert result.notes == (
        "collection: copied start, end from cn/p (this table replaces the parent's)",
        "confidence of coverage year 2025: medium (unchanged)",
    )
    e = explain(book_of(rates), "cn/p/c", 2025)
    assert e["collection.start"].value.isoformat() == "2024-09-01"  # type: ignore[union-attr]
    assert e["collection.end"].region == "cn/p/c"


def test_assisted_amount_form_is_replaced(rates: Path) -> None:
    result = set_value(book_of(rates), "cn/p", 2025, "assisted.dibao.pays", "0", source_url=URL)
    assert "assisted.dibao.pays_share removed (a rule gives its amount one way only)" in result.notes
    # The new value's source is medium (the default), the year's was high: it says so.
    assert result.notes[-1] == (
        "confidence of coverage year 2025: high -> medium (the year shows the lowest confidence of its"
        " values; give --confidence to state the new value's)"
    )
    text = (rates / "cn" / "p.toml").read_text(encoding="utf-8")
    assert "pays_share" not in text and "  pays = 0\n" in text


def test_descendants_are_validated_too(rates: Path) -> None:
    book = book_of(rates)
    path = rates / "cn" / "p.toml"
    old = path.read_text(encoding="utf-8")
    (rates / "cn" / "p" / "c.toml").write_text(
        CITY + '\n  [[year.category]]\n  id = "adult"\n  when = { min_age = 18 }\n',
        encoding="utf-8",
    )
    # The province drops "adult": the city's adult category is left without an amount.
    new = old.replace('  id = "adult"', '  id = "grown_up"')
    found = check_edit(book_of(rates), "cn/p", path, old, new)
    assert [(Path(p.file).name, p.rule) for p in found if p.is_error] == [
        ("c.toml", "category-no-amount")
    ]
    assert book is not None


# --- refusals change nothing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "category.adult.tiers.tier3",
            "500",
            "p.toml:31:39: year[0].category[1].tiers.tier3: category 'adult' gives an amount for"
            " tier 'tier3', which is not declared for coverage year 2025 (expected one of the"
            " year's tiers: tier1, tier2)",
        ),
        (
            "collection.start",
            "2025-03-01",
            "p.toml:12:36: year[0].collection.end: the collection window ends 2024-12-31, before"
            " it starts 2025-03-01 (expected start <= end)",
        ),
        (
            "category.adult.individual",
            "500",
            "year[0].category[1].tiers: category 'adult' sets both individual and tiers"
            " (expected one of them: tiers replace individual)",
        ),
    ],
)
def test_invalid_edit_changes_nothing_and_says_why(
    rates: Path, key: str, value: str, message: str
) -> None:
    path = rates / "cn" / "p.toml"
    with pytest.raises(EditError) as info:
        set_value(book_of(rates), "cn/p", 2025, key, value, source_url=URL)
    assert str(info.value).startswith("the edit would break p.toml, nothing was changed: ")
    assert message in str(info.value)
    assert info.value.problems
    assert path.read_text(encoding="utf-8") == PROVINCE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("subsidy", "abc"),
            "subsidy = 'abc': not an amount (expected yuan from 0 to 100000, at most two decimals, such"
            " as 400 or 538.36)",
        ),
        (("subsidy", "5%"), "subsidy: 5% is ambiguous: write +5% or -5%"),
        (("subsidy", "1.234"), "subsidy = '1.234': not an amount"),
        (("collection.end", "2025-02-30"), "collection.end = '2025-02-30': not a date"),
        (("assisted.dibao.pays_share", "150%"), "assisted.dibao.pays_share = '150%': not a share"),
        (("coverage", "2026"), "'coverage': not a key that can be set"),
        (("category.nobody.individual", "400"), "cn/p 2025 has no category 'nobody'"),
    ],
)
def test_bad_values_and_keys_are_refused(rates: Path, args: tuple[str, str], message: str) -> None:
    with pytest.raises(EditError) as info:
        set_value(book_of(rates), "cn/p", 2025, *args, source_url=URL)
    assert message in str(info.value)
    assert (rates / "cn" / "p.toml").read_text(encoding="utf-8") == PROVINCE


def test_values_need_a_source_and_notes_take_none(rates: Path) -> None:
    with pytest.raises(EditError, match=r"subsidy: a value needs its source"):
        set_value(book_of(rates), "cn/p", 2025, "subsidy", "720")
    with pytest.raises(EditError, match=r"a note or flag takes no --source"):
        set_value(book_of(rates), "cn/p", 2025, "note", "x", source_url=URL)
    result = set_value(book_of(rates), "cn/p", 2025, "category.child.note", "checked 2025-10")
    assert result.written


def test_missing_year_is_refused(rates: Path) -> None:
    with pytest.raises(
        EditError, match=r"cn/p has no entry for coverage year 2026 \(years: 2025\)"
    ):
        set_value(book_of(rates), "cn/p", 2026, "subsidy", "720", source_url=URL)


def test_dry_run_writes_nothing_and_shows_a_diff(rates: Path) -> None:
    path = rates / "cn" / "p.toml"
    result = set_value(book_of(rates), "cn/p", 2025, "subsidy", "720", source_url=URL, dry_run=True)
    assert not result.written and result.dry_run
    assert path.read_text(encoding="utf-8") == PROVINCE
    diff = result.diff("cn/p.toml")
    assert diff.startswith("--- a/cn/p.toml\n+++ b/cn/p.toml\n")
    assert "-subsidy = 700   # fiscal\n+subsidy = 720   # fiscal\n" in diff


# --- atomic writes ----------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failure_during_write_leaves_the_original(
    rates: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = rates / "cn" / "p.toml"

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(EditError) as info:
        set_value(book_of(rates), "cn/p", 2025, "subsidy", "720", source_url=URL)
    assert "cannot write the file (No space left on device); nothing was changed" in str(info.value)
    assert path.read_text(encoding="utf-8") == PROVINCE
    assert sorted(p.name for p in path.parent.iterdir()) == ["p", "p.toml"]  # no temp file left


def test_file_mode_is_kept(rates: Path) -> None:
    path = rates / "cn" / "p.toml"
    path.chmod(0o640)
    set_value(book_of(rates), "cn/p", 2025, "subsidy", "720", source_url=URL)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_unwritable_file_is_refused(rates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if str(path).endswith("p.toml") and mode == os.W_OK:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(EditError, match=r"is not writable \(bundled with an installed package\?\)"):
        set_value(book_of(rates), "cn/p", 2025, "subsidy", "720", source_url=URL)


def test_region_id_cannot_name_a_file_outside_the_rate_directories(
    rates: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text(PROVINCE, encoding="utf-8")
    for query in ("../outside", "/etc/passwd", "cn/../../outside", str(outside)):
        with pytest.raises(UnknownRegionError):
            set_value(book_of(rates), query, 2025, "subsidy", "720", source_url=URL)
    # A link inside the rate directory that points outside is refused too.
    (rates / "cn" / "evil.toml").symlink_to(outside)
    with pytest.raises(EditError, match=r"is not inside the rate directories"):
        set_value(book_of(rates), "cn/evil", 2025, "subsidy", "720", source_url=URL)
    assert outside.read_text(encoding="utf-8") == PROVINCE


def test_directory_argument_edits_only_files_in_it(rates: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    (mine / "cn").mkdir(parents=True)
    with pytest.raises(EditError, match=r"is not inside"):
        set_value(mine, "cn", 2025, "subsidy", "680", source_url=URL)  # the bundled national file
    shutil.copy(rates / "cn" / "p.toml", mine / "cn" / "p.toml")
    # cn/p in "mine" overrides nothing bundled; its parent cn comes from the bundled tree.
    result = set_value(mine, "cn/p", 2025, "subsidy", "720", source_url=URL)
    assert result.path == (mine / "cn" / "p.toml").resolve() and result.written


# --- new year ---------------------------------------------------------------------------


def test_new_year_copies_bumps_and_moves_dates(rates: Path) -> None:
    path = rates / "cn" / "p.toml"
    (rates / "cn.toml").write_text(
        CN + CN[CN.rindex("[[year]]") :].replace("2025", "2026").replace("2024", "2025"),
        encoding="utf-8",
    )
    result = new_year(
        book_of(rates), "cn/p", 2025, 2026, parse_bumps(["individual=+20", "subsidy=+5%"])
    )
    assert result.written
    text = path.read_text(encoding="utf-8")
    assert text.startswith(PROVINCE)  # the old entry and everything before it are untouched
    schedule = book_of(rates).schedule("cn/p", 2026)
    amounts = {c.id: (c.individual, dict(c.tier_amounts)) for c in schedule.categories}
    # child 400 + 20 = 420; adult tiers 400 + 20 = 420, 600 + 20 = 620
    assert amounts == {
        "child": (Decimal(420), {}),
        "adult": (None, {"tier1": Decimal(420), "tier2": Decimal(620)}),
    }
    assert schedule.subsidy == Decimal(735)  # 700 x 1.05 = 735.00
    assert schedule.policy_year == 2025
    assert schedule.collection is not None
    assert (schedule.collection.start.isoformat(), schedule.collection.end.isoformat()) == (  # type: ignore[union-attr]
        "2025-09-01",
        "2025-12-31",
    )
    assert schedule.source.confidence == "low" and schedule.source.title.startswith("DRAFT")
    assert [w.rule for w in result.warnings] == ["source-unchecked"]


def test_new_year_before_existing_years_goes_in_order(rates: Path) -> None:
    path = rates / "cn" / "p.toml"
    result = new_year(
        book_of(rates), "cn/p", 2025, 2024, {"individual": "-20"}, source_url=URL, confidence="high"
    )
    text = path.read_text(encoding="utf-8")
    assert (
        text.index("coverage = 2024")
        < text.index("# The 2025 notice.")
        < text.index("coverage = 2025")
    )
    removed, _ = changed_lines(PROVINCE, text)
    assert removed == []  # only additions
    assert result.label == "new coverage year 2024 from 2025, bumps individual -20"


def test_new_year_refusals(rates: Path) -> None:
    with pytest.raises(EditError, match=r"cn/p already has coverage year 2025"):
        new_year(book_of(rates), "cn/p", 2025, 2025)
    # cn/p/c inherits its categories from cn/p, which has no 2026: the new year keeps them
    # (written in) and the bump applies to them; it says so.
    kept = new_year(book_of(rates), "cn/p/c", 2025, 2026, {"individual": "+20"}, dry_run=True)
    said = [n for n in kept.notes if "kept what the region inherited for 2025" in n]
    assert said and "category" in said[0], kept.notes
    assert "[[year.category]]" in kept.new_text.split("coverage = 2026")[1]
    with pytest.raises(EditError, match=r"--bump 'individual\+20': not a bump"):
        parse_bumps(["individual+20"])
    assert (rates / "cn" / "p.toml").read_text(encoding="utf-8") == PROVINCE
