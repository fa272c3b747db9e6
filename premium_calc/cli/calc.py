"""``premium-calc calc`` and ``premium-calc regions``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from ..errors import OptionError
from ..messages import Note, tr
from ._common import (
    CsvOption,
    JsonOption,
    Lang,
    LangOption,
    RatesDirOption,
    app,
    console,
    echo_json,
    fail,
    get_book,
    household_from_options,
    user_errors,
)

MEMBER_HELP = (
    "One per person: AGE[:flag,...] or BIRTHDATE[:flag,...], e.g. 45, 12:student, 55:female,"
    " 72:dibao, 2007-03-01:college. Flags: male, female, student, college, employee (covered"
    " by employee insurance), disabled1..disabled4, and assisted groups: tekun, orphan, dibao,"
    " dibao_edge, monitored, returned_poverty, poverty_exit, low_income, youfu,"
    " family_planning, border."
)


def parse_thresholds(raw: str | None) -> list[Decimal]:
    from decimal import InvalidOperation

    from ..household.burden import DEFAULT_THRESHOLDS

    if raw is None:
        return list(DEFAULT_THRESHOLDS)
    out = []
    for part in raw.split(","):
        text = part.strip()
        try:
            value = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except InvalidOperation:
            not_a_number = Note("error.threshold_not_a_number", value=repr(text))
            raise OptionError("--thresholds", not_a_number) from None
        if not 0 < value < 1:
            raise OptionError("--thresholds", Note("error.threshold_out_of_range", value=repr(text)))
        out.append(value)
    return sorted(out)


@app.command()
@user_errors
def calc(
    region: Annotated[
        str | None,
        typer.Option("--region", "-r", help="Region id (cn/guizhou/bijie) or name (毕节, Bijie)."),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="Coverage year (the year the cover applies to).")
    ] = None,
    member: Annotated[
        list[str] | None, typer.Option("--member", "-m", help=MEMBER_HELP, show_default=False)
    ] = None,
    household: Annotated[
        Path | None,
        typer.Option("--household", help="Household file (.toml or .json) instead of --member."),
    ] = None,
    income: Annotated[
        str | None,
        typer.Option("--income", "-i", help="Annual household income in yuan (default: a statistic)."),
    ] = None,
    tier: Annotated[
        str | None, typer.Option(
            "--tier", help="Optional tier where the region has them (default: the cheapest)."
        )
    ] = None,
    late: Annotated[
        bool, typer.Option("--late", help="Enrol outside the collection window (late-enrollment amount).")
    ] = False,
    statistic: Annotated[
        str,
        typer.Option(
            "--income-stat",
            help="Income statistic when no --income: rural, urban, all, or quintile q1..q5.",
        ),
    ] = "rural",
    thresholds: Annotated[
        str | None, typer.Option("--thresholds", help="Burden thresholds, e.g. 5%,10% (default).")
    ] = None,
    lang: LangOption = Lang.en,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    """What a household pays for resident medical insurance, and how heavy that is.

    Example: premium-calc calc --region 毕节 --year 2025 --member 45 --member 42:female
    --member 12:student --member 70 --income 14000
    """
    from ..household.burden import assess

    if household is not None and member:
        fail(tr("cli.member_or_household", lang), lang=lang)
    if household is None and not member:
        fail(tr("cli.no_household", lang), lang=lang)
    hh, spec = household_from_options(member, household, income)
    spec_tier = spec.tier if spec is not None else None
    region = region or (spec.region if spec is not None else None)
    year = year or (spec.year if spec is not None else None)
    if region is None:
        fail(tr("cli.no_region", lang), lang=lang)
    if year is None:
        fail(tr("cli.no_year", lang), lang=lang)
    book = get_book(rates_dir)
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
    if json_out:
        echo_json(result)
    elif csv_out:
        from ..render.assessment import assessment_rows
        from ..render.machine import to_csv

        typer.echo(to_csv(assessment_rows(result)), nl=False)
    else:
        from ..render.assessment import assessment_table

        console().print(assessment_table(result, lang.value))


@app.command()
@user_errors
def regions(
    lang: LangOption = Lang.en,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    """List the regions with their coverage years."""
    from ..render.regions import region_rows, regions_table

    book = get_book(rates_dir)
    if json_out:
        echo_json(region_rows(book))
        return
    console().print(regions_table(book, lang.value))
