"""Build ``premium_calc/gazetteer/divisions.tsv``: every division at or above county level with
its code, level, parent, short names, pinyin and English name.

The list itself is the Ministry of Civil Affairs' (民政部) 中华人民共和国县级以上行政区划代码,
as kept year by year in https://github.com/yescallop/areacodes (``data/<year>.txt``, one
``<code> <name>`` a line, CC0 1.0). The names people type and the pinyin are derived here:
short names and forms by the rules of :mod:`premium_calc.gazetteer.names`, pinyin with
``pypinyin`` (a build-time tool only: the package never imports it) plus the corrections below.

Rerun::

    pip install pypinyin
    # from a new upstream list (a copy of areacodes' data/2025.txt, say):
    python3 tools/build_gazetteer.py --source 2025.txt --vintage 2025 --commit <upstream commit>
    # or only re-derive names and pinyin from the codes and names already shipped:
    python3 tools/build_gazetteer.py

then run ``python3 -m pytest -q tests/test_gazetteer.py`` (its counts pin the vintage).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from premium_calc.gazetteer.names import derive, spell  # noqa: E402

OUT = ROOT / "premium_calc" / "gazetteer" / "divisions.tsv"
NOT_COVERED = {"710000", "810000", "820000"}  # 台湾省, 香港, 澳门: in GB/T 2260, outside the scheme
COLUMNS = ("code", "level", "parent", "name", "short", "pinyin", "en", "covered", "forms", "spellings")

#: Conventional English names of the provincial-level divisions (first), with other spellings
#: people type (ISO 3166-2:CN uses Nei Mongol, Xizang; Macau is the Portuguese spelling).
PROVINCE_EN = {
    "110000": "Beijing", "120000": "Tianjin", "130000": "Hebei", "140000": "Shanxi",
    "150000": "Inner Mongolia|Nei Mongol", "210000": "Liaoning", "220000": "Jilin",
    "230000": "Heilongjiang", "310000": "Shanghai", "320000": "Jiangsu", "330000": "Zhejiang",
    "340000": "Anhui", "350000": "Fujian", "360000": "Jiangxi", "370000": "Shandong",
    "410000": "Henan", "420000": "Hubei", "430000": "Hunan", "440000": "Guangdong",
    "450000": "Guangxi", "460000": "Hainan", "500000": "Chongqing", "510000": "Sichuan",
    "520000": "Guizhou", "530000": "Yunnan", "540000": "Tibet|Xizang", "610000": "Shaanxi",
    "620000": "Gansu", "630000": "Qinghai", "640000": "Ningxia", "650000": "Xinjiang",
    "710000": "Taiwan", "810000": "Hong Kong", "820000": "Macao|Macau",
}  # fmt: skip
#: Prefecture-level cities whose usual English name is not their pinyin.
CITY_EN = {
    "150100": "Hohhot", "230100": "Harbin", "540100": "Lhasa", "540200": "Shigatse",
    "610100": "Xi'an", "650100": "Urumqi|Ürümqi", "653100": "Kashgar",
}  # fmt: skip

#: Readings that pypinyin gets wrong in place names, for every name with the character.
CHAR_READINGS = {"都": "du", "长": "chang", "勒": "le", "什": "shi", "朝": "chao", "佛": "fo"}
#: Whole names read otherwise than pypinyin (and the character rules) say.
NAME_READINGS = {
    "长子县": "zhang zi xian", "单县": "shan xian", "浚县": "xun xian", "荥经县": "ying jing xian",
    "筠连县": "jun lian xian", "曾都区": "zeng du qu", "蚌山区": "beng shan qu",
    "洪洞县": "hong tong xian", "繁峙县": "fan shi xian", "涡阳县": "guo yang xian",
    "覃塘区": "qin tang qu", "珲春市": "hun chun shi", "伽师县": "jia shi xian",
    "泊头市": "bo tou shi", "召陵区": "shao ling qu", "崆峒区": "kong tong qu",
    "龙圩区": "long xu qu", "六合区": "lu he qu",
}  # fmt: skip
#: Pinyin of the type words that forms append.
WORD_PINYIN = {
    "县": "xian",
    "州": "zhou",
    "旗": "qi",
    "区": "qu",
    "市": "shi",
    "自治县": "zizhixian",
    "自治州": "zizhizhou",
    "自治旗": "zizhiqi",
    "自治区": "zizhiqu",
}


def syllables(name: str) -> list[str]:
    """One toneless syllable per character of the name."""
    from pypinyin import Style, lazy_pinyin

    if name in NAME_READINGS:
        out = NAME_READINGS[name].split()
    else:
        spelt = lazy_pinyin(name, style=Style.NORMAL)
        out = [CHAR_READINGS.get(ch, syl) for ch, syl in zip(name, spelt, strict=False)]
    if len(out) != len(name) or not all(s.isascii() and s.isalpha() for s in out):
        raise SystemExit(f"no syllable for each character of {name}: {out}")
    return out


def level_of(code: str) -> str:
    return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"


def parent_of(code: str, codes: set[str]) -> str:
    level = level_of(code)
    if level == "province":
        return ""
    city = code[:4] + "00"
    return city if level == "county" and city in codes else code[:2] + "0000"


def read_source(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.strip() and not line.startswith("#"):
            code, name = line.split(maxsplit=1)
            rows.append((code, name.strip()))
    return rows


def read_shipped(path: Path) -> tuple[list[tuple[str, str]], dict[str, str]]:
    rows, meta = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and ": " in line:
            key, _, value = line[2:].partition(": ")
            meta[key] = value
        elif line and not line.startswith(("#", "code\t")):
            code, _level, _parent, name, *_ = line.split("\t")
            rows.append((code, name))
    return rows, meta


def build(rows: list[tuple[str, str]]) -> list[list[str]]:
    codes = {code for code, _ in rows}
    if len(codes) != len(rows) or not all(len(c) == 6 and c.isdigit() for c in codes):
        raise SystemExit("codes must be 6 digits and unique")
    out = []
    for code, name in sorted(rows):
        derived = derive(name)
        short, forms = spell(name, derived)
        syl = syllables(name)
        spellings = ["".join(syl)] + ["".join(syl[:keep]) + WORD_PINYIN[word] for keep, word in derived.forms]
        en = PROVINCE_EN.get(code) or CITY_EN.get(code) or ""
        parent = parent_of(code, codes)
        if parent and parent not in codes:
            raise SystemExit(f"{code} {name}: parent {parent} is not in the list")
        covered = "0" if code in NOT_COVERED else "1"
        out.append(
            [
                code,
                level_of(code),
                parent,
                name,
                short,
                "".join(syl[: derived.short]),
                en,
                covered,
                "|".join(forms),
                "|".join(spellings),
            ]
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="areacodes data/<year>.txt (default: the shipped file)")
    parser.add_argument("--vintage", help="the year of the source list, with --source")
    parser.add_argument("--commit", help="the upstream commit the source was taken from, with --source")
    args = parser.parse_args()
    old_rows, meta = read_shipped(OUT) if OUT.exists() else ([], {})
    if args.source:
        rows = read_source(args.source)
        if not (args.vintage and args.commit):
            parser.error("--source needs --vintage and --commit (recorded in the file's header)")
        meta["vintage"] = f"{args.vintage} (divisions as at {args.vintage}-12-31)"
        meta["upstream"] = (
            f"https://github.com/yescallop/areacodes data/{args.vintage}.txt, commit {args.commit}"
        )
    else:
        rows = old_rows
    import pypinyin

    table = build(rows)
    levels = [r[1] for r in table]
    header = [
        "# Divisions of the People's Republic of China at and above county level (县级以上行政区划).",
        "# source: 民政部 (Ministry of Civil Affairs of the PRC), 中华人民共和国县级以上行政区划代码, "
        "https://www.mca.gov.cn/n156/n2679/index.html",
        f"# vintage: {meta.get('vintage', '?')}",
        f"# upstream: {meta.get('upstream', '?')}",
        "# licence: the code list is official public data; the upstream compilation is CC0 1.0",
        "# derived: short, forms, pinyin, spellings by tools/build_gazetteer.py "
        f"(pypinyin {pypinyin.__version__} and its corrections); en from its tables",
        f"# counts: {levels.count('province')} province, {levels.count('city')} city, "
        f"{levels.count('county')} county",
        "# columns: forms = other Chinese names people type; spellings = pinyin of name then of each form",
        "\t".join(COLUMNS),
    ]
    OUT.write_text("\n".join(header + ["\t".join(r) for r in table]) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(table)} divisions, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
