"""``premium-calc history`` (historical growth)."""

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
    json_or_csv,
    short_help,
    user_errors,
)
from .calc import MEMBER_HELP
from .language import LANG

INCOME_HELP = tr("cli.help.history.income", LANG)
PRESET_HELP = tr("cli.help.history.preset", LANG)
HISTORY_HELP = tr("cli.help.history", LANG)
PlotOption = Annotated[
    Path | None,
    typer.Option("--plot", help=tr("cli.help.plot", LANG), show_default=False),
]
NoChartOption = Annotated[bool, typer.Option("--no-chart", help=tr("cli.help.no_chart", LANG))]
DpiOption = Annotated[int | None, typer.Option("--dpi", help=tr("cli.help.dpi", LANG), show_default=False)]
SizeOption = Annotated[str | None, typer.Option("--size", help=tr("cli.help.size", LANG), show_default=False)]


def _parse_income(raw: str | None, stat: str | None, lang: str) -> tuple[str | None, str | None]:
    """(statistic, amount): ``--income`` is a yuan amount (of a household), ``--income-stat`` a
    statistic, as in every command; a statistic given to ``--income`` is refused with the way."""
    from ..household.amounts import looks_like_yuan

    amount = None
    if raw is not None:
        if not looks_like_yuan(raw):
            fail(tr("cli.income_is_yuan", lang, value=raw.strip()), lang=lang)
        amount = raw.strip()  # read by build_household (parse_yuan: 8,000, 1.2万, ８０００)
    return (stat.strip().lower() if stat is not None else None), amount


#: ``--by`` values (lower-cased, ``_`` as ``-``) -> the view of the rows.
_VIEWS = {
    "coverage-year": "coverage_year",
    "coverage": "coverage_year",
    "待遇年度": "coverage_year",
    "policy-year": "policy_year",
    "policy": "policy_year",
    "notice-year": "policy_year",
    "政策年度": "policy_year",
    "通知年度": "policy_year",
}


def _view(raw: str) -> str:
    """``--by coverage-year`` (the default) or ``--by policy-year`` (rows keyed by notice year)."""
    key = raw.strip().lower().replace("_", "-")
    if key not in _VIEWS:
        raise OptionError("--by", Note("error.history_by", value=repr(raw)))
    return _VIEWS[key]


def plot_note(result: Any, lang: str) -> None:
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
    income_stat: Annotated[
        str | None, typer.Option("--income-stat", help=tr("cli.help.history.income_stat", LANG))
    ] = None,
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
    tier: Annotated[str | None, typer.Option("--tier", help=tr("cli.help.history.tier", LANG))] = None,
    plot: PlotOption = None,
    dpi: DpiOption = None,
    size: SizeOption = None,
    no_chart: NoChartOption = False,
    summary_csv: Annotated[
        bool, typer.Option("--summary-csv", help=tr("cli.help.history.summary_csv", LANG))
    ] = False,
    chain_income: Annotated[
        bool, typer.Option("--chain-income", help=tr("cli.help.history.chain_income", LANG))
    ] = False,
    by: Annotated[
        str, typer.Option("--by", help=tr("cli.help.history.by", LANG), metavar="coverage-year|policy-year")
    ] = "coverage-year",
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
    json_or_csv(json_out, csv_out or summary_csv, lang)
    view = _view(by)
    statistic, amount = _parse_income(income, income_stat, lang)
    given = [x for x in (member, household, preset) if x]
    if len(given) > 1:
        fail(tr("cli.member_household_or_preset", lang), lang=lang)
    if amount is not None and not given:
        fail(tr("cli.income_amount_needs_household", lang, income=income), lang=lang)
    if tier is not None and not given:
        fail(tr("cli.tier_needs_household", lang), lang=lang)
    from ..analyses.history import by_policy_year, household_series, premium_series

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
            chain_income=chain_income,
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
            chain_income=chain_income,
        )
    if view == "policy_year":
        result = by_policy_year(result)
    chart_result = None
    if plot is not None:
        from ..render.charts import plot_history

        chart_result = plot_history(result, plot, lang.value, dpi=dpi, size=size)
    if json_out:
        echo_json(result)
    elif csv_out or summary_csv:
        from ..render.history import SUMMARY_COLUMNS, history_columns, history_rows, summary_rows
        from ..render.machine import to_csv

        if summary_csv:
            typer.echo(to_csv(summary_rows(result), SUMMARY_COLUMNS), nl=False)
        else:
            typer.echo(to_csv(history_rows(result), history_columns(result)), nl=False)
    else:
        from ..render.history import history_table

        out = console()
        out.print(history_table(result, lang.value, chart=not no_chart, width=out.width))
    if chart_result is not None:
        plot_note(chart_result, lang)
        typer.echo(tr("cli.chart_written", lang, path=chart_result.path), err=True)
