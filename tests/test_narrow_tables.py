"""Tables at 60 (and 40) columns: wrapped or stacked, never an id, year or amount cut; and the
``--csv`` / ``--json`` outputs of ``rates diff``, ``rates coverage`` and ``regions``."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.render.formats import year_ranges
from premium_calc.render.tables import Column, Grid, min_width, wrap

runner = CliRunner()
LANGS = ("zh", "en")
NUMBER = re.compile(r"^[+-]?[\d,.:-]+%?$")  # amounts, years, dates, ranges of years, percents


def run(*args: str, width: int = 60) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(width)})
    return result.exit_code, result.stdout, result.stderr


def json_of(*args: str) -> Any:
    code, out, err = run(*args, "--json", width=200)
    assert code == 0, err
    return json.loads(out)


def csv_of(*args: str) -> list[dict[str, str]]:
    code, out, err = run(*args, "--csv", width=200)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def whole(text: str, out: str) -> bool:
    """``text`` appears in ``out`` as a whole word (not as part of a longer id or number)."""
    return re.search(rf"(?<![\w/.,+-]){re.escape(text)}(?![\w/-]|,\d)", out) is not None


def assert_fits(out: str, width: int = 60, *, text_lines: tuple[str, ...] = ()) -> None:
    """No ellipsis, and no line wider than ``width`` but the plain text lines (headings and
    notes the terminal wraps) that start with one of ``text_lines``."""
    assert "…" not in out
    lines = [line.rstrip() for line in out.splitlines() if not line.startswith(text_lines)]
    assert max(cell_len(line) for line in lines) <= width


# --- rates diff -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_diff_at_60_columns_keeps_every_key_year_and_amount(lang: str) -> None:
    code, out, _ = run("rates", "diff", "成都", "2025", "2026", "--lang", lang)
    assert code == 0
    assert_fits(out)
    data = json_of("rates", "diff", "成都", "2025", "2026")
    assert whole(data["region"], out) and whole("2025", out) and whole("2026", out)
    numbers = 0
    for c in data["changes"]:
        assert whole(c["key"], out), c["key"]
        for text in (c["old_text"], c["new_text"]):
            if text is not None and NUMBER.match(text):
                assert whole(text, out), (c["key"], text)
                numbers += 1
        if c["change"] is not None:
            assert whole(f"+{c['change']}" if not c["change"].startswith("-") else c["change"], out)
            assert whole(f"+{c['percent']}%", out)
    assert numbers >= 10
    # Low-confidence values keep their mark beside the amount.
    assert whole("520†", out)


def test_diff_wraps_where_the_table_still_fits() -> None:
    code, out, _ = run("rates", "diff", "成都", "2025", "2026", width=80)
    assert code == 0
    assert_fits(out, 80)
    row = next(line for line in out.splitlines() if line.startswith("category.adult.tiers.tier2"))
    assert row.split() == ["category.adult.tiers.tier2", "520†", "550", "+30", "+5.77%"]


def test_diff_csv() -> None:
    rows = csv_of("rates", "diff", "成都", "2025", "2026")
    assert list(rows[0]) == [
        "region", "year_from", "year_to", "key", "kind", "old", "new", "change", "percent",
        "old_confidence", "new_confidence", "old_low_confidence", "new_low_confidence",
    ]  # fmt: skip
    by_key = {r["key"]: r for r in rows}
    # 710 -> 740: +30, 30 / 710 = 4.23%.
    subsidy = by_key["subsidy"]
    where = (subsidy["region"], subsidy["year_from"], subsidy["year_to"])
    assert where == ("cn/sichuan/chengdu", "2025", "2026")
    assert (subsidy["kind"], subsidy["old"], subsidy["new"], subsidy["change"], subsidy["percent"]) == (
        "changed", "710", "740", "30", "4.23",
    )  # fmt: skip
    # 520† -> 550: the mark is a column of its own, the amount a plain number.
    tier2 = by_key["category.adult.tiers.tier2"]
    assert (tier2["old"], tier2["new"], tier2["change"], tier2["percent"]) == ("520", "550", "30", "5.77")
    assert (tier2["old_confidence"], tier2["old_low_confidence"], tier2["new_low_confidence"]) == (
        "low", "True", "False",
    )  # fmt: skip
    # Added in 2026: no 2025 value (empty, not 0) and no change.
    added = by_key["category.student_child.individual"]
    assert (added["kind"], added["old"], added["new"], added["change"], added["old_confidence"]) == (
        "added", "", "400", "", "",
    )  # fmt: skip
    assert by_key["collection.end"]["new"] == "2026-02-28"
    assert by_key["assisted.tekun.pays"]["kind"] == "removed" and by_key["assisted.tekun.pays"]["new"] == ""
    assert by_key["assisted.full.name"]["new"].startswith("特困人员, 孤儿, 重度残疾人 / ")


def test_diff_json_marks_low_confidence() -> None:
    changes = {c["key"]: c for c in json_of("rates", "diff", "成都", "2025", "2026")["changes"]}
    tier2 = changes["category.adult.tiers.tier2"]
    assert (tier2["old"], tier2["old_low_confidence"], tier2["new_low_confidence"]) == ("520", True, False)
    added = changes["category.student_child.individual"]
    assert (added["old"], added["old_low_confidence"]) == (None, None)


# --- rates show / explain / validate ----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_show_at_60_columns(lang: str) -> None:
    code, out, _ = run("rates", "show", "成都", "--lang", lang)
    assert code == 0
    assert_fits(out, text_lines=("Chengdu (", "成都市 ", "† "))  # headings, the low note
    data = json_of("rates", "show", "成都")
    for e in data["explanations"]:
        assert whole(str(e["coverage_year"]), out)
        for v in e["values"]:
            assert whole(v["key"], out), v["key"]
            if v["inherited"]:
                assert whole(v["region"], out)
            if NUMBER.match(v["text"]):
                assert whole(v["text"], out) or whole(v["text"] + "†", out), (v["key"], v["text"])


@pytest.mark.parametrize("lang", LANGS)
def test_explain_and_validate_at_60_columns(lang: str) -> None:
    code, out, _ = run("rates", "explain", "成都", "2026", "--lang", lang)
    assert code == 0 and "…" not in out
    for v in json_of("rates", "explain", "成都", "2026")["values"]:
        assert f"{v['key']} = " in out
        assert f"{v['file']}:{v['line']} " in out
    code, out, _ = run("rates", "validate", "--lang", lang)
    assert code == 0 and "…" not in out


# --- rates coverage ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_coverage_at_60_columns(lang: str) -> None:
    code, out, _ = run("rates", "coverage", "--lang", lang)
    assert code == 0
    assert_fits(out.split("\n\n", 1)[0] if "\n\n" in out else out)
    data = json_of("rates", "coverage")
    table = out.split(data["rows"][-1]["region"], 1)[0] + data["rows"][-1]["region"]
    assert "…" not in table
    for row in data["rows"]:
        assert whole(row["region"], table), row["region"]
        if row["other_years"]:
            for part in year_ranges(row["other_years"]).split(", "):
                assert whole(part, table), (row["region"], part)
    # The cells sit on the id's line: Qinghai has no 2024 entry, 2025 and 2026 are high.
    qinghai = next(line for line in out.splitlines() if line.split()[:1] == ["cn/qinghai"])
    assert qinghai.split()[1:] == (["·", "高", "高"] if lang == "zh" else ["·", "H", "H"])  # letters


def test_coverage_csv() -> None:
    rows = csv_of("rates", "coverage", "--years", "2024-2025")
    assert list(rows[0]) == [
        "region", "name_zh", "name_en", "level", "parent", "depth", "year", "exists", "confidence",
        "low_confidence", "inherits", "other_years",
    ]  # fmt: skip
    data = json_of("rates", "coverage", "--years", "2024-2025")
    assert len(rows) == 2 * len(data["rows"])
    jilin = {r["year"]: r for r in rows if r["region"] == "cn/jilin/jilin"}
    assert jilin["2025"] == {
        "region": "cn/jilin/jilin", "name_zh": "吉林市", "name_en": "Jilin City", "level": "city",
        "parent": "cn/jilin", "depth": "1", "year": "2025", "exists": "True", "confidence": "low",
        "low_confidence": "True", "inherits": "True", "other_years": "",
    }  # fmt: skip
    assert jilin["2024"]["exists"] == "True"
    # No entry: missing, not a confidence.
    hainan = next(r for r in rows if r["region"] == "cn/hainan")
    assert (hainan["exists"], hainan["confidence"], hainan["low_confidence"], hainan["inherits"]) == (
        "False", "", "", "",
    )  # fmt: skip
    cn = next(r for r in rows if r["region"] == "cn")
    assert cn["parent"] == "" and cn["other_years"].split()[:2] == ["2004", "2005"]
    assert "2026" in cn["other_years"].split()


# --- regions ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_regions_at_60_columns(lang: str) -> None:
    code, out, _ = run("regions", "--lang", lang)
    assert code == 0
    assert_fits(out)
    for row in json_of("regions"):
        assert whole(row["id"], out), row["id"]
        for part in year_ranges(row["years"]).split(", "):
            assert whole(part, out), (row["id"], part)


def test_regions_csv() -> None:
    rows = csv_of("regions")
    assert list(rows[0]) == ["id", "name_zh", "name_en", "level", "parent", "years", "file"]
    data = json_of("regions")
    assert [r["id"] for r in rows] == [r["id"] for r in data]
    by_id = {r["id"]: r for r in rows}
    assert by_id["cn/anhui"]["years"] == "2025 2026" and by_id["cn/anhui"]["parent"] == "cn"
    chengdu = by_id["cn/sichuan/chengdu"]
    assert chengdu["name_zh"] == "成都市" and "2026" in chengdu["years"].split()
    assert by_id["cn/fujian"]["years"] == ""  # no year at all: empty
    assert by_id["cn"]["parent"] == ""


# --- all of them ------------------------------------------------------------------------

COMMANDS = [
    ("rates", "diff", "成都", "2025", "2026"),
    ("rates", "coverage"),
    ("rates", "coverage", "--years", "2004-2027"),
    ("regions",),
    ("rates", "show", "成都"),
    ("rates", "explain", "成都", "2026"),
    ("rates", "validate"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("lang", LANGS)
def test_40_columns_do_not_crash(args: tuple[str, ...], lang: str) -> None:
    code, out, err = run(*args, "--lang", lang, width=40)
    assert code == 0, err
    assert out.strip() and "…" not in out


OUTPUTS = [("rates", "diff", "成都", "2025", "2026"), ("rates", "coverage"), ("regions",)]


@pytest.mark.parametrize("args", OUTPUTS, ids=" ".join)
@pytest.mark.parametrize("lang", LANGS)
def test_json_with_csv_is_refused(args: tuple[str, ...], lang: str) -> None:
    code, out, err = run(*args, "--json", "--csv", "--lang", lang)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    expected = "错误：--json 和 --csv 只能选一种" if lang == "zh" else "error: give --json or --csv, not both"
    assert err.strip() == expected


# --- the table helper -------------------------------------------------------------------


def test_wrap_breaks_at_spaces_and_wide_characters_only() -> None:
    assert wrap("学生儿童 (含大学生) / students", 10) == ["学生儿童", "(含大学生)", "/ students"]
    assert wrap("cn/hebei/shijiazhuang/ltc_pilot 2004-2023, 2027", 12) == [
        "cn/hebei/shijiazhuang/ltc_pilot",  # wider than the column, but whole
        "2004-2023,",
        "2027",
    ]
    assert wrap("  minimum-living-allowance", 12) == ["  minimum-", "  living-", "  allowance"]
    assert wrap("2026-02-28 1,070†", 6) == ["2026-02-28", "1,070†"]
    assert min_width("（低保） 1,070") == 5


@pytest.mark.parametrize("width", range(24, 131, 7))
def test_grid_never_breaks_a_word_at_any_width(width: int) -> None:
    from rich.console import Console

    words = ["cn/guangdong/shenzhen", "2024-2026", "1,070†", "+5.77%", "2026-02-28"]
    grid = Grid(
        [Column("id"), Column("名称"), Column("amount", justify="right", wrap=False)],
        [[w, "城乡居民基本医疗保险 resident medical insurance", w] for w in words],
        title="a title",
    )
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(grid)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "…" not in out
    for w in words:
        assert whole(w, out)
    if width >= 40:
        assert max(cell_len(line.rstrip()) for line in out.splitlines()) <= width
