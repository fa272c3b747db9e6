"""``premium-calc history`` and ``premium-calc compare`` (historical growth)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import OptionError
from ..messages import Note, tr
from ..render.formats import say
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
    short_help,
    user_errors,
)
from .calc import MEMBER_HELP
from .language import LANG

INCOME_HELP = tr("cli.help.history.income", LANG)
PRESET_HELP = tr("cli.help.history.preset", LANG)
HISTORY_HELP = tr("cli.help.history", LANG)
COMPARE_HELP = tr("cli.help.compare", LANG)
PlotOption = Annotated[
    Path | None,
    typer.Option("--plot", help=tr("cli.help.plot", LANG), show_default=False),
]
NoChartOption = Annotated[
    bool, typer.Option("--no-chart", help=tr("cli.help.no_chart", LANG))
]


def _parse_income(raw: str | None) -> tuple[str | None, str | None]:
    """(statistic, amount): ``--income`` is a statistic name or a yuan amount."""
    from ..household.amounts import looks_like_yuan

    if raw is None:
        return None, None
    if looks_like_yuan(raw):
        return None, raw.strip()  # read by build_household (parse_yuan: 8,000, 1.2万, ８０００)
    return raw.strip().lower(), None


def _plot_note(result: Any, lang: str) -> None:
    if result.note:
        typer.echo(tr("cli.note", lang, note=say(result.note, lang)), err=True)


@app.command(help=HISTORY_HELP, short_help=short_help(HISTORY_HELP))
@user_errors
def history(
    region: Annotated[
        str | None,
        typer.Option("--region", "-r", help=tr("cli.help.history.region", LANG)),
    ] = None,
    start: Annotated[int | None, typer.Option("--from", help=tr("cli.help.history.from", LANG))] = None,
    end: Annotated[int | None, typer.Option("--to", help=tr("cli.help.history.to", LANG))] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", "-c", help=tr("cli.help.history.category", LANG)),
    ] = None,
    income: Annotated[str | None, typer.Option("--income", "-i", help=INCOME_HELP)] = None,
    income_region: Annotated[
        str | None,
        typer.Option("--income-region", help=tr("cli.help.history.income_region", LANG)),
    ] = None,
    member: Annotated[
        list[str] | None, typer.Option("--member", "-m", help=MEMBER_HELP, show_default=False)
    ] = None,
    household: Annotated[
        Path | None, typer.Option("--household", help=tr("cli.help.history.household", LANG))
    ] = None,
    preset: Annotated[str | None, typer.Option("--preset", "-p", help=PRESET_HELP)] = None,
    tier: Annotated[
        str | None, typer.Option("--tier", help=tr("cli.help.history.tier", LANG))
    ] = None,
    plot: PlotOption = None,
    no_chart: NoChartOption = False,
    summary_csv: Annotated[
        bool, typer.Option("--summary-csv", help=tr("cli.help.history.summary_csv", LANG))
    ] = False,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    if plot is not None:
        from ..render.charts import check_plot_path

        check_plot_path(plot)
    for option, value in (("--region", region), ("--preset", preset), ("--income-region", income_region)):
        if value is not None and not value.strip():  # '' is a mistake, never "the default"
            raise OptionError(option, Note("error.option_empty"))
    statistic, amount = _parse_income(income)
    given = [x for x in (member, household, preset) if x]
    if len(given) > 1:
        fail(tr("cli.member_household_or_preset", lang), lang=lang)
    if amount is not None and not given:
        fail(tr("cli.income_amount_needs_household", lang, income=income), lang=lang)
    if tier is not None and not given:
        fail(tr("cli.tier_needs_household", lang), lang=lang)
    from ..analyses.history import household_series, premium_series

    book = get_book(rates_dir)
    result: Any
    if given:
        hh, spec = household_from_options(member, household, amount, preset=preset)
        if preset is not None:
            from ..presets import get_preset

            statistic = statistic or get_preset(preset).statistic
        file_region = spec.region if spec is not None else None
        tier = tier or (spec.tier if spec is not None else None)
        description = spec.description if spec is not None else None
        if category is not None:
            fail(tr("cli.category_not_household", lang), lang=lang)
        result = household_series(
            book,
            region or file_region or "cn",
            hh,
            start=start,
            end=end,
            statistic=statistic or "rural",
            income_region=income_region,
            tier=tier,
            description=description,
        )
    else:
        result = premium_series(
            book,
            region or "cn",
            category=category,
            start=start,
            end=end,
            statistic=statistic or "rural",
            income_region=income_region,
        )
    chart_result = None
    if plot is not None:
        from ..render.charts import plot_history

        chart_result = plot_history(result, plot, lang.value)
    if json_out:
        echo_json(result)
    elif csv_out or summary_csv:
        from ..render.history import HISTORY_COLUMNS, SUMMARY_COLUMNS, history_rows, summary_rows
        from ..render.machine import to_csv

        if summary_csv:
            typer.echo(to_csv(summary_rows(result), SUMMARY_COLUMNS), nl=False)
        else:
            typer.echo(to_csv(history_rows(result), HISTORY_COLUMNS), nl=False)
    else:
        from ..render.history import history_table

        out = console()
        out.print(history_table(result, lang.value, chart=not no_chart, width=out.width))
    if chart_result is not None:
        _plot_note(chart_result, lang)
        typer.echo(tr("cli.chart_written", lang, path=chart_result.path), err=True)


@app.command(help=COMPARE_HELP, short_help=short_help(COMPARE_HELP))
@user_errors
def compare(
    year: Annotated[int, typer.Option("--year", "-y", help=tr("cli.help.compare.year", LANG))],
    region: Annotated[
        list[str] | None,
        typer.Option("--region", "-r", help=tr("cli.help.compare.region", LANG), show_default=False),
    ] = None,
    all_regions: Annotated[
        bool, typer.Option("--all", help=tr("cli.help.compare.all", LANG))
    ] = False,
    category: Annotated[
        str | None,
        typer.Option("--category", "-c", help=tr("cli.help.compare.category", LANG)),
    ] = None,
    income: Annotated[
        str,
        typer.Option("--income", "-i", help=tr("cli.help.compare.income", LANG)),
    ] = "rural",
    plot: PlotOption = None,
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
    from ..analyses.comparison import compare_regions, regions_with_year
    from ..ratebook.income import check_statistic

    book = get_book(rates_dir)
    check_statistic(income)
    if all_regions:
        regions = regions_with_year(book, year)
        if not regions:
            fail(tr("cli.no_region_has_year", lang, year=year), lang=lang)
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(tr("cli.progress.coverage_year", lang, year=year), total=len(regions))
            result = compare_regions(
                book, year, regions, category=category, statistic=income,
                progress=lambda _r: bar.advance(task),
            )
    else:
        result = compare_regions(book, year, region or [], category=category, statistic=income)
    chart_result = None
    if plot is not None:
        from ..render.charts import plot_comparison

        chart_result = plot_comparison(result, plot, lang.value)
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
        _plot_note(chart_result, lang)
        typer.echo(tr("cli.chart_written", lang, path=chart_result.path), err=True)
