"""``premium-calc compare``: regions side by side for one coverage year."""

from __future__ import annotations

from pathlib import Path
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
    household_from_options,
    json_or_csv,
    short_help,
    user_errors,
)
from .calc import PresetOption
from .history import DpiOption, NoChartOption, PlotOption, SizeOption, plot_note
from .language import LANG

COMPARE_HELP = tr("cli.help.compare", LANG)


@app.command(help=COMPARE_HELP, short_help=short_help(COMPARE_HELP))
@user_errors
def compare(
    year: Annotated[int, typer.Option("--year", "-y", help=tr("cli.help.compare.year", LANG))],
    region: Annotated[
        list[str] | None,
        typer.Option("--region", "-r", help=tr("cli.help.compare.region", LANG), show_default=False),
    ] = None,
    all_regions: Annotated[bool, typer.Option("--all", help=tr("cli.help.compare.all", LANG))] = False,
    category: Annotated[
        str | None,
        typer.Option("--category", "-c", help=tr("cli.help.compare.category", LANG)),
    ] = None,
    income: Annotated[
        str,
        typer.Option("--income-stat", help=tr("cli.help.compare.income", LANG)),
    ] = "rural",
    level: Annotated[
        str | None,
        typer.Option("--level", help=tr("cli.help.compare.level", LANG), show_default=False),
    ] = None,
    member: Annotated[
        list[str] | None,
        typer.Option("--member", "-m", help=tr("cli.help.compare.member", LANG), show_default=False),
    ] = None,
    household: Annotated[
        Path | None,
        typer.Option("--household", help=tr("cli.help.compare.household", LANG), show_default=False),
    ] = None,
    preset: PresetOption = None,
    plot: PlotOption = None,
    dpi: DpiOption = None,
    size: SizeOption = None,
    no_chart: NoChartOption = False,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    if plot is not None:
        from ..render.charts import check_plot_path

        check_plot_path(plot)
    if all_regions and region:
        fail(tr("cli.region_or_all", lang), lang=lang)
    if not all_regions and not region:
        fail(tr("cli.no_regions", lang), lang=lang)
    if level is not None and not all_regions:
        fail(tr("compare.level_needs_all", lang), lang=lang)
    json_or_csv(json_out, csv_out, lang)
    if len([x for x in (member, household, preset) if x]) > 1:
        fail(tr("cli.member_household_or_preset", lang), lang=lang)
    from ..analyses.comparison import compare_all, compare_regions
    from ..analyses.comparison_scope import check_level, parse_income
    from ..ratebook.income import check_statistic

    check_level(level)
    check_statistic(parse_income(income)[1])
    given = member or household is not None or preset is not None
    hh = household_from_options(member, household, None, preset=preset)[0] if given else None
    book = get_book(rates_dir)
    if all_regions:
        from rich.console import Console
        from rich.progress import Progress

        err = Console(stderr=True)
        if not err.is_terminal:  # a bar only where someone watches (it writes to stderr)
            result = compare_all(book, year, level=level, category=category, statistic=income, household=hh)
        else:
            with Progress(console=err, transient=True) as bar:
                task = bar.add_task(tr("cli.progress.coverage_year", lang, year=year), total=None)
                result = compare_all(
                    book,
                    year,
                    level=level,
                    category=category,
                    statistic=income,
                    household=hh,
                    progress=lambda _r: bar.advance(task),
                )
    else:
        result = compare_regions(book, year, region or [], category=category, statistic=income, household=hh)
    chart_result = None
    if plot is not None:
        from ..render.charts import plot_comparison

        chart_result = plot_comparison(result, plot, lang.value, dpi=dpi, size=size)
    if json_out:
        echo_json(result)
    elif csv_out:
        from ..render.comparison import COMPARISON_COLUMNS, comparison_rows
        from ..render.machine import to_csv

        typer.echo(to_csv(comparison_rows(result), COMPARISON_COLUMNS), nl=False)
    else:
        from ..render.comparison import comparison_table

        console().print(comparison_table(result, lang.value, chart=not no_chart))
    if chart_result is not None:
        plot_note(chart_result, lang)
        typer.echo(tr("cli.chart_written", lang, path=chart_result.path), err=True)
