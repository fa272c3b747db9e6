"""``premium-calc rates new-region`` and :func:`premium_calc.upkeep.new_region.new_region`: a
new rate file for a place of the gazetteer, found by calculations and inheriting its parent."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import AmbiguousRegionError, EditError
from premium_calc.ratebook.book import RateBook
from premium_calc.upkeep.new_region import new_region
from premium_calc.upkeep.validate import validate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def region_table(path: Path) -> dict[str, object]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert "year" not in data  # the first year is commented out
    region = data["region"]
    assert isinstance(region, dict)
    return region


def test_a_county_under_a_city_that_has_a_file(tmp_path: Path) -> None:
    result = new_region(tmp_path, "翠屏区")  # 宜宾市 has no file: its folder, Sichuan's parent
    assert result.written and result.region == "cn/sichuan/yibin/cuiping"
    assert result.path == (tmp_path / "cn/sichuan/yibin/cuiping.toml").resolve()
    assert result.parent == "cn/sichuan" and result.code == "511502" and result.level == "county"

    result = new_region(tmp_path, "双流区")  # 成都市 has a bundled file
    assert result.region == "cn/sichuan/chengdu/shuangliu" and result.parent == "cn/sichuan/chengdu"
    region = region_table(result.path)
    assert region["name"] == {"zh": "双流区", "en": "Shuangliu"}
    assert region["parent"] == "cn/sichuan/chengdu" and region["level"] == "county"
    assert region["code"] == "510116" and region["aliases"] == ["双流"]
    text = result.path.read_text(encoding="utf-8")
    assert "# [[year]]" in text and '# source = { title = ""' in text and "#   [[year.category]]" in text
    book = RateBook([tmp_path], use_env=False)
    assert not [p for p in validate(book, [result.path]) if p.is_error]


def test_a_city_under_a_province_by_code(tmp_path: Path) -> None:
    result = new_region(tmp_path, "511500")
    assert result.region == "cn/sichuan/yibin" and result.parent == "cn/sichuan" and result.level == "city"
    assert region_table(result.path)["name"] == {"zh": "宜宾市", "en": "Yibin"}
    # a conventional English name names the file, as the shipped files (hohhot, urumqi)
    assert new_region(tmp_path, "拉萨市", dry_run=True).region == "cn/xizang/lhasa"


def test_calc_finds_the_new_region_and_inherits_its_parent(tmp_path: Path) -> None:
    new_region(tmp_path, "宜宾市")
    code, out, err = run(
        "calc",
        "--region",
        "宜宾市",
        "--year",
        "2026",
        "--member",
        "40",
        "--rates-dir",
        str(tmp_path),
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["region"] == "cn/sichuan/yibin"
    bundled = RateBook(use_env=False).standard("cn/sichuan", 2026)
    assert data["members"][0]["gross"] == str(bundled.categories[-1].individual)
    assert any("Sichuan" in n for n in data["notes"])  # the province's standard stands in
    assert data["custom_rates"] == []  # the new file sets no value: every number is bundled
    code, out, _ = run(
        "calc", "--region", "511500", "--year", "2026", "--member", "40", "--rates-dir", str(tmp_path)
    )
    assert code == 0 and "Yibin" in out and "custom rates" not in out


def test_the_command_in_chinese_and_with_json(tmp_path: Path) -> None:
    code, out, err = run("rates", "new-region", "翠屏区", "--rates-dir", str(tmp_path), "--lang", "zh")
    assert code == 0, err
    assert "已写入" in out and "cuiping.toml" in out and "还没有自己的待遇年度" in out
    text = (tmp_path / "cn/sichuan/yibin/cuiping.toml").read_text(encoding="utf-8")
    assert "待遇年度" in text  # the comments in the command's language
    code, out, err = run("rates", "new-region", "宜宾市", "--rates-dir", str(tmp_path), "--json", "--dry-run")
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] and not data["written"] and data["parent"] == "cn/sichuan"
    assert "+[region]" in data["diff"]
    assert not (tmp_path / "cn/sichuan/yibin.toml").exists()


@pytest.mark.parametrize(
    ("place", "words"),
    [
        ("毕节", "already has a rate file"),  # a bundled file, by its code
        ("鹿泉区", "already has a rate file"),  # an alias of the Shijiazhuang LTC pilot file
        ("朝阳区", "fits several places"),  # Beijing's and Changchun's
        ("xyzzy", "no place the gazetteer knows"),
        ("香港", "outside the resident medical insurance"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(tmp_path: Path, place: str, words: str) -> None:
    code, _, err = run("rates", "new-region", place, "--rates-dir", str(tmp_path))
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
    assert not list(tmp_path.rglob("*.toml"))


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    first = new_region(tmp_path, "翠屏区")
    before = first.path.read_bytes()
    with pytest.raises(EditError, match="already has a rate file"):
        new_region(tmp_path, "翠屏区")
    assert first.path.read_bytes() == before
    with pytest.raises(AmbiguousRegionError):
        new_region(tmp_path, "朝阳区")


def test_a_filled_in_year_is_used(tmp_path: Path) -> None:
    result = new_region(tmp_path, "宜宾市")
    text = result.path.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = lines.index("# [[year]]")
    filled = [line[2:] if line.startswith("# ") else line for line in lines[start:]]
    filled = [
        line.replace('title = ""', 'title = "宜宾市2026年度城乡居民医保缴费通知"').replace(
            "individual = 400", "individual = 410"
        )
        for line in filled
    ]
    result.path.write_text("\n".join(lines[:start] + filled), encoding="utf-8")
    book = RateBook([tmp_path], use_env=False)
    assert not [p for p in validate(book, [result.path]) if p.is_error]
    schedule = book.standard("宜宾", 2026)
    assert schedule.region == "cn/sichuan/yibin" and not schedule.fallback
    assert schedule.categories[-1].individual == 410
