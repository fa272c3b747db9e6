"""Why a number is what it is: every effective value of a region and year, with its origin.

:func:`explain` resolves a region and coverage year (inheritance applied, as
:meth:`RateBook.schedule <premium_calc.ratebook.RateBook.schedule>` does) and lists every
effective value under a flat key, the same keys ``premium-calc rates set`` takes::

    policy                          the notice year
    subsidy                         the per-capita fiscal subsidy of the year
    collection.start, .end          the collection window
    late.amount, .start, .end, .waiting_days
    tier.<id>                       a declared optional tier (value: its name)
    category.<id>.name, .when, .individual, .tiers.<tier>, .subsidy, .includes.<name>,
        .missing, .below_minimum
    assisted.<id>.name, .groups, .disability_grades, .when, .pays, .pays_share, .assistance

Each value carries its :class:`~premium_calc.ratebook.Origin`: the region and file that set
it (the region's own file or an ancestor's), the key path inside that file (``.line()``
gives the line) and the source that backs it. :func:`diff` compares two coverage years of
a region: changed values with the absolute change and the change in percent (Decimal,
``(new - old) / old x 100`` rounded half-up to 0.01).

Nothing here prints: :mod:`premium_calc.cli.rates` renders the results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..messages import uses_cjk
from ..ratefiles.model import BilingualText, Condition, Name, SexAges, Source, prose_in, weakest
from ..units import money
from .book import RateBook
from .schedule import Origin, Schedule

#: A value of a rate file, after inheritance (prose such as ``missing`` may be bilingual).
Scalar = Decimal | int | bool | str | dt.date | BilingualText


@dataclass(frozen=True)
class ExplainedValue:
    """One effective value: its key, the value, and where it was set."""

    key: str
    value: Scalar
    origin: Origin
    inherited: bool
    formula: str | None = None
    #: The name a ``.name`` / ``tier.`` value stands for, in both languages (``value`` is
    #: ``"zh / en"``).
    name: Name | None = None

    @property
    def region(self) -> str:
        return self.origin.region

    @property
    def file(self) -> Path:
        return self.origin.file

    @property
    def source(self) -> Source:
        return self.origin.source

    def line(self) -> int | None:
        """The line of :attr:`file` that sets the value."""
        return self.origin.line()

    @property
    def text(self) -> str:
        """The value as shown to a person (``1,070``, ``50%``, ``2025-02-28``); prose in English."""
        return format_value(self.key, self.value)

    def text_in(self, lang: str) -> str:
        """:attr:`text` in ``lang``: bilingual prose (a ``missing`` reason) in that language."""
        if isinstance(self.value, BilingualText):
            return prose_in(self.value, lang)
        if self.name is not None and uses_cjk(lang):
            return self.name.zh
        return self.text

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": jsonable(self.value),
            "text": self.text,
            "formula": self.formula,
            "region": self.region,
            "inherited": self.inherited,
            "file": str(self.file),
            "line": self.line(),
            "key_path": self.origin.key_text,
            "source": self.source.model_dump(mode="json", exclude_none=True),
        }


@dataclass(frozen=True)
class Explanation:
    """Every effective value of one region and coverage year."""

    region: str
    name: Name
    level: str
    year: int
    policy_year: int | None
    chain: tuple[str, ...]
    file: Path
    source: Source
    national_minimum: Decimal | None
    values: tuple[ExplainedValue, ...]

    def get(self, key: str) -> ExplainedValue | None:
        for value in self.values:
            if value.key == key:
                return value
        return None

    def __getitem__(self, key: str) -> ExplainedValue:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def keys(self) -> list[str]:
        return [v.key for v in self.values]

    @property
    def confidence(self) -> str:
        sources = [self.source, *(v.source for v in self.values)]
        return weakest(s.confidence for s in sources)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "name": self.name.model_dump(),
            "level": self.level,
            "coverage_year": self.year,
            "policy_year": self.policy_year,
            "chain": list(self.chain),
            "file": str(self.file),
            "source": self.source.model_dump(mode="json", exclude_none=True),
            "confidence": self.confidence,
            "national_minimum": jsonable(self.national_minimum),
            "values": [v.as_dict() for v in self.values],
        }


@dataclass(frozen=True)
class RegionView:
    """A region with its file, chain of parents and the explanation of its years."""

    region: str
    name: Name
    level: str
    parent: str | None
    file: Path
    chain: tuple[str, ...]
    years: tuple[int, ...]
    explanations: tuple[Explanation, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "name": self.name.model_dump(),
            "level": self.level,
            "parent": self.parent,
            "file": str(self.file),
            "chain": list(self.chain),
            "years": list(self.years),
            "explanations": [e.as_dict() for e in self.explanations],
        }


def explain(book: RateBook, region: str, year: int) -> Explanation:
    """Every effective value of ``region`` (id or name) in coverage ``year``, with origins."""
    schedule = book.schedule(region, year)
    return explain_schedule(book, schedule)


def explain_schedule(book: RateBook, schedule: Schedule) -> Explanation:
    """:func:`explain` for an already resolved schedule (of this book)."""
    return Explanation(
        region=schedule.region,
        name=schedule.name,
        level=schedule.level,
        year=schedule.coverage_year,
        policy_year=schedule.policy_year,
        chain=schedule.chain,
        file=schedule.origin_file,
        source=schedule.source,
        national_minimum=schedule.national_minimum,
        values=tuple(_values(schedule)),
    )


def show(book: RateBook, region: str, year: int | None = None) -> RegionView:
    """A region's file, parents and years, with the explanation of one year or of all."""
    region_id = book.find(region)
    reg = book.region(region_id)
    years = tuple(reg.years())
    wanted = years if year is None else (year,)
    explanations = tuple(explain(book, region_id, y) for y in wanted)
    return RegionView(
        region=region_id,
        name=reg.name,
        level=reg.data.region.level,
        parent=reg.parent,
        file=reg.path,
        chain=tuple(r.id for r in book.chain(region_id)),
        years=years,
        explanations=explanations,
    )


def value_map(explanation: Explanation, *, names: bool = True) -> dict[str, Scalar]:
    """``{key: value}`` of an explanation (without names and tier labels if ``names`` is false)."""
    out: dict[str, Scalar] = {}
    for v in explanation.values:
        if names:
            out[v.key] = v.value
        elif v.key.startswith("tier."):
            out[v.key] = True  # the tier exists; its label is not a value
        elif not v.key.endswith(".name"):
            out[v.key] = v.value
    return out


def format_value(key: str, value: Scalar | None) -> str:
    """A value as shown to a person."""

    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if key.endswith("pays_share"):
            return f"{(value * 100).normalize():f}%"
        return money(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def condition_text(conditions: tuple[Condition, ...]) -> str:
    """``when`` as text: ``min_age >= 60 (male) / 50 (female)``, alternatives joined by ``or``."""
    parts = []
    for cond in conditions:
        tests = []
        for field in type(cond).model_fields:
            v = getattr(cond, field)
            if v is None:
                continue
            if isinstance(v, SexAges):
                shown = f"{v.male} (male) / {v.female} (female)"
            elif isinstance(v, bool):
                shown = "true" if v else "false"
            elif isinstance(v, dt.date):
                shown = v.isoformat()
            else:
                shown = str(v)
            op = {"min_age": ">=", "max_age": "<="}.get(field, "=")
            tests.append(f"{field} {op} {shown}")
        parts.append(" and ".join(tests) or "everyone")
    return " or ".join(parts)


def name_text(name: Name) -> str:
    return name.zh if name.zh == name.en else f"{name.zh} / {name.en}"


def jsonable(value: object) -> object:
    """A value for JSON: amounts as exact decimal strings, dates in ISO form, prose in English."""
    if isinstance(value, BilingualText):
        return value.en
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _values(s: Schedule) -> list[ExplainedValue]:
    """The effective values of a schedule in explain order, each with its recorded origin."""
    out: list[ExplainedValue] = []

    def add(
        key: str, value: Scalar | None, origin: Origin | None, formula: str | None = None,
        name: Name | None = None,
    ) -> None:
        if value is None or origin is None:
            return
        out.append(ExplainedValue(key, value, origin, origin.region != s.region, formula, name))

    year = s.origins
    add("policy", s.policy_year, year.get("policy"))
    add("subsidy", s.subsidy, year.get("subsidy"))
    if s.collection is not None and "collection" in year:
        for f in ("start", "end"):
            add(f"collection.{f}", getattr(s.collection, f), year["collection"].at(f))
    if s.late is not None and "late" in year:
        for f in ("amount", "start", "end", "waiting_days"):
            add(f"late.{f}", getattr(s.late, f), year["late"].at(f))
    if "tier" in year:
        for ti, tier in enumerate(s.tiers):
            add(f"tier.{tier.id}", name_text(tier.name), year["tier"].at(ti), name=tier.name)

    for cat in s.categories:
        key = f"category.{cat.id}"
        at = cat.origins
        if cat.name.zh != cat.id or cat.name.en != cat.id:
            add(f"{key}.name", name_text(cat.name), at["name"], name=cat.name)
        if cat.conditions:
            add(f"{key}.when", condition_text(cat.conditions), at["when"])
        add(f"{key}.individual", cat.individual, at["individual"], cat.formula)
        for tier_id, amount in cat.tier_amounts.items():
            add(f"{key}.tiers.{tier_id}", amount, at["tiers"].at(tier_id))
        if cat.subsidy_origin != s.subsidy_origin:  # the category's own subsidy, not the year's
            add(f"{key}.subsidy", cat.subsidy, cat.subsidy_origin)
        for part, part_amount in cat.includes.items():
            add(f"{key}.includes.{part}", part_amount, at["includes"].at(part))
        add(f"{key}.missing", cat.missing, at["missing"])
        if cat.below_minimum:
            add(f"{key}.below_minimum", True, at["below_minimum"])

    for a in s.assisted:
        key = f"assisted.{a.id}"
        rule = a.rule
        add(f"{key}.name", name_text(rule.name), a.origin.at("name"), name=rule.name)
        if rule.groups:
            add(f"{key}.groups", ", ".join(rule.groups), a.origin.at("groups"))
        if rule.disability_grades:
            grades = ", ".join(str(g) for g in rule.disability_grades)
            add(f"{key}.disability_grades", grades, a.origin.at("disability_grades"))
        if rule.conditions:
            add(f"{key}.when", condition_text(rule.conditions), a.origin.at("when"))
        for f in ("pays", "pays_share", "assistance"):
            add(f"{key}.{f}", getattr(rule, f), a.origin.at(f))
    return out
