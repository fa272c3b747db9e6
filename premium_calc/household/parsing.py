"""Households from what people type: member specs (``72:female,dibao``), lists of them, and
household files (TOML or JSON).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from ..errors import HouseholdError
from ..messages import Note
from ..ratefiles.model import ASSISTED_GROUPS, AssistedGroup
from ..ratefiles.reading import FULL_WIDTH
from .amounts import check_yuan, parse_yuan
from .members import MEMBER_FLAGS, Household, HouseholdFile, Member

_GROUPS = set(get_args(AssistedGroup))

#: Chinese (and other) ways of writing the flags of :data:`MEMBER_FLAGS`, beyond the assisted
#: groups' names in ``ASSISTED_GROUPS`` (accepted too): each maps to one flag only.
_ALIASES: dict[str, tuple[str, ...]] = {
    "male": ("男", "男性"),
    "female": ("女", "女性"),
    "student": ("学生", "中小学生", "中学生", "小学生"),
    "college": ("大学生", "在校大学生"),
    "employee": ("职工医保", "职工", "职工医疗保险", "城镇职工医保"),
    "tekun": ("特困", "特困人员", "特困供养人员"),
    "orphan": ("孤儿", "事实无人抚养儿童"),
    "dibao": ("低保", "低保户", "低保对象", "低保人员", "最低生活保障对象"),
    "dibao_edge": ("低保边缘", "低保边缘户", "低保边缘家庭", "低保边缘家庭成员"),
    "monitored": ("监测对象", "防返贫监测", "防返贫监测对象", "防止返贫监测对象"),
    "returned_poverty": ("返贫致贫", "返贫致贫人口"),
    "poverty_exit": ("脱贫户", "脱贫人口"),
    "low_income": ("低收入", "低收入家庭", "低收入家庭成员"),
    "youfu": ("优抚", "优抚对象"),
    "family_planning": ("计生特殊家庭", "计划生育特殊家庭"),
    "border": ("边境村民", "边民"),
}
#: How the list of accepted flags shows each flag in Chinese.
_ZH_SHOWN = {
    "male": "男",
    "female": "女",
    "student": "学生（中小学生）",
    "college": "大学生",
    "employee": "职工医保",
    "disabled": "残疾一级到四级（残疾二级、二级残疾、残疾2级）",
    "tekun": "特困",
    "orphan": "孤儿",
    "dibao": "低保",
    "dibao_edge": "低保边缘",
    "monitored": "监测对象",
    "returned_poverty": "返贫致贫",
    "poverty_exit": "脱贫人口",
    "low_income": "低收入",
    "youfu": "优抚",
    "family_planning": "计生特殊家庭",
    "border": "边境村民",
}


def _flag_aliases() -> dict[str, str]:
    out: dict[str, str] = {flag: flag for flag in MEMBER_FLAGS}
    out.update({"m": "male", "f": "female"})
    for flag, names in _ALIASES.items():
        out.update(dict.fromkeys(names, flag))
    for group, (zh, _) in ASSISTED_GROUPS.items():
        full = unicodedata.normalize("NFKC", zh)
        out[full] = group
        for name in full.split("(")[0].split("/"):
            out[name.strip()] = group
    for grade in (1, 2, 3, 4):
        for n in (str(grade), "一二三四"[grade - 1]):
            out.update(dict.fromkeys((f"残疾{n}级", f"{n}级残疾", f"残疾{n}"), f"disabled{grade}"))
    return out


#: Every way of writing a member flag (lower case, half-width) -> its flag in :data:`MEMBER_FLAGS`.
FLAG_ALIASES: dict[str, str] = _flag_aliases()

_FLAG_SEPARATORS = re.compile(r"[,;、\s]+")
_AGE = re.compile(r"[-+]?[0-9]+", re.ASCII)
_DATE = re.compile(
    r"([0-9]{4})(?:([-./])([0-9]{1,2})\2([0-9]{1,2})|\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?)",
    re.ASCII,
)


class _Both:
    """A text given in both languages (a catalog field shown in the language asked)."""

    __slots__ = ("en", "zh")

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en

    def __str__(self) -> str:
        return self.en

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Both, (self.zh, self.en))


def _accepted_flags() -> _Both:
    zh = "、".join(_ZH_SHOWN.values()) + "；或英文标记 " + ", ".join(MEMBER_FLAGS)
    return _Both(zh=zh, en=", ".join(MEMBER_FLAGS))


def _suggestion(raw: str) -> str | None:
    """The accepted flag (English or Chinese) closest to ``raw``, if one is close enough."""
    from rapidfuzz import fuzz, process

    # Latin typos (dibo, femal) score high on WRatio, among the Latin flags (not m and f, which
    # WRatio finds inside any word); a Chinese flag is one to five characters, so one wrong
    # character (底保 for 低保, a homophone from the input method) is half of it.
    if raw.isascii():
        latin = [name for name in FLAG_ALIASES if name.isascii() and len(name) > 2]
        found = process.extractOne(raw, latin, scorer=fuzz.WRatio, score_cutoff=75)
    else:
        chinese = [name for name in FLAG_ALIASES if not name.isascii()]
        found = process.extractOne(raw, chinese, scorer=fuzz.ratio, score_cutoff=50)
    return None if found is None else found[0]


def _at(where: str, key: str, **fields: object) -> Note:
    """A problem with one member spec: ``--member '45x': ...`` (the spec, then what is wrong)."""
    return Note("error.at_member", where=where, detail=Note(key, **fields))


def _head(head: str, where: str) -> dict[str, Any]:
    """``45``, ``45岁``, ``2026-03-15``, ``2026/3/15``, ``2026.3.15`` or ``2026年3月15日``."""
    for suffix in ("周岁", "岁"):
        if head.endswith(suffix) and _AGE.fullmatch(head[: -len(suffix)].rstrip()):
            head = head[: -len(suffix)].rstrip()
    if _AGE.fullmatch(head):
        age = int(head) if len(head) <= 4 else 10_000  # a 100,000-digit "age" is just too large
        if not 0 <= age <= 130:
            raise HouseholdError(_at(where, "error.member_age_impossible", age=age))
        return {"age": age}
    date = _DATE.fullmatch(head)
    if date is not None:
        year, _, month, day, zh_month, zh_day = date.groups()
        try:
            return {"birth_date": dt.date(int(year), int(month or zh_month), int(day or zh_day))}
        except ValueError:
            pass
    if date is not None or any(c in head[1:] for c in "-./年"):
        raise HouseholdError(_at(where, "error.member_not_a_date", value=repr(head)))
    raise HouseholdError(_at(where, "error.member_not_an_age", value=repr(head)))


def parse_member(spec: str, *, index: int = 1, where: str | None = None) -> Member:
    """Parse ``AGE[:flag,...]`` or ``BIRTHDATE[:flag,...]``: ``72:female,dibao``, ``68:低保``,
    ``45：男，特困``, ``2026年3月15日``.

    The head is an age (``45``, ``45岁``) or a birth date (``2026-03-15``, ``2026/3/15``,
    ``2026.3.15``, ``2026年3月15日``); flags are those of :data:`MEMBER_FLAGS` or their Chinese
    names (:data:`FLAG_ALIASES`: 男, 女, 学生, 大学生, 职工医保, 残疾二级, 低保, 特困 ...),
    separated by ``,`` ``，`` ``、`` ``;`` or spaces; full-width digits and punctuation are read as
    half-width ones. ``where`` names the spec in error messages (default ``--member '<spec>'``)."""
    from ..errors import expect_type

    expect_type(spec, str, "spec", "a member spec such as '45' or '42:female'")
    where = f"--member {spec!r}" if where is None else where
    text = spec.strip()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    head, _, tail = text.partition(":")
    head = head.strip()
    if not head:
        raise HouseholdError(_at(where, "error.member_empty"))
    fields = _head(head, where)
    groups: list[str] = []
    for raw in _FLAG_SEPARATORS.split(tail.lower()):
        if not raw:
            continue
        flag = FLAG_ALIASES.get(raw) or FLAG_ALIASES.get(raw.replace("-", "_"))
        if flag is None:
            if raw in ("残疾", "残疾人", "disabled", "disability"):
                raise HouseholdError(_at(where, "error.member_disability_grade", flag=repr(raw)))
            close = _suggestion(raw)
            hint = Note("error.did_you_mean_flag", flag=close) if close else ""
            raise HouseholdError(
                _at(where, "error.member_unknown_flag", flag=repr(raw), hint=hint, flags=_accepted_flags())
            )
        if flag in ("male", "female"):
            if "sex" in fields and fields["sex"] != flag:
                raise HouseholdError(_at(where, "error.member_both_sexes"))
            fields["sex"] = flag
        elif flag in ("student", "college", "employee"):
            fields[flag] = True
        elif flag.startswith("disabled"):
            grade = int(flag[8:])
            if fields.get("disability", grade) != grade:
                raise HouseholdError(
                    _at(where, "error.member_two_grades", first=fields["disability"], second=grade)
                )
            fields["disability"] = grade
        elif flag not in groups:
            groups.append(flag)
    if groups:
        fields["assisted"] = tuple(groups)
    try:
        return Member.model_validate(fields)
    except ValidationError as exc:
        raise HouseholdError(Note("error.at_member", where=where, detail=_error_text(exc))) from None


def build_household(members: Iterable[Member | str], income: Decimal | int | str | None = None) -> Household:
    """A household from members or member specs, with an optional annual income."""
    from ..errors import expect_type

    if isinstance(members, str | bytes) or not hasattr(members, "__iter__"):
        # build_household("45") would read the characters "4" and "5" as two members.
        expect_type(members, list, "members", "a list of members such as ['45', '42:female']")
    parsed = []
    for i, m in enumerate(members, start=1):
        expect_type(m, (str, Member), f"members[{i - 1}]", "a member such as '45' or '42:female'")
        parsed.append(parse_member(m, index=i) if isinstance(m, str) else m)
    if not parsed:
        raise HouseholdError(Note("error.household_no_members"))
    value: Decimal | None = None
    if isinstance(income, str):
        value = parse_yuan(income, field="income")
    elif income is not None:
        try:
            number = Decimal(str(income))
        except ArithmeticError:
            raise HouseholdError(_not_an_amount(income), field="income") from None
        value = check_yuan(number, field="income")
    try:
        return Household.model_validate({"members": tuple(parsed), "income": value})
    except ValidationError as exc:
        raise HouseholdError(_error_text(exc)) from None


def _not_an_amount(income: object) -> Note:
    return Note("error.income_not_an_amount", value=repr(income))


#: The largest household file read (a household of a hundred members is a few KiB).
HOUSEHOLD_FILE_BYTES = 1 * 2**20


def load_household_file(path: Path | str) -> HouseholdFile:
    """Read a household from a ``.toml`` or ``.json`` file."""
    from ..errors import expect_type
    from ..ratefiles.reading import read_limited_text

    expect_type(path, (Path, str), "path", "a household file (a path)")
    p = Path(path)
    text = read_limited_text(p, lambda note: HouseholdError(note, file=str(p)), limit=HOUSEHOLD_FILE_BYTES)
    from ..ratefiles.reading import toml_module

    tomllib = toml_module()

    data: Any
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text, parse_float=Decimal)
        else:
            data = tomllib.loads(text, parse_float=Decimal)
    except RecursionError:
        raise HouseholdError(Note("error.nested_too_deeply"), file=str(p)) from None
    except json.JSONDecodeError as exc:
        _full_width(text, exc.lineno, p, toml=False)
        invalid = Note("error.invalid_json", line=exc.lineno, detail=exc.msg)
        raise HouseholdError(invalid, file=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None:
            found = re.search(r"at line (\d+)", str(exc))
            line = int(found.group(1)) if found else None
        _full_width(text, line, p, toml=True)
        raise HouseholdError(Note("error.invalid_toml", detail=exc), file=str(p)) from None
    if not isinstance(data, dict):
        raise HouseholdError(Note("error.household_not_a_table"), file=str(p))
    _read_values(data, p)
    try:
        return HouseholdFile.model_validate(data)
    except ValidationError as exc:
        raise HouseholdError(_error_text(exc), file=str(p)) from None


def _read_values(data: dict[str, Any], path: Path) -> None:
    """Values of a household file written the way people write them, in place: incomes as text
    (``"1.2万"``, ``"8,000元"``, through :func:`~.amounts.parse_yuan`), ``sex`` and ``assisted``
    in Chinese (``"女"``, ``["低保"]``, as in ``--member``). Anything else is left to the model."""
    _read_income(data, "income", path)
    members = data.get("members")
    if not isinstance(members, list):
        return
    for i, member in enumerate(members):
        if not isinstance(member, dict):
            continue
        _read_income(member, f"members[{i}].income", path)
        sex = member.get("sex")
        if isinstance(sex, str) and _named(sex) in ("male", "female"):
            member["sex"] = _named(sex)
        groups = member.get("assisted")
        if isinstance(groups, list):
            member["assisted"] = [
                _named(g) if isinstance(g, str) and _named(g) in _GROUPS else g for g in groups
            ]


def _read_income(table: dict[str, Any], field: str, path: Path) -> None:
    raw = table.get("income")
    if isinstance(raw, str):
        try:
            table["income"] = parse_yuan(raw)
        except HouseholdError as exc:
            raise HouseholdError(exc.detail_note, field=field, file=str(path)) from None


def _named(text: str) -> str | None:
    """The flag of :data:`FLAG_ALIASES` that ``text`` names (``"女"`` -> ``female``), if any."""
    text = text.strip().lower()
    return FLAG_ALIASES.get(text if text.isascii() else unicodedata.normalize("NFKC", text))


#: Full-width and CJK punctuation that looks like the ASCII a TOML or JSON file needs.
_LOOKALIKES: dict[str, str] = FULL_WIDTH


def _full_width(text: str, line: int | None, path: Path, *, toml: bool) -> None:
    """Where a file does not parse: raise a one-line error naming the first full-width symbol
    (``＝``, ``：``, ``“``) outside a string on the offending line (or the one before), if any."""
    lines = text.splitlines()
    if line is None:
        candidates = list(range(1, len(lines) + 1))
    else:
        candidates = [n for n in (line, line - 1) if 1 <= n <= len(lines)]
    for number in candidates:
        char = _lookalike_in(lines[number - 1], toml=toml)
        if char is not None:
            note = Note("error.full_width_symbol", line=number, char=char, ascii=_LOOKALIKES[char])
            raise HouseholdError(note, file=str(path)) from None


def _lookalike_in(line: str, *, toml: bool) -> str | None:
    """The first look-alike outside a string (or a curly quote in a string left open)."""
    quote = ""
    escaped = False
    curly: str | None = None
    for char in line:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote, curly = "", None
            elif curly is None and char in "“”‘’":
                curly = char
        elif char == '"' or (toml and char == "'"):  # JSON strings are "..." only
            quote = char
        elif toml and char == "#":
            return None
        elif char in _LOOKALIKES:
            return char
    return curly if quote else None


def _error_text(exc: ValidationError) -> Note:
    """pydantic's errors about a household in one line (imported when there is one)."""
    from ..ratefiles.pydantic_errors import household_error_text

    return household_error_text(exc)
