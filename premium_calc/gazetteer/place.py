"""A division of the gazetteer: its code, names, level and parent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["province", "city", "county"]
LEVELS: tuple[Level, ...] = ("province", "city", "county")


@dataclass(frozen=True, slots=True)
class Place:
    """One province-, prefecture- or county-level division.

    ``code`` is the 6-digit 行政区划代码; ``name`` the official Chinese name
    (威宁彝族回族苗族自治县); ``short`` the name without its type word and ethnic qualifiers
    (威宁); ``pinyin`` the toneless pinyin of ``short``, lower case and without spaces
    (``weining``, ü written ``v``); ``en`` a conventional English name where one is recorded
    (provinces and a few cities whose English name is not their pinyin), else ``None``.

    ``level`` is ``province`` (省级), ``city`` (地级: 地级市, 地区, 自治州, 盟) or ``county``
    (县级: 市辖区, 县级市, 县, 自治县, 旗, 自治旗, 特区, 林区). ``parent`` is the code of the
    division above, ``None`` for a province. The districts of the four municipalities (北京,
    天津, 上海, 重庆) and the county-level divisions a province administers directly (济源市,
    仙桃市, 五指山市, 石河子市 ...) have the province as parent: the statistical pseudo-levels
    市辖区/县/省直辖县级行政区划 (110100, 500200, 419000 ...) are not places.

    ``covered`` is ``False`` for 台湾省, 香港 and 澳门, which are in the code list but outside the
    resident medical insurance this package prices (and have no divisions below them here).
    """

    code: str
    name: str
    short: str
    pinyin: str
    en: str | None
    level: Level
    parent: str | None
    covered: bool = True

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def order(place: Place) -> tuple[int, str]:
    """Provinces first, then cities, then counties; by code within a level."""
    return LEVELS.index(place.level), place.code
