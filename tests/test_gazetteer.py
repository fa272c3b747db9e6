"""The gazetteer: the shipped list (counts of its vintage), codes, names, nested and ambiguous
queries, fuzzy suggestions and what they refuse, and properties over every place."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premium_calc.gazetteer import LEVELS, Gazetteer, Place
from premium_calc.gazetteer.data import read
from premium_calc.gazetteer.names import core, derive, spell
from premium_calc.gazetteer.text import normalize

G = Gazetteer.load()


def codes(places: list[Place]) -> list[str]:
    return [p.code for p in places]


# --- the shipped list --------------------------------------------------------------------------


def test_source_is_recorded() -> None:
    assert "民政部" in G.source["source"]
    assert G.source["vintage"].startswith("2024")
    assert "yescallop/areacodes" in G.source["upstream"]
    assert "CC0" in G.source["licence"]


def test_counts_of_the_2024_list() -> None:
    """民政部, divisions as at 2024-12-31: 34 provincial-level (31 + 台湾, 香港, 澳门),
    333 prefecture-level, 2846 county-level."""
    assert len(G.level("province")) == 34
    assert len([p for p in G.level("province") if p.covered]) == 31
    assert len(G.level("city")) == 333
    assert len(G.level("county")) == 2846
    assert len(G) == 34 + 333 + 2846
    assert G.source["counts"] == "34 province, 333 city, 2846 county"


def test_kinds_of_prefecture() -> None:
    cities = G.level("city")
    assert sum(p.name.endswith("自治州") for p in cities) == 30
    assert sum(p.name.endswith("地区") for p in cities) == 7
    assert sum(p.name.endswith("盟") for p in cities) == 3


def test_not_covered() -> None:
    assert {p.code for p in G if not p.covered} == {"710000", "810000", "820000"}
    hk = G.by_code("81")
    assert hk is not None and hk.short == "香港" and hk.en == "Hong Kong"
    assert G.children(hk) == []


# --- codes and the hierarchy -------------------------------------------------------------------


def test_weining() -> None:
    weining = G.by_code("520526")
    assert weining == Place(
        code="520526", name="威宁彝族回族苗族自治县", short="威宁", pinyin="weining", en=None,
        level="county", parent="520500",
    )  # fmt: skip
    assert [(a.code, a.name) for a in G.ancestors(weining)] == [("520000", "贵州省"), ("520500", "毕节市")]
    assert str(weining) == "威宁彝族回族苗族自治县 (520526)"


def test_codes_of_every_length() -> None:
    assert G.by_code("410100") is not None and G.by_code("410100").name == "郑州市"  # type: ignore[union-attr]
    assert G.by_code("52").name == "贵州省"  # type: ignore[union-attr]
    assert G.by_code("5205").name == "毕节市"  # type: ignore[union-attr]
    assert G.by_code("520526000000").code == "520526"  # type: ignore[union-attr]  # 12-digit statistical
    assert G.by_code("520526101").code == "520526"  # type: ignore[union-attr]  # township
    assert G.by_code(" ５２０５２６ ").code == "520526"  # type: ignore[union-attr]  # full-width
    for bad in ("", "5", "520", "52052", "5205261", "abcdef", "999999", "520599"):
        assert G.by_code(bad) is None, bad


def test_municipal_districts_hang_from_the_province() -> None:
    chaoyang = G.by_code("110105")
    assert chaoyang is not None and chaoyang.parent == "110000"
    assert codes(G.ancestors(chaoyang)) == ["110000"]
    assert G.by_code("500240").parent == "500000"  # type: ignore[union-attr]  # 石柱, a county of 重庆
    # the statistical pseudo-levels name the province
    assert G.by_code("1101").code == "110000"  # type: ignore[union-attr]  # 北京 市辖区
    assert G.by_code("500200").code == "500000"  # type: ignore[union-attr]  # 重庆 县
    assert G.by_code("419000").code == "410000"  # type: ignore[union-attr]  # 河南 省直辖
    assert not any(p.code in {"110100", "120100", "310100", "500100", "500200"} for p in G)


def test_county_level_cities_under_a_province() -> None:
    for code, province in (
        ("419001", "410000"),
        ("429004", "420000"),
        ("469001", "460000"),
        ("659001", "650000"),
    ):
        place = G.by_code(code)
        assert place is not None and place.level == "county" and place.parent == province


def test_cities_without_counties() -> None:
    for code in ("441900", "442000", "460400", "620200"):  # 东莞, 中山, 儋州, 嘉峪关
        place = G.by_code(code)
        assert place is not None and place.level == "city" and G.children(place) == []


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "short", "forms"),
    [
        ("威宁彝族回族苗族自治县", "威宁", ["威宁县", "威宁自治县"]),
        ("贵阳市", "贵阳", []),
        ("内蒙古自治区", "内蒙古", []),
        ("广西壮族自治区", "广西", ["广西自治区"]),
        ("新疆维吾尔自治区", "新疆", ["新疆自治区"]),
        ("西藏自治区", "西藏", []),
        ("香港特别行政区", "香港", []),
        ("黔东南苗族侗族自治州", "黔东南", ["黔东南州", "黔东南自治州"]),
        ("伊犁哈萨克自治州", "伊犁", ["伊犁州", "伊犁自治州"]),
        ("锡林郭勒盟", "锡林郭勒", []),
        ("阿里地区", "阿里", []),
        ("东乡族自治县", "东乡", ["东乡县", "东乡自治县"]),
        ("鄂伦春自治旗", "鄂伦春", ["鄂伦春旗"]),
        ("管城回族区", "管城", ["管城区"]),
        ("浦东新区", "浦东", []),
        ("清新区", "清新", []),
        ("神农架林区", "神农架", []),
        ("万柏林区", "万柏林", []),
        ("六枝特区", "六枝", []),
        ("峰峰矿区", "峰峰", []),
        ("赵县", "赵县", []),
        ("沙县区", "沙县", []),
        ("矿区", "矿区", []),
    ],
)
def test_short_names(name: str, short: str, forms: list[str]) -> None:
    assert spell(name, derive(name)) == (short, forms)


def test_core_of_a_typed_name() -> None:
    assert [core(s) for s in ("威宁县", "毕节市", "赵县", "广西壮族自治区")] == [
        "威宁",
        "毕节",
        "赵县",
        "广西",
    ]


def test_shipped_names_are_normalised() -> None:
    for record in read()[1]:
        for key in (*record.chinese, *record.pinyin):
            assert normalize(key) == key


def test_normalize() -> None:
    assert normalize("  Wei\u3000Ning ") == "weining"
    assert normalize("ＧＵＩＹＡＮＧ") == "guiyang"
    assert normalize("Xi'an") == "xian"
    assert normalize("Lüliang") == normalize("Lu:liang") == "lvliang"


def test_pinyin_corrections() -> None:
    """Readings pypinyin gets wrong in place names are corrected in the build."""
    expected = {
        "140400": "changzhi", "211300": "chaoyang", "152500": "xilinguole", "510682": "shifang",
        "371722": "shanxian", "410621": "xunxian", "140425": "pingshun", "140428": "zhangzi",
        "341500": "luan", "340300": "bengbu", "320116": "luhe", "440600": "foshan",
        "510100": "chengdu", "500230": "fengdu", "130726": "yuxian", "500000": "chongqing",
    }  # fmt: skip
    assert {code: G.by_code(code).pinyin for code in expected} == expected  # type: ignore[union-attr]


# --- lookup ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["威宁", "威宁县", "威宁自治县", "威宁彝族回族苗族自治县", "weining", "Wei Ning", "WEINING",
     "weiningxian", "贵州 威宁", "贵州省毕节市威宁县", "贵州/毕节/威宁县", "guizhou weining",
     "520526"],
)  # fmt: skip
def test_lookup_weining(query: str) -> None:
    assert codes(G.lookup(query)) == ["520526"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("贵阳", ["520100"]),
        ("贵阳市", ["520100"]),
        ("guiyang", ["520100", "431021"]),  # 贵阳市, 桂阳县: city first
        ("郑州", ["410100"]),
        ("内蒙古", ["150000"]),
        ("Inner Mongolia", ["150000"]),
        ("nei mongol", ["150000"]),
        ("neimenggu", ["150000"]),
        ("广西", ["450000"]),
        ("Tibet", ["540000"]),
        ("Xizang", ["540000"]),
        ("西藏", ["540000"]),
        ("Hohhot", ["150100"]),
        ("Xi'an", ["610100", "220403", "231005"]),  # 西安市; 西安区 of 辽源 and of 牡丹江
        ("Guizhou Province", ["520000"]),
        ("Bijie City", ["520500"]),
        ("shaanxi", ["610000"]),
        ("shanxi", ["140000", "610000"]),  # 山西, 陕西
        ("suzhou", ["320500", "341300", "620902"]),  # 苏州, 宿州, 肃州区
        ("fuzhou", ["350100", "361000"]),  # 福州, 抚州
        ("朝阳区", ["110105", "220104"]),  # Beijing, Changchun
        ("朝阳", ["211300", "110105", "211321", "220104"]),  # 朝阳市 first, then the counties
        ("北京 朝阳", ["110105"]),
        ("长春市朝阳区", ["220104"]),
        ("吉林", ["220000", "220200"]),
        ("吉林省吉林市", ["220200"]),
        ("黔东南州", ["522600"]),
        ("lvliang", ["141100"]),
        ("Lüliang", ["141100"]),
        ("济源", ["419001"]),
        ("河南 济源", ["419001"]),
        ("香港", ["810000"]),
        ("Macau", ["820000"]),
    ],
)
def test_lookup(query: str, expected: list[str]) -> None:
    assert codes(G.lookup(query)) == expected


def test_lookup_within() -> None:
    assert codes(G.lookup("朝阳区", within="22")) == ["220104"]
    assert codes(G.lookup("朝阳", within="110000")) == ["110105"]
    assert codes(G.lookup("suzhou", within="32")) == ["320500"]
    assert G.lookup("威宁", within="530000") == []
    assert G.lookup("贵州", within="520000") == []  # strictly below
    assert G.lookup("威宁", within="999999") == []


@pytest.mark.parametrize(
    "query", ["", "   ", "!!", "威", "火星", "贵州 火星", "atlantis", "威宁 贵州", "毕节 贵州"]
)
def test_lookup_finds_nothing(query: str) -> None:
    assert G.lookup(query) == []


# --- suggest -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("威宁", "520526"),
        ("贵阳市", "520100"),
        ("weinng", "520526"),
        ("Shenyan", "210100"),
        ("shenyang", "210100"),
        ("hefie", "340100"),
        ("beijng", "110000"),
        ("kumning", "530100"),
        ("Guizhuo", "520000"),
        ("Inner Mongolai", "150000"),
        ("urumqui", "650100"),
        ("黔东", "522600"),
        ("毕节", "520500"),
        ("威宁彝族", "520526"),
    ],
)
def test_suggest(query: str, first: str) -> None:
    found = G.suggest(query)
    assert found and found[0].code == first
    assert len(found) <= 5


def test_suggest_puts_exact_matches_first() -> None:
    assert codes(G.suggest("suzhou", limit=3)) == ["320500", "341300", "620902"]
    assert codes(G.suggest("朝阳区", limit=2)) == ["110105", "220104"]
    assert G.suggest("贵阳", limit=0) == []


@pytest.mark.parametrize(
    "query",
    ["qwerty", "xxxxxx", "hello", "london", "paris", "abc", "威林县", "威森", "贵杨", "火星", "", "!!!"],
)
def test_suggest_returns_nothing_rather_than_rubbish(query: str) -> None:
    assert G.suggest(query) == []


def test_suggestions_share_two_characters() -> None:
    """A Chinese suggestion shares at least two characters with the query's core."""
    for query in ("威远宁", "毕节", "黔东", "北京上海", "遵义县", "贵阳南"):
        for place in G.suggest(query, limit=20):
            shared = sum(min(core(query).count(ch), place.short.count(ch)) for ch in set(place.short))
            assert shared >= 2, (query, place)


# --- properties, loading -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(G.places))
def test_every_place_is_found_by_its_code_and_names(place: Place) -> None:
    assert G.by_code(place.code) is place
    assert place in G.lookup(place.name)
    assert place in G.lookup(place.short)
    assert place in G.lookup(place.pinyin)
    assert place in G.suggest(place.name, limit=50)
    chain = G.ancestors(place)
    assert [a.level for a in chain] == list(LEVELS[: len(chain)])
    assert len(chain) < LEVELS.index(place.level) + 1
    if place.level != "province":
        assert chain and chain[0].level == "province" and chain[-1].code == place.parent
        assert place in G.lookup(" ".join(a.name for a in chain) + " " + place.name)
        assert place in G.lookup(chain[0].short + place.short)
        assert place in G.children(chain[-1])
    assert place.code.isdigit() and len(place.code) == 6
    assert all(a.code[:2] == place.code[:2] for a in chain)
    assert len(place.short) >= 2 and place.name.startswith(place.short)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_any_text_is_safe(text: str) -> None:
    for place in G.lookup(text) + G.suggest(text):
        assert isinstance(place, Place)
    assert G.by_code(text) is None or G.by_code(text) in G.places


def test_load_is_shared_and_thread_safe() -> None:
    Gazetteer._shared = None
    found: list[Gazetteer] = []
    threads = [threading.Thread(target=lambda: found.append(Gazetteer.load())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(g) for g in found}) == 1 and found[0] is Gazetteer.load()


def test_load_is_quick() -> None:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        Gazetteer(*read())
        best = min(best, time.perf_counter() - start)
    assert best < 0.2  # about 25 ms on a developer machine; the bound leaves room for a busy CI


def test_import_is_light() -> None:
    """Importing the package reads no data and pulls in neither pydantic, rich nor rapidfuzz."""
    code = (
        "import sys; import premium_calc.gazetteer as g; "
        "assert g.Gazetteer._shared is None; "
        "bad = {'pydantic', 'rich', 'rapidfuzz', 'pypinyin'} & set(sys.modules); assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
