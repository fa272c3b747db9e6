"""Rate-file prose in both languages: a ``note`` or ``missing`` is a plain string (still valid)
or ``{ zh = "...", en = "..." }``; output in Chinese shows the Chinese text, output in English
the English, and ``--json`` keeps the English strings it always had."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import DataMissingError, RateFileError, YearNotCoveredError
from premium_calc.messages import Note
from premium_calc.ratebook.book import RateBook
from premium_calc.ratebook.explain import explain
from premium_calc.ratefiles.json_schema import rate_file_schema
from premium_calc.ratefiles.model import (
    BilingualText,
    Category,
    Source,
    english,
    prose_in,
    prose_note,
)
from premium_calc.ratefiles.reading import load_rate_file
from premium_calc.upkeep.snapshot import build_snapshot

runner = CliRunner()
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Numbers of two or more digits (amounts, years, notice numbers, dates).
NUMBER = re.compile(r"\d{2,}(?:\.\d+)?")

CN = """\
[region]
name = { zh = "全国", en = "China" }
level = "country"

[[year]]
coverage = 2025
policy = 2024
source = { title = "national", confidence = "high" }
subsidy = 670

  [[year.category]]
  id = "resident"
  name = { zh = "城乡居民", en = "residents" }
  individual = 400
"""


def _province(note: str, missing: str = "") -> str:
    return f"""\
[region]
name = {{ zh = "测试省", en = "Testland" }}
parent = "cn"
level = "province"
note = {{ zh = "本省只有2025年度。", en = "Only 2025 is known." }}

[[year]]
coverage = 2025
policy = 2024
source = {{ title = "p", confidence = "high", note = {{ zh = "来源说明。", en = "About the source." }} }}
note = {note}
collection = {{ start = 2024-09-01, note = {{ zh = "缴费期说明。", en = "About the window." }} }}

  [[year.category]]
  id = "college"
  name = {{ zh = "大学生", en = "college students" }}
  when = {{ college = true }}
  {missing or 'individual = 200'}

  [[year.category]]
  id = "resident"
  name = {{ zh = "城乡居民", en = "residents" }}
  individual = 400
  note = "plain text stays valid"
"""


def _book(tmp_path: Path, note: str, missing: str = "") -> RateBook:
    (tmp_path / "cn").mkdir(exist_ok=True)
    (tmp_path / "cn.toml").write_text(CN, encoding="utf-8")
    (tmp_path / "cn" / "testland.toml").write_text(_province(note, missing), encoding="utf-8")
    return RateBook([tmp_path], include_bundled=False, use_env=False)


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "1000"})
    return result.exit_code, result.stdout + result.stderr


def _out(*args: str) -> str:
    code, out = _invoke(*args)
    assert code == 0, out
    return out


# --- the model ---------------------------------------------------------------------------


def test_a_plain_string_note_still_loads(tmp_path: Path) -> None:
    book = _book(tmp_path, '"Fiscal 670, plain."')
    schedule = book.schedule("cn/testland", 2025)
    assert schedule.notes == ("Testland: Fiscal 670, plain.",)
    assert schedule.notes[0].text("zh") == "测试省：Fiscal 670, plain."  # type: ignore[attr-defined]
    resident = schedule.categories[-1]
    assert resident.note == "plain text stays valid" and isinstance(resident.note, str)


def test_a_bilingual_note_is_kept_with_both_texts(tmp_path: Path) -> None:
    book = _book(tmp_path, '{ zh = "财政补助670元。", en = "Fiscal 670." }')
    data = load_rate_file(tmp_path / "cn" / "testland.toml")
    entry = data.year[0]
    assert entry.note == BilingualText(zh="财政补助670元。", en="Fiscal 670.")
    assert entry.collection is not None and english(entry.collection.note or "") == "About the window."
    assert prose_in(entry.source.note or "", "zh") == "来源说明。"
    assert str(data.region.note) == "Only 2025 is known."
    (note,) = book.schedule("cn/testland", 2025).notes
    assert isinstance(note, Note)
    assert str(note) == "Testland: Fiscal 670."
    assert note.text("en") == "Testland: Fiscal 670."
    assert note.text("zh") == "测试省：财政补助670元。"  # the region by its name, in the note's language


def test_helpers_english_and_prose_in() -> None:
    both = BilingualText(zh="未查到。", en="Not found.")
    assert english(both) == "Not found." and english("plain") == "plain"
    assert prose_in(both, "zh") == "未查到。" and prose_in(both, "en") == "Not found."
    assert prose_in("plain", "zh") == "plain"
    assert str(both) == "Not found." and f"{both}" == "Not found."
    note = prose_note(both)
    assert note == "Not found." and note.text("zh") == "未查到。"
    assert pickle.loads(pickle.dumps(note)).text("zh") == "未查到。"


@pytest.mark.parametrize(
    "value",
    ['{ zh = "只有中文" }', '{ zh = "中文", en = "English", fr = "français" }', '{ zh = 1, en = "x" }', "5"],
)
def test_a_malformed_bilingual_note_is_a_rate_file_error(tmp_path: Path, value: str) -> None:
    _book(tmp_path, value)
    with pytest.raises(RateFileError) as info:
        load_rate_file(tmp_path / "cn" / "testland.toml")
    assert info.value.key == "year[0].note"
    assert 'zh = "..."' in str(info.value)


def test_python_dumps_keep_both_texts_and_json_dumps_give_english() -> None:
    cat = Category(id="x", missing={"zh": "未查到。", "en": "Not found."}, note="plain")
    assert cat.model_dump()["missing"] == {"zh": "未查到。", "en": "Not found."}
    assert cat.model_dump(mode="json")["missing"] == "Not found."
    assert cat.model_dump(mode="json")["note"] == "plain"
    source = Source(title="t", confidence="low", note={"zh": "说明", "en": "About"})
    assert source.model_dump(mode="json")["note"] == "About"


def test_the_json_schema_accepts_both_forms() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(rate_file_schema())

    def doc(note: object) -> dict[str, object]:
        return {
            "region": {"name": {"zh": "x", "en": "x"}, "level": "city", "note": note},
            "year": [
                {
                    "coverage": 2025,
                    "source": {"title": "t", "confidence": "low", "note": note},
                    "note": note,
                    "category": [{"id": "a", "missing": note, "note": note}],
                }
            ],
        }

    assert validator.is_valid(doc("plain"))
    assert validator.is_valid(doc({"zh": "中文", "en": "English"}))
    assert not validator.is_valid(doc({"zh": "只有中文"}))
    assert not validator.is_valid(doc({"zh": "中文", "en": "English", "fr": "x"}))
    assert not validator.is_valid(doc(5))
    title_zh = rate_file_schema()["definitions"]["Source"]["properties"]["title_zh"]
    assert {"type": "string"} in title_zh["anyOf"]


# --- calc, errors, explain in both languages -----------------------------------------------

BIJIE = ["calc", "--region", "毕节", "--year", "2025", "--member", "45"]


def test_calc_shows_bilingual_notes_in_the_users_language(book: RateBook) -> None:
    schedule = book.schedule("毕节", 2025)
    assert len(schedule.notes) == 2
    zh = _out(*BIJIE, "--lang", "zh")
    en = _out(*BIJIE, "--lang", "en")
    note_lines = [line for line in zh.splitlines() if line.startswith(("注：毕节市：", "注：贵州省："))]
    assert len(note_lines) == 2
    for line in note_lines:
        text = re.sub(r"\bcn(/[a-z0-9_]+)*", " ", line.split("：", 1)[1])  # region ids are not prose
        assert CJK.search(text)
        assert not re.search(r"[A-Za-z]{2,}", text), line  # no English sentence left
    assert "注：毕节市：毕节的汇总给出的是全省标准：每人400元" in zh
    for note in schedule.notes:
        assert str(note) not in zh
        assert f"note: {note}" in en


def test_calc_json_keeps_the_english_note_strings(book: RateBook) -> None:
    data = json.loads(_out(*BIJIE, "--json", "--lang", "zh"))
    expected = [str(n) for n in book.schedule("毕节", 2025).notes]
    assert data["notes"] == expected
    assert all(isinstance(n, str) and not n.startswith("{") for n in data["notes"])
    assert data["notes"][1].startswith("Bijie: The Bijie summaries give the provincial figures")


def test_a_missing_reason_is_shown_in_the_users_language(book: RateBook) -> None:
    args = ["calc", "--region", "深圳", "--year", "2024", "--member", "40"]
    code, zh = _invoke(*args, "--lang", "zh")
    assert code == 2 and "未查到深圳成年居民2024年度的缴费金额（只有少年儿童和学生的标准）。" in zh
    code, en = _invoke(*args, "--lang", "en")
    assert code == 2
    assert "No 2024 amount for Shenzhen adult residents was found (only the children and students' rate)." \
        in en
    with pytest.raises(DataMissingError) as info:
        from premium_calc.household.parsing import build_household
        from premium_calc.household.premium import calculate

        calculate(book.schedule("深圳", 2024), build_household(["40"], None))
    assert "No 2024 amount for Shenzhen adult residents" in str(info.value)
    assert "未查到深圳成年居民" in info.value.text("zh")


def test_a_region_note_in_an_uncovered_year_is_in_the_users_language(book: RateBook) -> None:
    with pytest.raises(YearNotCoveredError) as info:
        book.schedule("cn/hainan", 2025)
    assert "No sourced contribution amount for 2024-2026 was found" in str(info.value)
    assert "未查到2024-2026年度有出处的个人缴费标准" in info.value.text("zh")
    assert "No sourced" not in info.value.text("zh")


def test_explain_and_show_give_missing_in_the_chosen_language(book: RateBook) -> None:
    value = explain(book, "cn/shandong/jinan", 2024)["category.college.missing"]
    assert isinstance(value.value, BilingualText)
    assert value.text == "No 2024 amount for college students found (2025: 240, low)."
    assert value.text_in("zh") == "未查到大学生2024年度缴费金额（2025年度为240元，可信度低）。"
    zh = _out("rates", "explain", "cn/shandong/jinan", "2024", "--lang", "zh")
    assert "category.college.missing = 未查到大学生2024年度缴费金额（2025年度为240元，可信度低）。" in zh
    assert "No 2024 amount for college students" not in zh
    en = _out("rates", "explain", "cn/shandong/jinan", "2024", "--lang", "en")
    assert "category.college.missing = No 2024 amount for college students found (2025: 240, low)." in en
    show_zh = _out("rates", "show", "cn/shandong/jinan", "--year", "2024", "--lang", "zh")
    assert "未查到大学生2024年度缴费金额" in show_zh and "No 2024 amount" not in show_zh
    show_en = _out("rates", "show", "cn/shandong/jinan", "--year", "2024", "--lang", "en")
    assert "No 2024 amount for college students" in show_en


def test_explain_shows_the_chinese_form_of_an_english_title() -> None:
    zh = _out("rates", "explain", "cn/hunan/loudi", "2024", "--lang", "zh")
    assert "《中国新闻周刊》英文版（NewsChina）报道“Premium Predicament”（2024年）：湖南娄底" in zh
    en = _out("rates", "explain", "cn/hunan/loudi", "2024", "--lang", "en")
    assert "NewsChina 'Premium Predicament' (2024) - Loudi, Hunan" in en and "中国新闻周刊" not in en


def test_json_outputs_keep_strings_where_they_had_them() -> None:
    data = json.loads(_out("rates", "explain", "cn/shandong/jinan", "2024", "--json"))
    (missing,) = [v for v in data["values"] if v["key"] == "category.college.missing"]
    assert missing["value"] == "No 2024 amount for college students found (2025: 240, low)."
    assert missing["text"] == missing["value"]
    guangxi = json.loads(_out("rates", "explain", "cn/guangxi", "2025", "--json"))
    notes = [v["source"]["note"] for v in guangxi["values"] if "note" in v["source"]]
    assert notes and all(isinstance(n, str) for n in notes)
    assert "Fiscal 670 from aggregators; the official repost says the subsidy is 'to be set'." in notes
    shown = json.loads(_out("rates", "show", "cn/shandong/jinan", "--year", "2024", "--json"))
    values = shown["explanations"][0]["values"]
    assert all(isinstance(v["value"], str | int | bool) for v in values)
    compared = json.loads(_out("compare", "--year", "2024", "--all", "--json"))
    rows = {r["region"]: r for r in compared["rows"]}
    (college,) = [c for c in rows["cn/shandong/jinan"]["categories"] if c["id"] == "college"]
    assert college["missing"] == "No 2024 amount for college students found (2025: 240, low)."
    assert isinstance(rows["cn/guangdong/shenzhen"]["premium_missing"], str)
    history = json.loads(_out("history", "--region", "cn/guangdong/shenzhen", "--from", "2024",
                              "--to", "2025", "--json"))
    assert any(isinstance(r.get("premium_missing"), str) and r["premium_missing"].startswith("No 2024")
               for r in history["rows"])


def test_the_snapshot_records_the_english_missing_text() -> None:
    snap = build_snapshot()
    college = snap["regions"]["cn/shandong/jinan"]["2024"]["categories"]["college"]
    assert college["missing"] == "No 2024 amount for college students found (2025: 240, low)."


# --- the shipped files --------------------------------------------------------------------


def _prose(node: object, where: str) -> list[tuple[str, object]]:
    """Every ``note`` and ``missing`` of a parsed rate file, with its key path."""
    found: list[tuple[str, object]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("note", "missing"):
                found.append((f"{where}.{key}", value))
            else:
                found += _prose(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _prose(value, f"{where}[{i}]")
    return found


def _shipped() -> list[tuple[str, object]]:
    from premium_calc.ratefiles.reading import read_toml

    book = RateBook(use_env=False)
    out: list[tuple[str, object]] = []
    for region_id in book.region_ids():
        parsed = read_toml(book.path_of(region_id))
        out += [(f"{region_id}{where}", value) for where, value in _prose(parsed, "")]
    return out


def test_every_note_and_missing_of_the_shipped_files_is_bilingual() -> None:
    prose = _shipped()
    assert len(prose) >= 300
    for where, value in prose:
        assert isinstance(value, dict) and set(value) == {"zh", "en"}, where
        assert CJK.search(value["zh"]), where
        assert value["en"].strip() and value["zh"].strip(), where
        assert re.search(r"[A-Za-z]{3,}", value["en"]), where  # the English is English
        # Every amount, year, date and notice number of the English is in the Chinese.
        lost = set(NUMBER.findall(value["en"])) - set(NUMBER.findall(value["zh"]))
        assert not lost, (where, lost)


def test_every_shipped_model_value_is_bilingual_text(book: RateBook) -> None:
    for region_id in book.region_ids():
        data = book.region(region_id).data
        notes: list[object] = [data.region.note] if data.region.note is not None else []
        for entry in data.year:
            notes += [entry.note, entry.source.note]
            notes += [w.note for w in (entry.collection, entry.late) if w is not None]
            notes += [s.note for s in (entry.subsidy_source,) if s is not None]
            for cat in entry.category or ():
                notes += [cat.note, cat.missing, cat.source.note if cat.source else None]
            for rule in entry.assisted or ():
                notes += [rule.note, rule.source.note if rule.source else None]
        assert all(n is None or isinstance(n, BilingualText) for n in notes), region_id


def test_source_titles_written_in_english_only_have_a_chinese_form(book: RateBook) -> None:
    for region_id in book.region_ids():
        for entry in book.region(region_id).data.year:
            sources = [entry.source, entry.subsidy_source]
            sources += [w.source for w in (entry.collection, entry.late) if w is not None]
            sources += [c.source for c in entry.category or ()]
            sources += [a.source for a in entry.assisted or ()]
            for source in sources:
                if source is None:
                    continue
                if not CJK.search(source.title):
                    assert source.title_zh and CJK.search(source.title_zh), (region_id, source.title)
                assert source.title_in("en") == source.title
