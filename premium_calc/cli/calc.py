"""``premium-calc calc`` and ``premium-calc regions``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import OptionError
from ..messages import Note, tr
from ._common import (
    DEFAULT_LANG,
    CsvOption,
    JsonOption,
    LangOption,
    RatesDirOption,
    app,
    console,
    echo_json,
    fail,
    get_book,
    household_from_options,
    json_or_csv,
    short_help,
    user_errors,
)
from .language import LANG

if TYPE_CHECKING:
    from ..household.members import Household, HouseholdFile

MEMBER_HELP = tr("cli.help.member", LANG)
CALC_HELP = tr("cli.help.calc", LANG)
REGIONS_HELP = tr("cli.help.regions", LANG)


def share_value(text: str) -> Decimal:
    """``0.1`` or ``10%`` as a Decimal share (NaN where it is no number: the caller says why)."""
    from decimal import InvalidOperation

    try:
        return Decimal(text.rstrip("%")[:40]) / (100 if text.endswith("%") else 1)
    except (InvalidOperation, ArithmeticError):
        return Decimal("NaN")


def parse_thresholds(raw: str | None) -> list[Decimal]:
    from ..household.burden import DEFAULT_THRESHOLDS

    if raw is None:
        return list(DEFAULT_THRESHOLDS)
    out = []
    for part in raw.split(","):
        text = part.strip()
        value = share_value(text)
        if not value.is_finite():
            not_a_number = Note("error.threshold_not_a_number", value=repr(text[:40]))
            raise OptionError("--thresholds", not_a_number)
        if not 0 < value < 1:
            raise OptionError("--thresholds", Note("error.threshold_out_of_range", value=repr(text)))
        out.append(value)
    return sorted(out)


def chosen_year(year: int | None, paid_in: int | None) -> tuple[int, Note | None]:
    """The coverage year from ``--year`` / ``--paid-in`` (the year the money is paid: the year
    before coverage), or the one in force today, with a note saying which was taken."""
    from ..ratebook.calendar import coverage_in_force, coverage_paid_in

    for option, value in (("--year", year), ("--paid-in", paid_in)):
        if value is not None and not 2000 <= value <= 2100:
            raise OptionError(option, Note("error.year_out_of_range", year=value))
    if paid_in is not None:
        covered = coverage_paid_in(paid_in)
        if year is not None and year != covered:
            conflict = Note("error.paid_in_conflict", paid_in=paid_in, year=year, covered=covered)
            raise OptionError("--paid-in", conflict)
        return covered, Note("note.year_paid_in", paid_in=paid_in, year=covered)
    if year is not None:
        return year, None
    today = coverage_in_force()
    return today, Note("note.year_default", year=today, next=coverage_paid_in(today), paid_in=today)


def household_and_place(
    member: list[str] | None,
    household: Path | None,
    income: str | None,
    region: str | None,
    year: int | None,
    paid_in: int | None,
    lang: str,
    preset: str | None = None,
) -> tuple[Household, HouseholdFile | None, str, int, Note | None]:
    """What ``calc`` and ``worth`` read from their options: the household (``--member``,
    ``--household`` or ``--preset``, exactly one), its file, the region and coverage year (the
    options, else the file's, else the year in force) and the note on the year chosen."""
    given = [x for x in (member, household, preset) if x]
    if len(given) > 1:
        fail(tr("cli.member_household_or_preset", lang), lang=lang)
    if not given:
        fail(tr("cli.no_household", lang), lang=lang)
    hh, spec = household_from_options(member, household, income, preset=preset)
    region = region or (spec.region if spec is not None else None)
    year = year if year is not None else (spec.year if spec is not None else None)
    if region is None:
        fail(tr("cli.no_region", lang), lang=lang)
    covered, year_note = chosen_year(year, paid_in)
    return hh, spec, region, covered, year_note


#: The household options ``calc``, ``worth`` and ``sweep`` share: one declaration each, so
#: the same option reads the same in every command (see docs/cli.md).
RegionOption = Annotated[str | None, typer.Option("--region", "-r", help=tr("cli.help.calc.region", LANG))]
YearOption = Annotated[int | None, typer.Option("--year", "-y", help=tr("cli.help.calc.year", LANG))]
PaidInOption = Annotated[int | None, typer.Option("--paid-in", help=tr("cli.help.calc.paid_in", LANG))]
MemberOption = Annotated[
    list[str] | None, typer.Option("--member", "-m", help=MEMBER_HELP, show_default=False)
]
HouseholdOption = Annotated[
    Path | None, typer.Option("--household", help=tr("cli.help.calc.household", LANG))
]
IncomeOption = Annotated[str | None, typer.Option("--income", "-i", help=tr("cli.help.calc.income", LANG))]
TierOption = Annotated[str | None, typer.Option("--tier", help=tr("cli.help.calc.tier", LANG))]
LateOption = Annotated[bool, typer.Option("--late", help=tr("cli.help.calc.late", LANG))]
IncomeStatOption = Annotated[
    str | None,
    typer.Option("--income-stat", help=tr("cli.help.calc.income_stat", LANG), show_default=False),
]
ThresholdsOption = Annotated[
    str | None, typer.Option("--thresholds", help=tr("cli.help.calc.thresholds", LANG))
]
PresetOption = Annotated[str | None, typer.Option("--preset", "-p", help=tr("cli.help.history.preset", LANG))]
ReformOption = Annotated[
    str | None,
    typer.Option("--reform", help=tr("cli.help.calc.reform", LANG), metavar="FILE", show_default=False),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help=tr("cli.help.calc.set", LANG), metavar="KEY=VALUE", show_default=False),
]


def preset_statistic(preset: str | None) -> str:
    """The income statistic a preset household is measured against (``rural`` by default)."""
    if preset is None:
        return "rural"
    from ..presets import get_preset

    return get_preset(preset).statistic or "rural"


@app.command(help=CALC_HELP, short_help=short_help(CALC_HELP))
@user_errors
def calc(
    region: RegionOption = None,
    year: YearOption = None,
    paid_in: PaidInOption = None,
    member: MemberOption = None,
    household: HouseholdOption = None,
    income: IncomeOption = None,
    preset: PresetOption = None,
    tier: TierOption = None,
    late: LateOption = False,
    statistic: IncomeStatOption = None,
    thresholds: ThresholdsOption = None,
    lang: LangOption = DEFAULT_LANG,
    wan: Annotated[bool, typer.Option("--wan", help=tr("cli.help.calc.wan", LANG))] = False,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
    rates_dir: RatesDirOption = None,
    reform: ReformOption = None,
    settings: SetOption = None,
) -> None:
    from ..household.burden import assess

    json_or_csv(json_out, csv_out, lang)
    hh, spec, region, year, year_note = household_and_place(
        member, household, income, region, year, paid_in, lang, preset
    )
    statistic = statistic or preset_statistic(preset)
    spec_tier = spec.tier if spec is not None else None
    book = get_book(rates_dir)
    if reform or settings:  # baseline and reform side by side (cli/reform.py)
        from .reform import reform_from_options, show_household_reform

        if csv_out:
            fail(tr("cli.reform_no_csv", lang), lang=lang)
        chosen = reform_from_options(reform, settings)
        assert chosen is not None
        options = {"book": book, "region": region, "year": year, "household": hh, "tier": tier or spec_tier}
        options |= {"late": late, "statistic": statistic, "thresholds": parse_thresholds(thresholds)}
        show_household_reform(chosen, {**options, "year_note": year_note}, lang=lang.value, json_out=json_out)
        return
    result = assess(
        book,
        region,
        year,
        hh,
        tier=tier or spec_tier,
        late=late,
        statistic=statistic,
        thresholds=parse_thresholds(thresholds),
    )
    if year_note is not None:
        result = result.model_copy(update={"notes": [year_note, *result.notes]})
    if json_out:
        echo_json(result)
    elif csv_out:
        from ..render.assessment import assessment_rows
        from ..render.machine import to_csv

        typer.echo(to_csv(assessment_rows(result)), nl=False)
    else:
        from ..render.assessment import assessment_table

        console().print(assessment_table(result, lang.value, wan=wan))


@app.command(help=REGIONS_HELP, short_help=short_help(REGIONS_HELP))
@user_errors
def regions(
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    csv_out: Annotated[bool, typer.Option("--csv", help=tr("cli.help.regions.csv", LANG))] = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..render.regions import region_rows, regions_table

    json_or_csv(json_out, csv_out, lang)
    book = get_book(rates_dir)
    if json_out:
        echo_json(region_rows(book))
        return
    if csv_out:
        from ..render.machine import to_csv
        from ..render.regions import REGION_COLUMNS, region_csv_rows

        typer.echo(to_csv(region_csv_rows(book), REGION_COLUMNS), nl=False)
        return
    console().print(regions_table(book, lang.value))
