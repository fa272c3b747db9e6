"""Pydantic models of rate files (``rates/**/*.toml``); income-statistics files are in
:mod:`.income_model`.

A rate file describes one region. Its id is its path under a rate directory without
``.toml`` (``cn``, ``cn/guizhou``, ``cn/guizhou/bijie``). Years are keyed by **coverage
year** (the year the cover applies to); ``policy`` records the year of the notice behind it.

Everything here is *data*: no lookups, no inheritance. :mod:`premium_calc.ratebook`
resolves a region and year into a plain :class:`~premium_calc.ratebook.schedule.Schedule`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .._frozen import Frozen
from ..messages import Note, pick, uses_cjk

Confidence = Literal["high", "medium", "low"]


_CONFIDENCE_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}


def weakest(confidences: Iterable[Confidence]) -> Confidence:
    """The lowest of some confidence levels (what a value built from them deserves)."""
    return min(confidences, key=_CONFIDENCE_RANK.__getitem__)


Sex = Literal["male", "female"]


Level = Literal["country", "province", "city", "county"]


#: Assisted groups (参保资助对象) a household member can belong to. Rate files name the
#: groups a rule covers with these ids; the CLI accepts them as ``--member`` flags.
ASSISTED_GROUPS: dict[str, tuple[str, str]] = {
    "tekun": ("特困人员", "person in extreme poverty (tekun)"),
    "orphan": ("孤儿/事实无人抚养儿童", "orphan or de-facto unsupported child"),
    "dibao": ("最低生活保障对象(低保)", "minimum-living-allowance recipient (dibao)"),
    "dibao_edge": ("低保边缘家庭成员", "member of a near-dibao household"),
    "monitored": ("防止返贫监测对象", "household monitored against falling back into poverty"),
    "returned_poverty": ("返贫致贫人口", "person fallen (back) into poverty"),
    "poverty_exit": ("脱贫人口(未纳入监测)", "person lifted out of poverty, not monitored"),
    "low_income": ("低收入家庭成员", "member of a low-income household"),
    "youfu": ("优抚对象", "entitled group (veterans' families etc., youfu)"),
    "family_planning": ("计生特殊家庭", "special family-planning household"),
    "border": ("边境村民", "border villager"),
}


AssistedGroup = Literal[
    "tekun",
    "orphan",
    "dibao",
    "dibao_edge",
    "monitored",
    "returned_poverty",
    "poverty_exit",
    "low_income",
    "youfu",
    "family_planning",
    "border",
]


def to_decimal(value: object) -> object:
    """Accept TOML integers, Decimal floats and numeric strings as exact Decimals."""
    if isinstance(value, bool):
        return value  # let pydantic reject it
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value
    return value


def _to_rate(value: object) -> object:
    """Accept ``"0.7%"`` (a percentage) or a plain fraction (``0.007``)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = Decimal(value.strip()[:-1])
            exponent = number.as_tuple().exponent
            if isinstance(exponent, int) and exponent < -100:
                # 1e-999999999% / 100 underflows to 0: keep the number, which the check of
                # decimals then refuses, rather than read it as 0%.
                return number
            return number / 100
        except ArithmeticError:  # InvalidOperation, Overflow (1e999999999%)
            return value
    return to_decimal(value)


#: The largest amount a rate file may hold, in yuan: above any premium, subsidy or monthly base
#: (the largest shipped is a 4,350 subsidy); a bound keeps typos like 1e30 out of the
#: arithmetic (exact Decimal, and int64 fen in the vectorised engine).
MAX_AMOUNT = 100_000


def max_places(limit: int) -> Any:
    """A check that a decimal has at most ``limit`` decimals, done on its exponent (pydantic's
    own count lets 1e-999999999 through, and arithmetic with it then never ends)."""

    def check(value: Decimal) -> Decimal:
        exponent = value.as_tuple().exponent
        step = Decimal(1).scaleb(-limit)
        if isinstance(exponent, int) and exponent < -limit and value != value.quantize(step):
            raise PydanticCustomError("schema.decimals_at_most", "at most {limit} decimals", {"limit": limit})
        return value

    return AfterValidator(check)


Money = Annotated[
    Decimal, BeforeValidator(to_decimal), Field(ge=0, le=MAX_AMOUNT, decimal_places=2), max_places(2)
]


#: A share or a rate: 0..1, at most six decimals (0.007 is 0.7%).
Rate = Annotated[Decimal, BeforeValidator(_to_rate), Field(ge=0, le=1, decimal_places=6), max_places(6)]


class Name(Frozen):
    """A bilingual name."""

    zh: str
    en: str


class BilingualText(Frozen):
    """Prose of a rate file given in both languages: ``{ zh = "...", en = "..." }``.

    ``str()`` of it is the English text (what code that reads prose as text always saw).
    """

    zh: str
    en: str

    def __str__(self) -> str:
        return self.en


def _to_prose(value: object) -> str | BilingualText:
    """A plain string as is; a table ``{ zh, en }`` (both text, nothing else) as bilingual text."""
    if isinstance(value, str | BilingualText):
        return value
    if isinstance(value, dict):
        if set(value) == {"zh", "en"} and all(isinstance(v, str) for v in value.values()):
            return BilingualText(zh=value["zh"], en=value["en"])
        keys = ", ".join(sorted(map(str, value))) or "none"
        raise PydanticCustomError(
            "schema.prose_table_keys",
            'expected a table {{ zh = "...", en = "..." }} of two texts (got keys: {keys})',
            {"keys": keys},
        )
    raise PydanticCustomError(
        "schema.prose_type", 'expected text, or a table {{ zh = "...", en = "..." }} of two texts'
    )


def english(prose: str | BilingualText) -> str:
    """The English text of a prose field (a plain string is taken to be its own English)."""
    return prose.en if isinstance(prose, BilingualText) else prose


def prose_in(prose: str | BilingualText, lang: str) -> str:
    """The text of a prose field in ``lang`` (``"zh"`` or ``"en"``); a plain string as it is."""
    if isinstance(prose, BilingualText):
        return pick(prose, lang)
    return prose


def prose_note(prose: str | BilingualText) -> Note:
    """A prose field as a :class:`~premium_calc.messages.Note`: its ``str()`` is the English
    text, and ``.text(lang)`` the text in ``lang`` (a plain string is the same in both)."""
    return Note("note.text", text=prose)


_PROSE_SCHEMA: dict[str, object] = {
    "description": 'Text: a plain string, or { zh = "...", en = "..." } in both languages.',
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "title": "BilingualText",
            "properties": {
                "zh": {"type": "string", "title": "Zh"},
                "en": {"type": "string", "title": "En"},
            },
            "required": ["zh", "en"],
            "additionalProperties": False,
        },
    ],
}


#: A prose field (``note``, ``missing``): a plain string, or ``{ zh = "...", en = "..." }``.
#: In Python the value is a ``str`` or a :class:`BilingualText`; JSON output (``mode="json"``)
#: gives its English text, so JSON consumers keep seeing a string.
Prose = Annotated[
    str | BilingualText,
    PlainValidator(_to_prose),
    PlainSerializer(english, return_type=str, when_used="json"),
    WithJsonSchema(_PROSE_SCHEMA, mode="validation"),
]


class Source(Frozen):
    """Where a value comes from.

    ``title`` is the title as published (most are Chinese); ``title_zh`` is a Chinese form of a
    title the rate file gives in another language only (an English report, a translation).
    """

    title: str
    title_zh: str | None = None
    url: str | None = None
    confidence: Confidence
    note: Prose | None = None

    def title_in(self, lang: str) -> str:
        """The title as shown in ``lang``: the Chinese form in Chinese where there is one."""
        return self.title_zh if self.title_zh and uses_cjk(lang) else self.title


class SexAges(Frozen):
    """An age bound that differs by sex (Beijing's elderly: men 60+, women 50+)."""

    male: int = Field(ge=0, le=130)
    female: int = Field(ge=0, le=130)


AgeBound = int | SexAges


class Condition(Frozen):
    """A test on one member. Every key that is set must hold (logical AND).

    Ages are whole years reached on 1 January of the coverage year.
    """

    min_age: AgeBound | None = None
    max_age: AgeBound | None = None
    sex: Sex | None = None
    student: bool | None = None
    college: bool | None = None
    born_before: dt.date | None = None
    born_on_or_after: dt.date | None = None

    @field_validator("min_age", "max_age")
    @classmethod
    def _age_range(cls, v: AgeBound | None) -> AgeBound | None:
        if isinstance(v, int) and not 0 <= v <= 130:
            raise PydanticCustomError("schema.age_range", "age must be between 0 and 130")
        return v


class PercentOfBase(Frozen):
    """An amount defined as a share of a published monthly base (Shenzhen).

    annual amount = base x rate x months, rounded half-up to the fen once.
    """

    base: Money
    rate: Rate
    months: int = Field(default=12, ge=1, le=12)


Amount = Money | PercentOfBase


class Tier(Frozen):
    """An optional contribution level the household chooses (一档/二档, 低档/高档)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Name


class Category(Frozen):
    """A group of residents with one contribution: first matching category wins.

    ``individual`` is what one person pays; ``tiers`` replaces it where the region has
    optional tiers. ``includes`` names components collected inside ``individual`` (e.g.
    ``{ ltc = 30 }`` for a long-term-care premium) so they can be shown separately.
    ``missing`` says why no amount is known (a calculation then fails with that reason).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Name | None = None
    when: Condition | list[Condition] | None = None
    individual: Amount | None = None
    tiers: dict[str, Amount] | None = None
    subsidy: Money | None = None
    includes: dict[str, Money] | None = None
    below_minimum: bool = False
    missing: Prose | None = None
    source: Source | None = None
    note: Prose | None = None

    @property
    def conditions(self) -> tuple[Condition, ...]:
        if self.when is None:
            return ()
        return tuple(self.when) if isinstance(self.when, list) else (self.when,)


#: The ways an assisted rule states what the member pays (exactly one is set).
ASSIST_FORMS = ("pays", "pays_share", "assistance", "missing")


class AssistRule(Frozen):
    """What an assisted member (特困, 低保 ...) pays.

    Exactly one of: ``pays`` (a fixed amount the person pays), ``pays_share`` (the share
    of the gross the person pays, ``"50%"``), ``assistance`` (a fixed amount assistance
    pays, the person pays the rest) or ``missing`` (the group is assisted but the amount is
    not in the data, with the reason: the member is then shown as "assisted, amount
    unknown", paying somewhere between nothing and the full premium; a rule with an amount
    that covers the member, at any level, takes precedence over a ``missing`` one for the same
    group). The rule covers members in any of ``groups`` or with
    a disability grade in ``disability_grades`` (everyone, if it names neither), and, where
    ``when`` is set, only members for
    whom it holds (the same tests as a category's ``when``: Kunming's 低收入家庭 rule covers
    members aged 60+ and minors only). Where several rules apply, the one that leaves the
    member paying least wins (no double subsidy).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Name
    groups: list[AssistedGroup] = Field(default_factory=list)
    disability_grades: list[Annotated[int, Field(ge=1, le=4)]] = Field(default_factory=list)
    when: Condition | list[Condition] | None = None
    pays: Money | None = None
    pays_share: Rate | None = None
    assistance: Money | None = None
    missing: Prose | None = None
    #: With ``missing``: the most the member can pay, where the source bounds it ("subsidised
    #: at least 60%" of 400: at most 160); the member is then shown paying 0 to this.
    at_most: Money | None = None
    source: Source | None = None
    note: Prose | None = None

    @model_validator(mode="after")
    def _one_form(self) -> AssistRule:
        if self.at_most is not None and self.missing is None:
            raise PydanticCustomError(
                "schema.at_most_needs_missing", "at_most bounds an unknown amount: it goes with missing"
            )
        given = [k for k in ASSIST_FORMS if getattr(self, k) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "schema.assist_one_form",
                "an assisted rule needs exactly one of pays, pays_share, assistance, missing (got {given})",
                {"given": ", ".join(given) or "-"},
            )
        if not self.groups and not self.disability_grades and self.when is None:
            raise PydanticCustomError(
                "schema.assist_needs_whom", "an assisted rule needs groups, disability_grades or when"
            )
        return self

    @property
    def conditions(self) -> tuple[Condition, ...]:
        if self.when is None:
            return ()
        return tuple(self.when) if isinstance(self.when, list) else (self.when,)


class Window(Frozen):
    """The collection window (集中缴费期) for a coverage year."""

    start: dt.date | None = None
    end: dt.date | None = None
    source: Source | None = None
    note: Prose | None = None


class LateEnrollment(Frozen):
    """What a late enrollee pays (outside the window), and how long cover waits."""

    amount: Money
    start: dt.date | None = None
    end: dt.date | None = None
    waiting_days: int | None = Field(default=None, ge=0)
    source: Source | None = None
    note: Prose | None = None


class YearEntry(Frozen):
    """One coverage year of one region. Unset keys are inherited from the parent region."""

    coverage: int = Field(ge=2000, le=2100)
    policy: int | None = Field(default=None, ge=2000, le=2100)
    source: Source
    collection: Window | None = None
    subsidy: Money | None = None
    subsidy_source: Source | None = None
    tier: list[Tier] | None = None
    category: list[Category] | None = None
    assisted: list[AssistRule] | None = None
    late: LateEnrollment | None = None
    #: The source sets one standard for every place inside the region (a province-wide or
    #: city-wide notice): a county or city without its own file then pays exactly this.
    whole_region: bool | None = None
    note: Prose | None = None


class RegionInfo(Frozen):
    """The ``[region]`` table: names, parent, aliases, 6-digit 行政区划代码."""

    name: Name
    parent: str | None = None
    level: Level
    code: str | None = Field(default=None, pattern=r"^[1-9][0-9]{5}$")
    aliases: list[str] = Field(default_factory=list)
    note: Prose | None = None


class RateFile(Frozen):
    """A whole rate file: one region and its years."""

    region: RegionInfo
    year: list[YearEntry] = Field(default_factory=list)
