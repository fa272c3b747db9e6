"""The web page's in-browser API (premium_calc.web.api) and its builder, without a browser:
the household path imports no numpy/rich/typer, the page gets the CLI's numbers, and the build
fails in one line naming what it could not fetch."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import urllib.error
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc import assess, build_household
from premium_calc.cli import app
from premium_calc.web import api, fetch
from premium_calc.web.fetch import FetchError
from premium_calc.web.pins import PYODIDE, WHEELS

BIJIE = {
    "place": "毕节", "year": 2025, "income": "14000", "lang": "zh",
    "members": [{"age": 45}, {"age": 42, "sex": "female"}, {"age": 12, "school": "student"}, {"age": 70}],
}


def call(name: str, request: dict[str, object]) -> dict[str, object]:
    out = json.loads(getattr(api, name)(json.dumps(request, ensure_ascii=False)))
    assert isinstance(out, dict)
    return out


def test_bijie_family_matches_the_library_and_the_cli() -> None:
    r = call("household", BIJIE)
    assert r["total_paid"] == "1600" and r["burden_ratio"] == "0.1143" and r["burden_percent"] == "11.43%"
    assert r["totals"] == {"gross": "1,600", "assistance": "0", "paid": "1,600", "subsidy": "2,680"}
    assert [m["paid"] for m in r["members"]] == ["400†"] * 4  # the low-confidence mark survives
    assert "low" in r["marks"] and r["burden_level"] == "high"
    assert r["summary"].startswith("您家4口人2025年度共需个人缴纳1,600元（每人400元）")
    cli = CliRunner().invoke(app, [
        "calc", "--region", "毕节", "--year", "2025", "--member", "45", "--member", "42:female",
        "--member", "12:student", "--member", "70", "--income", "14000", "--json",
    ])
    data = json.loads(cli.stdout)
    assert (data["total_paid"], data["burden"]["burden_ratio"]) == (r["total_paid"], r["burden_ratio"])
    lib = assess(api._book(), "毕节", 2025, build_household(["45", "42:female", "12:student", "70"], 14000))
    assert (lib.total_paid, lib.burden.burden_ratio) == (Decimal("1600"), Decimal("0.1143"))


def test_english_and_member_rows_as_specs() -> None:
    r = call("household", {**BIJIE, "lang": "en"})
    assert r["summary"].startswith("Your household of 4") or "1,600" in r["summary"]
    assert r["columns"]["paid"] != call("household", BIJIE)["columns"]["paid"]
    row = {"birth": "1955-03-01", "sex": "female", "assisted": "dibao", "employee": True, "school": "x"}
    assert api.member_spec(row, 1) == "1955-03-01:female,dibao,employee"
    assert api.member_spec({"age": 12, "school": "student"}, 2) == "12:student"


def test_county_without_rates_uses_its_city_standard() -> None:
    p = call("place", {"place": "520526", "lang": "zh"})
    assert p["region"] == "cn/guizhou/bijie" and p["years"] == [2024, 2025, 2026]
    assert p["standard"] == "威宁彝族回族苗族自治县没有单独的费率数据：按毕节市的标准计算。"
    r = call("household", {"place": "520526", "year": 2025, "lang": "zh", "members": [{"age": 45}]})
    assert r["title"].startswith("威宁彝族回族苗族自治县（520526）")
    assert any("按毕节市的标准计算" in h for h in r["headline"])
    # No income: the regional statistic, named.
    assert r["burden"][0].startswith("收入（按统计数据）：2023年农村居民人均可支配收入（贵州省）")


def test_unknown_assistance_and_national_minimum_keep_their_marks() -> None:
    dibao = {"age": 68, "assisted": "dibao"}
    r = call("household", {"place": "毕节", "year": 2025, "lang": "zh", "members": [dibao]})
    member = r["members"][0]
    assert (member["assistance"], member["paid"]) == ("不详?", "0–400?†")
    assert member["category"] == "城乡居民 (有资助，金额不详)"
    assert r["totals"]["paid"] == "0–400?" and r["total_paid"] is None and r["burden_level"] == "none"
    assert set(r["marks"]) == {"low", "unknown"}
    # the terminal's burden lines (render.assessment.burden_lines): income, per capita, the ratio
    assert r["burden"][1] == "人均收入：14,817元"
    assert r["burden"][2].startswith("缴费占收入：在0.00%到2.70%之间?")
    assert any(h.startswith("第1位成员（68岁：低保）属于政府资助参保的人群") for h in r["headline"])
    shanghai = call("household", {"place": "上海", "year": 2025, "lang": "zh", "members": [{"age": 45}]})
    assert shanghai["members"][0]["subsidy"] == "≥670" and shanghai["marks"] == ["floor"]


def test_errors_are_messages_not_tracebacks() -> None:
    assert call("household", {**BIJIE, "members": []}) == {"error": "请至少添加一位家庭成员"}
    no_age = call("household", {**BIJIE, "members": [{"age": ""}]})
    assert no_age == {"error": "第1位成员：请填年龄或出生日期"}
    assert "error" in call("household", {**BIJIE, "place": "没有这个地方"})
    assert "error" in call("worth", {**BIJIE, "stay": {"bill": "-5"}})


def test_history_and_worth() -> None:
    h = call("history", {"place": "520526", "lang": "zh"})
    assert [(r["year"], r["premium"], r["subsidy"]) for r in h["rows"]] == [
        (2024, 380.0, 640.0), (2025, 400.0, 670.0), (2026, 400.0, 700.0)
    ]
    w = call("worth", {**BIJIE, "stay": {"bill": "30000", "level": "secondary"}})
    assert w["totals"]["paid"] == "1,600"
    assert [s["member"] for s in w["stays"]] == ["每个人"]  # the same outcome for everyone: one row
    assert w["stay_title"].startswith("如果一位成员在二级（县级）医院住院，花费30,000元")


def test_place_tree_and_texts() -> None:
    tree = json.loads(api.places())
    guizhou = next(p for p in tree if p["code"] == "520000")
    bijie = next(c for c in guizhou["children"] if c["code"] == "520500")
    weining = next(c for c in bijie["children"] if c["code"] == "520526")
    assert (weining["name"], weining["pinyin"]) == ("威宁彝族回族苗族自治县", "weining")
    assert (guizhou["region"], bijie["region"]) == ("cn/guizhou", "cn/guizhou/bijie")
    assert "region" not in weining  # priced as its city, Bijie
    assert not any(p["code"] in ("710000", "810000", "820000") for p in tree)
    texts = api.ui_texts()
    assert set(texts) == {"zh", "en"} and texts["zh"].keys() == texts["en"].keys()
    assert texts["zh"]["title"] == "城乡居民医保：我家要交多少钱？"
    assert texts["zh"]["group.dibao"].startswith("最低生活保障")


BLOCKED = textwrap.dedent(
    """
    import importlib.abc, json, sys
    BLOCK = {"numpy", "pyarrow", "rich", "typer", "rapidfuzz", "tomlkit", "matplotlib", "click"}
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCK:
                raise ImportError(f"blocked in the browser: {name}")
    sys.meta_path.insert(0, Block())
    from premium_calc.web import api
    req = {"place": "520526", "year": 2025, "lang": "zh", "income": "14000",
           "members": [{"age": 45}, {"age": 70, "assisted": "dibao"}], "stay": {"bill": "30000"}}
    for name in ("household", "worth", "history", "place"):
        out = json.loads(getattr(api, name)(json.dumps(req)))
        assert "error" not in out, (name, out)
    json.loads(api.places())
    print(sorted(m for m in sys.modules if m.split(".")[0] in BLOCK))
    """
)


def test_household_path_imports_no_numpy_rich_or_typer() -> None:
    done = subprocess.run([sys.executable, "-c", BLOCKED], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_failed_download_is_one_line_naming_the_file_and_the_offline_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fetch.WEB_CACHE_ENV, str(tmp_path / "cache"))

    def refuse(*_args: object, **_kw: object) -> None:
        raise urllib.error.URLError("Connection refused")

    monkeypatch.setattr(fetch.urllib.request, "urlopen", refuse)
    with pytest.raises(FetchError) as err:
        fetch.obtain(PYODIDE, None, "--pyodide-dir")
    text = str(err.value)
    assert "pyodide 314.0.8" in text and PYODIDE.url in text and "--pyodide-dir" in text
    result = CliRunner().invoke(app, ["web", "build", str(tmp_path / "site")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--pyodide-dir" in lines[0] and "pyodide-314.0.8.tgz" in lines[0]
    assert not list((tmp_path / "cache").glob(".*"))  # no half-written file left behind


def test_a_provided_file_must_match_its_pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fetch.WEB_CACHE_ENV, str(tmp_path / "cache"))
    wheel = WHEELS[0]
    (tmp_path / wheel.name).write_bytes(b"not the wheel")
    with pytest.raises(FetchError, match="does not match its pinned sha256"):
        fetch.obtain(wheel, tmp_path, "--wheel-dir")
