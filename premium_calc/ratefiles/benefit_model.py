"""Pydantic models of benefit files (``rates/benefits/**/*.toml``): what the resident scheme's
fund pays back, as opposed to what people pay in (the rate files of :mod:`.model`).

A benefit file has no ``[region]`` table: its region id is its path under ``benefits/`` without
``.toml`` (``benefits/cn.toml`` is ``cn``, the national floor; ``benefits/cn/guizhou.toml`` is
``cn/guizhou``), the same ids as the rate files. ``[[year]]`` entries are keyed by coverage year.
Each entry may hold these sections, each with its own ``source``, ``note`` and ``missing``:

* ``inpatient`` and ``outpatient`` (普通门诊统筹): ``[[rule]]`` rows by hospital ``level``
  (``primary`` 一级及以下/乡镇/社区, ``secondary`` 二级/县级, ``tertiary`` 三级/市级及以上)
  with a ``deductible`` (起付线) and a ``ratio``, and one ``annual_cap`` (年度最高支付限额);
* ``chronic``: outpatient cover of chronic diseases (两病: hypertension, diabetes ...);
* ``critical_illness`` (大病保险): a second layer on the out-of-pocket costs left after basic
  cover, with a deductible, ratio ``bands``, a cap, the tilt for assisted groups and the cap
  increase for continuous enrolment;
* ``waiting`` (待遇等待期, 国办发〔2024〕38号): months without cover after a late enrolment or a
  break;
* ``assistance`` (医疗救助): what medical assistance pays of the costs left after basic cover
  and 大病 for assisted groups (低保, 特困 ...), by group;
* ``utilisation``: survey shares of people with at least one hospital stay in a year, by age
  (people, not stays: the basis of "of 100 people like you");
* ``national`` (``cn`` only): national averages from the NHSA bulletins.

Two ratios must not be confused. A rule's ``ratio`` is the **policy-scope** ratio
(政策范围内支付比例): the share of the costs inside the catalogue (目录内) above the deductible that
the fund pays. The **realised** ratio of the bulletins (``national.realised_ratio``, about 66-69%)
is what the fund actually paid of all in-catalogue inpatient costs, after deductibles and caps;
of all medical spending the fund pays less still (``overall_fund_share``, about 52-54%).
``stays_per_100`` (住院率) counts stays, not people: 21 stays per 100 enrollees does not mean
that 21% of them were in hospital (some stay several times).

A section's ``kind`` says what its numbers are: ``rule`` (the region's claim rule), ``floor``
(a national minimum local rules must meet: a ratio of at least, a deductible of at most) or
``target`` (a policy aim such as the 十五五 plan's "around 70%"). A section with ``missing``
says why the region's rule is unknown; it carries no values (the resolver then looks further up).

Everything here is data; :mod:`premium_calc.ratebook.benefits` resolves a region and year.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .._frozen import Frozen
from .model import AssistedGroup, Condition, Name, Prose, Rate, Source, max_places, to_decimal

#: The largest amount a benefit file may hold (caps, deductibles, national totals): ten million.
MAX_BENEFIT_AMOUNT = 10_000_000

#: An amount in yuan (or, in ``national``, in the unit the field names): 0..10,000,000, in fen.
Amount = Annotated[
    Decimal,
    BeforeValidator(to_decimal),
    Field(ge=0, le=MAX_BENEFIT_AMOUNT, decimal_places=2),
    max_places(2),
]

#: A multiple (the combined cap as a multiple of income): 0..100, two decimals at most.
Multiple = Annotated[
    Decimal, BeforeValidator(to_decimal), Field(ge=0, le=100, decimal_places=2), max_places(2)
]

HospitalLevel = Literal["primary", "secondary", "tertiary"]

#: The hospital levels in order, with their names.
HOSPITAL_LEVELS: dict[str, tuple[str, str]] = {
    "primary": ("一级及以下（乡镇、社区）", "level 1 and below (township, community)"),
    "secondary": ("二级（县级）", "level 2 (county)"),
    "tertiary": ("三级（市级及以上）", "level 3 (city and above)"),
}

SectionKind = Literal["rule", "floor", "target"]

#: The sections of a year entry, in order.
SECTIONS: tuple[str, ...] = (
    "inpatient", "outpatient", "chronic", "critical_illness", "assistance", "waiting", "utilisation",
    "national",
)  # fmt: skip


class Section(Frozen):
    """What every section has: its source (else the year's), a note, the last coverage year its
    source vouches for (``through``), and ``missing`` (why the region's rule is unknown)."""

    #: The keys that hold values (a section sets one of them, or ``missing``).
    VALUES: ClassVar[tuple[str, ...]] = ()

    source: Source | None = None
    through: int | None = Field(default=None, ge=2000, le=2100)
    missing: Prose | None = None
    note: Prose | None = None

    @model_validator(mode="after")
    def _values_or_missing(self) -> Any:
        given = [k for k in self.VALUES if getattr(self, k) not in (None, [], {}, False)]
        if self.missing is not None and given:
            raise PydanticCustomError(
                "schema.benefit_missing_with_values",
                "a section with missing has no values (got {given}): say what is known in a note",
                {"given": ", ".join(given)},
            )
        if self.missing is None and not given:
            raise PydanticCustomError(
                "schema.benefit_empty_section",
                "a section needs values ({keys}) or missing with the reason",
                {"keys": ", ".join(self.VALUES)},
            )
        return self


class RuleSection(Section):
    """A section of rules (not statistics): ``kind`` says whether they are the region's rule,
    a national floor or a policy target."""

    kind: SectionKind = "rule"


class CostRule(Frozen):
    """One row of inpatient or outpatient cover: a hospital level (or several, or all when
    unset), optionally a group of people, with its deductible and policy-scope ratio.

    ``label`` is the source's name of the class of hospital (``三级(省级三甲)``) where a level has
    several rows; ``group`` names the people a row is for (``60周岁及以上``) and ``when`` gives
    the same as a test on a member where the source defines it by age (the tests of a rate
    file's category). ``deductible_per`` says what the deductible is counted on.
    """

    level: HospitalLevel | list[HospitalLevel] | None = None
    label: Name | None = None
    group: Name | None = None
    when: Condition | list[Condition] | None = None
    deductible: Amount | None = None
    deductible_per: Literal["stay", "visit", "year"] | None = None
    ratio: Rate | None = None
    source: Source | None = None
    note: Prose | None = None

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels the row covers (every level when the row names none)."""
        if self.level is None:
            return tuple(HOSPITAL_LEVELS)
        return tuple(self.level) if isinstance(self.level, list) else (self.level,)


class PoolingSection(RuleSection):
    """Inpatient or general outpatient cover (普通门诊统筹): rows and one annual cap."""

    VALUES: ClassVar[tuple[str, ...]] = ("rule", "annual_cap")

    rule: list[CostRule] = Field(default_factory=list)
    annual_cap: Amount | None = None
    #: Where the cap comes from, where that is not the section's source.
    annual_cap_source: Source | None = None

    def rules_for(self, level: HospitalLevel) -> tuple[CostRule, ...]:
        """The rows that cover ``level`` (several where a level has classes or groups)."""
        return tuple(r for r in self.rule if level in r.levels)


class InpatientSection(PoolingSection):
    """Inpatient cover (住院): the year's ``annual_cap`` is for the basic fund, without 大病."""


class OutpatientSection(PoolingSection):
    """General outpatient pooling (普通门诊统筹)."""


class ChronicRule(Frozen):
    """Outpatient cover of one chronic disease or group of diseases (``id`` as ``hypertension``)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Name
    level: HospitalLevel | list[HospitalLevel] | None = None
    label: Name | None = None
    deductible: Amount | None = None
    ratio: Rate | None = None
    annual_cap: Amount | None = None
    source: Source | None = None
    note: Prose | None = None


class ChronicSection(RuleSection):
    """Outpatient cover of chronic diseases (两病 and 门诊慢特病)."""

    VALUES: ClassVar[tuple[str, ...]] = ("rule",)

    rule: list[ChronicRule] = Field(default_factory=list)


class Band(Frozen):
    """One band of 大病保险: ``ratio`` of the eligible out-of-pocket costs of the year (after
    basic cover) from the previous band's ``up_to`` (the first band: from the deductible) up to
    ``up_to`` yuan; no ``up_to``: without upper limit."""

    up_to: Amount | None = None
    ratio: Rate
    note: Prose | None = None


def _check_bands(bands: list[Band] | None) -> list[Band] | None:
    """Bands rise: each ``up_to`` above the one before, only the last one open."""
    limits = [b.up_to for b in bands or ()]
    open_before_last = any(u is None for u in limits[:-1])
    known = [u for u in limits if u is not None]
    if open_before_last or any(a >= b for a, b in pairwise(known)):
        raise PydanticCustomError(
            "schema.benefit_bands_order",
            "bands must rise: each up_to above the one before, only the last one open",
        )
    return bands


class AssistedTilt(Frozen):
    """What 大病保险 gives assisted groups (低保, 特困 ...) instead: an own ``deductible`` or the
    general one lowered by ``deductible_cut`` (0.5 = halved), ratios raised by ``ratio_points``
    (0.05 = five points) or own ``bands``, and an own ``cap`` or ``no_cap``."""

    name: Name
    groups: list[AssistedGroup] = Field(default_factory=list)
    deductible: Amount | None = None
    deductible_cut: Rate | None = None
    ratio_points: Rate | None = None
    bands: list[Band] | None = None
    cap: Amount | None = None
    no_cap: bool = False
    source: Source | None = None
    note: Prose | None = None

    _bands = field_validator("bands")(_check_bands)


class CapIncentive(Frozen):
    """The cap increase for continuous enrolment and claim-free years (国办发〔2024〕38号):
    after ``after_years`` continuous years each further year adds ``per_continuous_year``, a year
    without claims adds ``per_zero_claim_year`` to the next, in all at most ``max_share_of_cap``
    of the original cap."""

    after_years: int | None = Field(default=None, ge=0, le=50)
    per_continuous_year: Amount | None = None
    per_zero_claim_year: Amount | None = None
    max_share_of_cap: Rate | None = None
    source: Source | None = None
    note: Prose | None = None


class CriticalIllnessSection(RuleSection):
    """大病保险: a deductible (or, national, a share of last year's per-capita disposable income),
    ``bands``, a ``cap`` or ``no_cap`` (上不封顶), the combined cap of basic cover and 大病 as a
    multiple of income, the tilt for assisted groups and the continuity incentive."""

    VALUES: ClassVar[tuple[str, ...]] = (
        "deductible", "deductible_income_share", "bands", "cap", "no_cap",
        "combined_cap_income_multiple", "assisted", "incentive",
    )  # fmt: skip

    deductible: Amount | None = None
    deductible_income_share: Rate | None = None
    bands: list[Band] = Field(default_factory=list)
    cap: Amount | None = None
    no_cap: bool = False
    combined_cap_income_multiple: Multiple | None = None
    assisted: list[AssistedTilt] = Field(default_factory=list)
    incentive: CapIncentive | None = None

    _bands = field_validator("bands")(_check_bands)

    @model_validator(mode="after")
    def _cap_or_none(self) -> CriticalIllnessSection:
        if self.cap is not None and self.no_cap:
            raise PydanticCustomError("schema.benefit_cap_and_no_cap", "give cap or no_cap = true, not both")
        return self


class WaitingSection(RuleSection):
    """Waiting periods (待遇等待期): ``base_months`` after a late enrolment or a break, plus
    ``months_per_break_year`` for each year of broken enrolment; each further year paid repairs
    ``repair_months_per_paid_year``; after a break of ``long_break_years`` or more the repaired
    wait is still at least ``long_break_min_months``."""

    VALUES: ClassVar[tuple[str, ...]] = ("base_months", "months_per_break_year")

    base_months: int | None = Field(default=None, ge=0, le=24)
    months_per_break_year: int | None = Field(default=None, ge=0, le=12)
    repair_months_per_paid_year: int | None = Field(default=None, ge=0, le=12)
    long_break_years: int | None = Field(default=None, ge=1, le=50)
    long_break_min_months: int | None = Field(default=None, ge=0, le=24)


class AssistanceRule(Frozen):
    """Medical assistance (医疗救助) for some assisted groups: ``ratio`` of the eligible costs left
    after basic cover and 大病 above ``deductible`` (起付线; 0 or unset: none), up to
    ``annual_cap`` a year."""

    name: Name
    groups: list[AssistedGroup] = Field(min_length=1)
    deductible: Amount | None = None
    ratio: Rate
    annual_cap: Amount | None = None
    source: Source | None = None
    note: Prose | None = None


class AssistanceSection(RuleSection):
    """Medical assistance (医疗救助) by group; a member of no listed group gets none."""

    VALUES: ClassVar[tuple[str, ...]] = ("rule",)

    rule: list[AssistanceRule] = Field(default_factory=list)

    def rule_for(self, groups: set[str]) -> AssistanceRule | None:
        """The first rule for any of ``groups`` (a member's assisted groups), or ``None``."""
        return next((r for r in self.rule if groups & set(r.groups)), None)


class HospitalisedShare(Frozen):
    """A survey's share of people (not stays) with at least one hospital stay in the 12 months
    before it, for ages ``min_age`` to ``max_age`` (unset: no bound), in ``survey_year``."""

    min_age: int | None = Field(default=None, ge=0, le=130)
    max_age: int | None = Field(default=None, ge=0, le=130)
    share: Rate
    survey_year: int = Field(ge=1950, le=2100)
    population: Name
    source: Source | None = None
    note: Prose | None = None

    def covers(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)


class UtilisationSection(Section):
    """Survey figures on how many people use hospital care (people, not stays), by age."""

    VALUES: ClassVar[tuple[str, ...]] = ("hospitalised",)

    hospitalised: list[HospitalisedShare] = Field(default_factory=list)

    def for_age(self, age: int) -> HospitalisedShare | None:
        """The narrowest row whose ages cover ``age`` (the latest survey among equals)."""
        rows = [r for r in self.hospitalised if r.covers(age)]

        def width(r: HospitalisedShare) -> tuple[int, int]:
            return ((r.max_age or 130) - (r.min_age or 0), -r.survey_year)

        return min(rows, key=width) if rows else None


class Figure(Frozen):
    """A national figure in the unit its field names, with its own source where it has one."""

    value: Amount
    derived: bool = False
    source: Source | None = None
    note: Prose | None = None


class ShareFigure(Frozen):
    """A national share (0..1), with its own source where it has one."""

    value: Rate
    derived: bool = False
    source: Source | None = None
    note: Prose | None = None


class NationalSection(Section):
    """National figures of the resident scheme for one year (``cn`` only).

    Units: ``enrollees`` 万人; ``fund_spending`` and ``medical_spending`` (the medical costs of
    enrollees) 亿元; ``spending_per_enrollee`` and ``cost_per_stay`` 元; ``stays`` 亿人次;
    ``stays_per_100`` stays per 100 enrollees (住院率, stays not people); the shares 0..1.
    """

    VALUES: ClassVar[tuple[str, ...]] = (
        "enrollees", "fund_spending", "medical_spending", "spending_per_enrollee", "stays",
        "stays_per_100", "cost_per_stay", "realised_ratio", "realised_ratio_by_level", "overall_fund_share",
    )  # fmt: skip

    enrollees: Figure | None = None
    fund_spending: Figure | None = None
    medical_spending: Figure | None = None
    spending_per_enrollee: Figure | None = None
    stays: Figure | None = None
    stays_per_100: Figure | None = None
    cost_per_stay: Figure | None = None
    #: 住院费用目录内基金支付比例: what the fund paid of in-catalogue inpatient costs.
    realised_ratio: ShareFigure | None = None
    realised_ratio_by_level: dict[HospitalLevel, ShareFigure] | None = None
    #: Fund spending / all medical spending of enrollees (derived; the totals may differ in scope).
    overall_fund_share: ShareFigure | None = None


class BenefitYear(Frozen):
    """One coverage year of one region's benefit file. A section not given is looked up in the
    region's earlier years and then in the parent regions (see the rate book)."""

    coverage: int = Field(ge=2000, le=2100)
    policy: int | None = Field(default=None, ge=2000, le=2100)
    source: Source | None = None
    inpatient: InpatientSection | None = None
    outpatient: OutpatientSection | None = None
    chronic: ChronicSection | None = None
    critical_illness: CriticalIllnessSection | None = None
    assistance: AssistanceSection | None = None
    waiting: WaitingSection | None = None
    utilisation: UtilisationSection | None = None
    national: NationalSection | None = None
    note: Prose | None = None

    @field_validator("national")
    @classmethod
    def _national_only_in_cn(
        cls, value: NationalSection | None, info: ValidationInfo
    ) -> NationalSection | None:
        region = (info.context or {}).get("region")
        if value is not None and region is not None and region != "cn":
            raise PydanticCustomError(
                "schema.benefit_national_only_in_cn",
                "national figures belong in the national file (benefits/cn.toml), not in {region}",
                {"region": region},
            )
        return value

    @model_validator(mode="after")
    def _sourced(self) -> BenefitYear:
        for name in SECTIONS:
            section: Section | None = getattr(self, name)
            if section is None:
                continue
            if section.through is not None and section.through < self.coverage:
                raise PydanticCustomError(
                    "schema.benefit_through_before_coverage",
                    "{section}: through {through} is before the coverage year {coverage}",
                    {"section": name, "through": section.through, "coverage": self.coverage},
                )
            if section.missing is None and section.source is None and self.source is None:
                raise PydanticCustomError(
                    "schema.benefit_needs_source",
                    "{section} has values but no source (give the section's source or the year's)",
                    {"section": name},
                )
        return self

    def section(self, name: str) -> Section | None:
        """The section called ``name`` (one of :data:`SECTIONS`), if the year has it."""
        if name not in SECTIONS:
            raise KeyError(name)
        value: Section | None = getattr(self, name)
        return value


class BenefitFile(Frozen):
    """A whole benefit file: one region's years (the region is the file's path)."""

    year: list[BenefitYear] = Field(default_factory=list)
    note: Prose | None = None

    @field_validator("year")
    @classmethod
    def _years_once(cls, years: list[BenefitYear]) -> list[BenefitYear]:
        seen: set[int] = set()
        for entry in years:
            if entry.coverage in seen:
                raise PydanticCustomError(
                    "schema.benefit_year_twice",
                    "coverage year {year} is given twice (expected one [[year]] per coverage year)",
                    {"year": entry.coverage},
                )
            seen.add(entry.coverage)
        return years
