"""Sources of statistics files defined once (``[sources.<key>]``) and cited by key
(``source = "key"``), next to the inline form; the shipped provinces file cites its 43
sources by key and gives the figures it gave with every source written in its row."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
import tomllib
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import RateFileError
from premium_calc.ratebook.book import RateBook
from premium_calc.ratebook.income import IncomeStats
from premium_calc.ratefiles.income_model import IncomeFile
from premium_calc.ratefiles.model import Source
from premium_calc.ratefiles.reading import bundled_rates_dir

D = Decimal

ROW = 'year = {year}\nmeasure = "disposable"\nregion = "cn/guizhou"\nrural = {rural}\nconfidence = "high"\n'

NBS = (
    '[sources.nbs_2024]\ntitle = "NBS 2024 release"\ntitle_zh = "国家统计局2024年数据"\nconfidence = "high"\n'
)


def _row(year: int, rural: int, source: str, table: str = "income") -> str:
    return f"[[{table}]]\n" + ROW.format(year=year, rural=rural) + f"source = {source}\n"


def _stats(tmp_path: Path, text: str, name: str = "mine.toml") -> IncomeStats:
    (tmp_path / "stats").mkdir(exist_ok=True)
    (tmp_path / "stats" / name).write_text(text, encoding="utf-8")
    return IncomeStats([tmp_path])


def _validate(folder: Path, lang: str = "en") -> list[str]:
    """The lines of ``rates validate --rates-dir folder`` about its statistics files."""
    result = CliRunner().invoke(app, ["rates", "validate", "--rates-dir", str(folder), "--lang", lang])
    return [line for line in result.stdout.splitlines() if "/stats/" in line]


def test_a_row_citing_a_key_gets_the_files_source(tmp_path: Path) -> None:
    text = _row(2024, 15000, '"nbs_2024"') + "\n" + _row(2023, 14000, '"nbs_2024"') + "\n" + NBS
    stats = _stats(tmp_path, text)
    figure = stats.figure("rural", 2024, region="cn/guizhou")
    assert figure is not None and figure.value == D(15000)
    assert figure.source == Source(
        title="NBS 2024 release", title_zh="国家统计局2024年数据", confidence="high"
    )
    assert figure.source.title_in("zh") == "国家统计局2024年数据"
    # the rows citing one key hold one object (a smaller rate cache), also after a pickle
    first, second = (r for r in stats.rows() if r.region == "cn/guizhou")
    assert first.source is second.source
    again = pickle.loads(pickle.dumps(stats.rows()))
    assert again[0].source is again[1].source and again[0].source == first.source


def test_quintile_and_median_rows_cite_keys_too() -> None:
    quintile = '[[quintile]]\nyear = 2024\npopulation = "all"\nmeasure = "disposable"\n'
    quintile += 'q1 = 1\nq2 = 2\nq3 = 3\nq4 = 4\nq5 = 5\nconfidence = "high"\nsource = "nbs_2024"\n'
    median = (
        '[[median]]\nyear = 2024\nmeasure = "disposable"\nall = 9\nconfidence = "high"\nsource = "nbs_2024"\n'
    )
    data = tomllib.loads(quintile + median + NBS)
    before = copy.deepcopy(data)
    parsed = IncomeFile.model_validate(data)
    assert data == before  # the parsed TOML is not changed
    assert parsed.quintile[0].source is parsed.median[0].source is parsed.sources["nbs_2024"]
    assert parsed.median[0].source.title == "NBS 2024 release"


def test_the_inline_form_still_works_and_mixes_with_keys(tmp_path: Path) -> None:
    inline = '{ title = "示例公报 (example)", url = "https://example.org/b", confidence = "medium" }'
    text = _row(2024, 15000, inline) + "\n" + _row(2023, 14000, '"nbs_2024"') + "\n" + NBS
    stats = _stats(tmp_path, text)
    written = stats.figure("rural", 2024, region="cn/guizhou")
    cited = stats.figure("rural", 2023, region="cn/guizhou")
    assert written is not None and cited is not None
    assert written.source == Source(
        title="示例公报 (example)", url="https://example.org/b", confidence="medium"
    )
    assert cited.source.title == "NBS 2024 release"
    assert _validate(tmp_path) == []


@settings(max_examples=40, deadline=None)
@given(
    title=st.text(min_size=1, max_size=30),
    url=st.none() | st.just("https://example.org/x"),
    confidence=st.sampled_from(["high", "medium", "low"]),
    rows=st.integers(min_value=1, max_value=4),
)
def test_citing_by_key_reads_as_the_source_written_in_each_row(
    title: str, url: str | None, confidence: str, rows: int
) -> None:
    source = {"title": title, "confidence": confidence} | ({"url": url} if url else {})
    row = {"year": 2024, "measure": "disposable", "rural": 100, "confidence": "high"}
    inline = IncomeFile.model_validate(
        {"income": [{**row, "year": 2020 + i, "source": source} for i in range(rows)]}
    )
    keyed = IncomeFile.model_validate(
        {"income": [{**row, "year": 2020 + i, "source": "s"} for i in range(rows)], "sources": {"s": source}}
    )
    assert keyed.income == inline.income


def test_an_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    text = _row(2024, 15000, '"nbs_2024"') + "\n" + _row(2023, 14000, '"nbs_2042"') + "\n" + NBS
    stats = _stats(tmp_path, text)
    with pytest.raises(RateFileError) as caught:
        stats.rows()
    assert caught.value.line == 15 and caught.value.key == "income[1].source"
    assert _validate(tmp_path) == [
        f"{tmp_path}/stats/mine.toml:15: income[1].source: 'nbs_2042': no source of this key: "
        "define it as [sources.nbs_2042] in the same file (defined: nbs_2024)"
    ]
    assert _validate(tmp_path, "zh") == [
        f"{tmp_path}/stats/mine.toml:15: income[1].source: 'nbs_2042': 本文件没有这个来源："
        "请在同一个文件里用 [sources.nbs_2042] 写明它（已写的来源：nbs_2024）"
    ]


def test_a_key_in_a_file_without_sources(tmp_path: Path) -> None:
    _stats(tmp_path, _row(2024, 15000, '"nbs_2024"'))
    assert _validate(tmp_path) == [
        f"{tmp_path}/stats/mine.toml:7: income[0].source: 'nbs_2024': no source of this key: "
        "define it as [sources.nbs_2024] in the same file"
    ]


def test_a_key_of_another_file_is_not_seen(tmp_path: Path) -> None:
    _stats(tmp_path, _row(2024, 15000, '"nbs_2024"') + "\n" + NBS, name="a.toml")
    _stats(tmp_path, _row(2023, 14000, '"nbs_2024"'), name="b.toml")
    assert _validate(tmp_path) == [
        f"{tmp_path}/stats/b.toml:7: income[0].source: 'nbs_2024': no source of this key: "
        "define it as [sources.nbs_2024] in the same file"
    ]


def test_a_source_no_row_cites_is_an_error(tmp_path: Path) -> None:
    unused = '[sources.old_survey]\ntitle = "old"\nconfidence = "low"\n'
    _stats(tmp_path, _row(2024, 15000, '"nbs_2024"') + "\n" + NBS + "\n" + unused)
    assert _validate(tmp_path) == [
        f"{tmp_path}/stats/mine.toml:14: sources.old_survey: defined but cited by no row: "
        'cite it (source = "old_survey") or delete it'
    ]


def test_a_broken_source_is_reported_once_not_at_every_row(tmp_path: Path) -> None:
    broken = NBS.replace('confidence = "high"', 'confidence = "hi"')
    _stats(tmp_path, _row(2024, 15000, '"nbs_2024"') + "\n" + _row(2023, 1, '"nbs_2024"') + "\n" + broken)
    assert _validate(tmp_path) == [
        f"{tmp_path}/stats/mine.toml:20: sources.nbs_2024.confidence: 'hi': "
        "should be one of: 'high', 'medium', 'low'"
    ]
    with pytest.raises(RateFileError) as caught:
        IncomeStats([tmp_path]).rows()
    assert caught.value.key == "sources.nbs_2024.confidence"


def test_a_key_is_lowercase_letters_digits_underscore_dash() -> None:
    from pydantic import ValidationError

    row = {"year": 2024, "measure": "disposable", "rural": 1, "confidence": "high", "source": "nbs 2024"}
    with pytest.raises(ValidationError) as caught:
        IncomeFile.model_validate(
            {"income": [row], "sources": {"nbs 2024": {"title": "x", "confidence": "low"}}}
        )
    errors = caught.value.errors()
    assert [e["type"] for e in errors] == ["schema.source_key"]
    assert errors[0]["loc"][:2] == ("sources", "nbs 2024")


# -- the shipped provinces file -----------------------------------------------------------------


GUIYANG = "http://www.gywb.cn/system/2024/02/18/097223366.shtml"
XPCC = "http://tjj.xjbt.gov.cn/2020nj/table/fl1-05.htm"
SHANDONG = "http://tjj.shandong.gov.cn/tjnj/nj2013/html\\C113.htm"
QINGHAI = "http://tjj.qinghai.gov.cn/nj/2014/html\\2316.htm"
GITHUB_RURAL = (
    "https://github.com/m13891290332/shucun_xiaochengxu/blob/"
    "f988b42ca2f1da021bda5258f03a554ce5254772/resources/农村居民收入.json"
)


@pytest.fixture(scope="module")
def shipped() -> IncomeStats:
    return RateBook(use_env=False).income_stats()


def test_the_shipped_provinces_file_cites_its_sources_by_key() -> None:
    path = bundled_rates_dir() / "stats" / "provinces.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert len(data["income"]) == 753 and len(data["sources"]) == 43
    assert all(isinstance(row["source"], str) for row in data["income"])
    parsed = IncomeFile.model_validate(data)
    assert len({id(row.source) for row in parsed.income}) == 43


@pytest.mark.parametrize(
    ("statistic", "year", "region", "measure", "value", "confidence", "url", "source_confidence"),
    [
        # the figures and sources as the file gave them with every source written in its row
        ("rural", 2023, "cn/guizhou", "disposable", 14817, "high", GUIYANG, "high"),
        ("urban", 2023, "cn/guizhou", "disposable", 42772, "high", GUIYANG, "high"),
        ("urban", 2018, "cn/beijing", "disposable", 67990, "high", XPCC, "high"),
        ("rural", 2018, "cn/hunan", "disposable", 14093, "high", XPCC, "high"),
        ("urban", 2012, "cn/shandong", "net", 25755, "medium-high", SHANDONG, "medium"),
        ("rural", 2013, "cn/beijing", "net", 18337, "high", QINGHAI, "high"),
        ("rural", 2016, "cn/guangdong", "disposable", 14512, "high", GITHUB_RURAL, "high"),
        ("rural", 2018, "cn/beijing", "disposable", 26490, "medium", GITHUB_RURAL, "medium"),
    ],
)
def test_the_converted_file_gives_the_same_figures(
    shipped: IncomeStats,
    statistic: str,
    year: int,
    region: str,
    measure: str,
    value: int,
    confidence: str,
    url: str,
    source_confidence: str,
) -> None:
    figure = shipped.figure(statistic, year, region=region, measure=measure)  # type: ignore[arg-type]
    assert figure is not None
    assert (figure.value, figure.confidence) == (D(value), confidence)
    assert (figure.source.url, figure.source.confidence) == (url, source_confidence)


def test_two_sources_of_one_url_stay_two(shipped: IncomeStats) -> None:
    # the XPCC yearbook table alone, and with Hunan's own release for its rural figure
    beijing = shipped.figure("urban", 2018, region="cn/beijing")
    hunan = shipped.figure("rural", 2018, region="cn/hunan")
    assert beijing is not None and hunan is not None
    assert beijing.source.url == hunan.source.url
    assert beijing.source.note is None
    assert "enghunan.gov.cn" in str(hunan.source.note) and "Hunan" in hunan.source.title
