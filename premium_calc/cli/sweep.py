"""``premium-calc sweep``: a household's burden across a range of incomes."""

from __future__ import annotations

from typing import Annotated

import typer

from ..messages import tr
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
    json_or_csv,
    short_help,
    user_errors,
)
from .calc import (
    HouseholdOption,
    LateOption,
    MemberOption,
    PaidInOption,
    PresetOption,
    RegionOption,
    ThresholdsOption,
    TierOption,
    YearOption,
    household_and_place,
    parse_thresholds,
)
from .history import DpiOption, PlotOption, SizeOption
from .language import LANG

SWEEP_HELP = tr("cli.help.sweep", LANG)


@app.command(help=SWEEP_HELP, short_help=short_help(SWEEP_HELP))
@user_errors
def sweep(
    region: RegionOption = None,
    year: YearOption = None,
    paid_in: PaidInOption = None,
    member: MemberOption = None,
    household: HouseholdOption = None,
    preset: PresetOption = None,
    income: Annotated[
        str | None,
        typer.Option("--income", "-i", help=tr("cli.help.sweep.income", LANG), metavar="START:STOP:STEP"),
    ] = None,
    tier: TierOption = None,
    late: LateOption = False,
    thresholds: ThresholdsOption = None,
    plot: PlotOption = None,
    dpi: DpiOption = None,
    size: SizeOption = None,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..analyses.sweep import income_sweep, parse_income_range

    json_or_csv(json_out, csv_out, lang)
    if plot is not None:
        from ..render.charts import check_plot_path

        check_plot_path(plot)
    if income is None:
        fail(tr("cli.sweep_needs_income", lang), lang=lang)
    incomes = parse_income_range(income)
    shares = parse_thresholds(thresholds)
    hh, spec, region, year, year_note = household_and_place(
        member, household, None, region, year, paid_in, lang, preset
    )
    book = get_book(rates_dir)
    result = income_sweep(
        book,
        hh,
        region,
        year,
        incomes,
        shares,
        tier=tier or (spec.tier if spec is not None else None),
        late=late,
    )
    if year_note is not None:
        result = result.model_copy(update={"notes": [year_note, *result.notes]})
    chart_result = None
    if plot is not None:
        from ..render.sweep_chart import plot_sweep

        chart_result = plot_sweep(result, plot, lang.value, dpi=dpi, size=size)
    if json_out:
        echo_json(result)
    elif csv_out:
        from ..render.machine import to_csv
        from ..render.sweep import sweep_columns, sweep_rows

        typer.echo(to_csv(sweep_rows(result), sweep_columns(result)), nl=False)
    else:
        from ..render.sweep import sweep_table

        out = console()
        out.print(sweep_table(result, lang.value, width=out.width))
    if chart_result is not None:
        if chart_result.note:
            from ..render.formats import say

            typer.echo(tr("cli.note", lang, note=say(chart_result.note, lang)), err=True)
        typer.echo(tr("cli.chart_written", lang, path=chart_result.path), err=True)
