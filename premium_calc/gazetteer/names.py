"""The names people type for a division, derived from its official name by fixed rules.

Every form is a prefix of the official name, optionally followed by a generic type word, so the
build script can give each form its pinyin from the syllables of the official name alone::

    威宁彝族回族苗族自治县 -> short 威宁, forms 威宁县, 威宁自治县
    黔东南苗族侗族自治州   -> short 黔东南, forms 黔东南州, 黔东南自治州
    内蒙古自治区           -> short 内蒙古 (never 内: a short name keeps two characters)
    东乡族自治县           -> short 东乡 (the name is the ethnic group's), forms 东乡县
    清新区                 -> short 清新 (新区 would leave one character, so only 区 goes)

The rules, in order:

1. The type suffix is the longest of :data:`SUFFIXES` that leaves at least two characters
   (神农架林区 is the one forestry district; in 万柏林区, 碑林区 ... 林 belongs to the name).
2. Before a suffix, the ethnic qualifiers (``彝族回族苗族``, ``各族``; before 自治区/州/县/旗
   also the bare group names of 新疆维吾尔, 巴音郭楞蒙古, 伊犁哈萨克 ...) go, one at a time
   from the end, while at least two characters are left; if only the qualifiers were left
   (东乡族自治县, 鄂温克族自治旗, 鄂伦春自治旗) the short name is the first group without 族.
3. The generic form replaces ``自治县``/``自治州``/``自治旗`` by ``县``/``州``/``旗`` and an
   ethnic district's ``回族区`` by ``区`` (威宁县, 黔东南州, 管城区); an autonomous name also
   keeps its type without the qualifiers (威宁自治县, 黔东南自治州, 广西自治区).

>>> derive("威宁彝族回族苗族自治县")
Derived(short=2, forms=((2, '县'), (2, '自治县')))
>>> spell("广西壮族自治区", derive("广西壮族自治区"))
('广西', ['广西自治区'])
>>> spell("清新区", derive("清新区"))
('清新', [])
>>> spell("鄂温克族自治旗", derive("鄂温克族自治旗"))
('鄂温克', ['鄂温克旗', '鄂温克自治旗'])
"""

from __future__ import annotations

from typing import NamedTuple

#: Type words at the end of an official name, longest first.
SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗",
    "地区", "新区", "矿区", "特区", "省", "市", "区", "县", "旗", "盟",
)  # fmt: skip
#: The forestry district (林区) is a type of its own; elsewhere 林区 ends an ordinary 区.
FORESTRY_DISTRICTS = frozenset({"神农架林区"})
#: The generic word that an autonomous type shortens to (威宁县, 黔东南州, 莫力达瓦旗).
GENERIC = {"自治县": "县", "自治州": "州", "自治旗": "旗"}
#: The 56 ethnic groups (GB/T 3304), as they stand in names before 族.
ETHNIC_GROUPS = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
    "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯",
    "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京",
    "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)  # fmt: skip
#: Qualifiers ending in 族 (longest first, so 土家族 is tried before 家族 could be).
_WITH_ZU = tuple(sorted((*(g + "族" for g in ETHNIC_GROUPS), "各族"), key=len, reverse=True))
#: Bare group names, only seen before 自治 (新疆维吾尔自治区, 伊犁哈萨克自治州).
_BARE = tuple(sorted(ETHNIC_GROUPS, key=len, reverse=True))
MIN_SHORT = 2


class Derived(NamedTuple):
    """How a name's forms are spelt: ``short`` is a prefix length; each form is a prefix length
    and a type word to append."""

    short: int
    forms: tuple[tuple[int, str], ...]


def _suffix(name: str) -> str:
    if name in FORESTRY_DISTRICTS:
        return "林区"
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_SHORT:
            return suffix
    return ""


def _strip_ethnic(base: str, autonomous: bool) -> tuple[str, str]:
    """The base without its trailing ethnic qualifiers, and the first qualifier removed."""
    tokens = _WITH_ZU + (_BARE if autonomous else ())
    first = ""
    while True:
        token = next((t for t in tokens if base.endswith(t)), None)
        if token is None:
            return base, first
        rest = base[: -len(token)]
        if rest and len(rest) < MIN_SHORT:
            return base, first
        if not rest:  # the name is the group's own: 东乡族自治县, 鄂伦春自治旗
            return (token[:-1] if token.endswith("族") else token), token
        base, first = rest, token


def derive(name: str) -> Derived:
    """The short name and other forms of an official name (see the module's rules)."""
    suffix = _suffix(name)
    if not suffix:
        return Derived(len(name), ())
    autonomous = suffix.startswith("自治")
    base, removed = _strip_ethnic(name[: -len(suffix)], autonomous)
    short = len(base)
    forms: list[tuple[int, str]] = []
    generic = GENERIC.get(suffix)
    if generic is None and removed and suffix in ("区", "县", "市", "旗"):
        generic = suffix  # 管城回族区 -> 管城区
    if generic is not None:
        forms.append((short, generic))
    if autonomous and removed:
        forms.append((short, suffix))  # 威宁自治县, 黔东南自治州, 广西自治区
    return Derived(short, tuple(f for f in forms if name[: f[0]] + f[1] != name))


def spell(name: str, derived: Derived) -> tuple[str, list[str]]:
    """The short name and the other forms as strings."""
    return name[: derived.short], [name[:keep] + word for keep, word in derived.forms]


def core(text: str) -> str:
    """A typed name without its type word and ethnic qualifiers, for comparing with short names.

    >>> core("威宁县"), core("贵阳市"), core("赵县")
    ('威宁', '贵阳', '赵县')
    """
    return spell(text, derive(text))[0]
