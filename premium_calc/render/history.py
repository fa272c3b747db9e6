"""Renderers for :mod:`premium_calc.analyses.history`: rich tables, terminal bar charts, CSV rows.

Nothing here prints. Labels in Chinese or English (``lang="zh"|"en"``); low-confidence values
carry :data:`premium_calc.render.LOW_MARK`; the first row after an income-measure change
carries :data:`BREAK_MARK` and a footnote says what changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..analyses.history import segment_indices
from ..analyses.series import LOW_INCOME_CONFIDENCE
from ..messages import pick, tr, tr_or
from ..units import money, percent
from .assessment import sources_text
from .formats import LOW_MARK, confidence_mark, say, year_ranges

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.series import History, HistoryRow, SeriesBreak
    from ..ratefiles.model import Name
from .formats import BAR_WIDTH, BREAK_MARK, bar, index_text, multiple_text, signed_pct


def name_or_dash(name: Name | None, lang: str) -> str:
    return "-" if name is None else pick(name, lang)


def measure_text(measure: str | None, lang: str) -> str:
    """The short name of an income measure (net, disposable, the household's own)."""
    if measure is None:
        return "-"
    return tr_or(f"measure_short.{measure}", lang, measure)


def _low_income(row: HistoryRow) -> bool:

    return row.income_confidence in LOW_INCOME_CONFIDENCE


def history_title(history: History, lang: str) -> str:
    name = name_or_dash(history.region_name, lang)
    span = f"{history.start}-{history.end}"
    stat = name_or_dash(history.statistic_name, lang)
    if history.kind == "household":
        what = tr("history.title_household_premium", lang)
    else:
        what = tr("history.title_premium_per_person", lang)
    if history.kind == "household" and getattr(history, "income_basis", "") == "household":
        against = tr("history.title_own_income", lang)
    else:
        against = stat
    return tr("history.title", lang, name=name, region=history.region, span=span, what=what, against=against)


#: Narrower consoles get the table without the year-on-year columns (rather than folded or
#: dropped columns): they stay in --json and --csv.
WIDE_TABLE = 96


def history_table(
    history: History, lang: str = "en", *, chart: bool = True, width: int | None = None
) -> RenderableType:
    """The yearly table, the summary, the terminal chart, notes and sources.

    ``width``: the console width; below :data:`WIDE_TABLE` the year-on-year columns are left
    out (a note says so).
    """
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    household = history.kind == "household"
    # The category is named in the notes (it may change id over the years): not a column.
    table = Table(
        title=history_title(history, lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    col: dict[str, Any] = {"justify": "right", "no_wrap": True}
    table.add_column(tr("history.year", lang), **col)
    premium_key = "history.household_premium" if household else "history.premium"
    table.add_column(tr(premium_key, lang), **col)
    table.add_column(tr("history.subsidy", lang), **col)
    table.add_column(tr("history.income_prev", lang), **col)
    table.add_column(tr("history.measure", lang), no_wrap=True)
    table.add_column(tr("history.burden", lang), **col)
    table.add_column(tr("history.premium_index", lang), **col)
    table.add_column(tr("history.income_index", lang), **col)
    compact = width is not None and width < WIDE_TABLE
    if not compact:
        table.add_column(tr("history.yoy_premium", lang), **col)
        table.add_column(tr("history.yoy_income", lang), **col)
    break_years = {b.coverage_year for b in history.summary.breaks}
    any_low = False
    for row in history.rows:
        if row.coverage_year in break_years:
            table.add_section()
        p_mark = confidence_mark(row.confidence)
        i_mark = LOW_MARK if _low_income(row) else ""
        any_low = any_low or bool(p_mark or i_mark)
        premium = (
            money(row.premium) + p_mark
            if row.premium is not None
            else Text(tr("history.missing", lang), style="yellow")
        )
        income = (
            money(row.income) + i_mark
            if row.income is not None
            else Text(tr("history.missing", lang), style="yellow")
        )
        brk = BREAK_MARK if row.coverage_year in break_years else ""
        cells: list[Any] = [
            f"{row.coverage_year}{brk}",
            premium,
            money(row.subsidy),
            income,
            measure_text(row.income_measure, lang),
            percent(row.burden_ratio),
            index_text(row.premium_index),
            index_text(row.income_index),
        ]
        if not compact:
            cells += [signed_pct(row.yoy_premium), signed_pct(row.yoy_income)]
        table.add_row(*cells)
    parts: list[RenderableType] = [table, summary_text(history, lang)]
    if chart:
        parts.append(history_chart(history, lang))
    parts.append(notes_text(history, lang, any_low, compact=compact))
    parts.append(sources_text(history.sources, lang))
    return Group(*parts)


def _growth_line(label: str, first: Decimal | None, last: Decimal | None, y0: int | None,
                 y1: int | None, mult: Decimal | None, rate: Decimal | None, lang: str) -> str:
    if mult is None or y0 is None or y1 is None:
        return f"  {label}: -"
    cagr = percent(rate) if rate is not None else "-"
    return (
        f"  {label}: {money(first)} -> {money(last)} ({y0}->{y1}):"
        f" {multiple_text(mult, lang)}, {tr('history.cagr', lang)} {cagr}"
    )


def summary_text(history: History, lang: str = "en") -> RenderableType:
    from rich.text import Text

    s = history.summary
    out = Text()
    out.append(f"{tr('history.summary', lang)}\n", style="bold")
    out.append(
        _growth_line(
            tr("history.premium_growth", lang), s.premium_first, s.premium_last, s.premium_first_year,
            s.premium_last_year, s.premium_multiple, s.premium_cagr, lang,
        )
        + "\n"
    )
    if not s.series_break:
        out.append(
            _growth_line(
                tr("history.income_growth", lang), s.income_first, s.income_last, s.income_first_year,
                s.income_last_year, s.income_multiple, s.income_cagr, lang,
            )
            + "\n"
        )
        if s.gap_pp_per_year is not None:
            out.append(
                f"  {tr('history.gap', lang)} ({s.compare_first_year}->{s.compare_last_year}):"
                f" {s.gap_pp_per_year:+.2f} {tr('history.pp_year', lang)}\n",
                style="bold red" if s.gap_pp_per_year > 0 else "bold green",
            )
    else:
        for seg in s.segments:
            head = (
                f"  {tr('history.segment', lang)} {seg.index + 1}: {measure_text(seg.income_measure, lang)}"
                f" ({seg.income_region or '-'}), {seg.first_year}-{seg.last_year}"
            )
            out.append(head + "\n")
            if seg.premium_multiple is None:
                one = tr("history.no_growth", lang)
                out.append(f"    {one}\n")
                continue
            out.append(
                f"    {seg.compare_first_year}->{seg.compare_last_year}:"
                f" {tr('history.premium_w', lang)} {multiple_text(seg.premium_multiple, lang)}"
                f" ({tr('history.cagr', lang)} {percent(seg.premium_cagr)}),"
                f" {tr('history.income', lang)} {multiple_text(seg.income_multiple, lang)}"
                f" ({tr('history.cagr', lang)} {percent(seg.income_cagr)});"
            )
            if seg.gap_pp_per_year is not None:
                out.append(
                    f" {tr('history.gap', lang)} {seg.gap_pp_per_year:+.2f} {tr('history.pp_year', lang)}",
                    style="bold red" if seg.gap_pp_per_year > 0 else "bold green",
                )
            out.append("\n")
        for brk in s.breaks:
            out.append(f"  {BREAK_MARK} {break_text(brk, lang)}\n", style="yellow")
    if s.peak_burden_year is not None:
        out.append(f"  {tr('history.peak', lang)}: {s.peak_burden_year} ({percent(s.peak_burden_ratio)})\n")
    return out


def break_text(brk: SeriesBreak, lang: str) -> str:
    """A series break in words."""
    return brk.message().text(lang)


def category_rule_text(category: str | None, lang: str) -> str:
    """Which category is "the" premium (a history's ``category_rule`` is its English text)."""
    if category is None:
        return tr("note.category_reference_adult", lang)
    return tr("note.category_by_id", lang, category=repr(category))


def notes_text(
    history: History, lang: str, any_low: bool, *, compact: bool = False
) -> RenderableType:
    from rich.text import Text

    s = history.summary
    out = Text()
    lines: list[str] = []
    if s.series_break:
        lines.append(f"{BREAK_MARK} {tr('history.break', lang)}")
    if compact:
        lines.append(tr("history.compact", lang))
    for row in history.rows:
        if row.premium_missing is not None:
            why = say(row.premium_missing, lang)
            lines.append(f"{tr('history.missing_premium', lang)} {row.coverage_year}: {why}")
    if s.missing_income_years:
        years = ", ".join(map(str, s.missing_income_years))
        lines.append(f"{tr('history.missing_income', lang)}: {years}")
    if s.uncovered_years:
        lines.append(f"{tr('history.uncovered', lang)}: {year_ranges(s.uncovered_years)}")
    if history.kind == "category":
        rule = category_rule_text(history.category, lang)
    else:
        rule = tr("note.category_household", lang)
    lines.append(f"{tr('history.category', lang)}: {rule}")
    if history.kind == "category":
        lines.append(f"{tr('history.category', lang)}: {_category_years(history, lang)}")
    lines += [say(n, lang) for n in history.notes]
    if any_low:
        lines.append(f"{LOW_MARK} {tr('history.low', lang)}")
    out.append(f"{tr('history.notes', lang)}:\n", style="bold")
    for line in lines:
        out.append(f"  {line}\n", style="dim")
    return out


def _category_years(history: History, lang: str) -> str:
    """``resident (2004-2026)`` or, where the id changes, each id with its years."""
    spans: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for row in history.rows:
        if row.category is not None:
            spans.setdefault(row.category, []).append(row.coverage_year)
            names[row.category] = name_or_dash(row.category_name, lang)
    return "; ".join(
        f"{cid} = {names[cid]} ({year_ranges(years)})" for cid, years in spans.items()
    ) or "-"


def history_chart(history: History, lang: str = "en") -> RenderableType:
    """Terminal charts: the burden per year, and premium vs income indices per segment."""
    from rich.text import Text


    out = Text()
    out.append(f"{tr('history.burden_chart', lang)}\n", style="bold")
    ratios = [r.burden_ratio for r in history.rows if r.burden_ratio is not None]
    top = max(ratios, default=Decimal(0))
    for row in history.rows:
        out.append(f"  {row.coverage_year} ")
        if row.burden_ratio is None:
            out.append(f"{tr('history.missing', lang)}\n", style="yellow")
            continue
        out.append(bar(row.burden_ratio, top), style="red")
        mark = LOW_MARK if row.low_confidence else ""
        out.append(f" {percent(row.burden_ratio)}{mark}\n")
    segments = segment_indices(history)
    if not any(p.premium_index is not None for _, points in segments for p in points):
        return out
    out.append(f"{tr('history.index_chart', lang)}\n", style="bold")
    legend_p = tr("history.legend_premium", lang)
    legend_i = tr("history.legend_income", lang)
    out.append("  ")
    out.append("██", style="red")
    out.append(f" {legend_p}   ")
    out.append("██", style="green")
    out.append(f" {legend_i}\n")
    for seg, points in segments:
        values = [v for p in points for v in (p.premium_index, p.income_index) if v is not None]
        if not values:
            continue
        top_index = max(values)
        out.append(
            f"  {tr('history.segment', lang)} {seg.index + 1}: {measure_text(seg.income_measure, lang)},"
            f" {seg.compare_first_year} = 100\n",
            style="dim",
        )
        for p in points:
            out.append(f"  {p.coverage_year} ")
            out.append(bar(p.premium_index or 0, top_index, BAR_WIDTH // 2 * 2), style="red")
            out.append(f" {index_text(p.premium_index)}\n")
            out.append("       ")
            out.append(bar(p.income_index or 0, top_index, BAR_WIDTH // 2 * 2), style="green")
            out.append(f" {index_text(p.income_index)}\n")
    return out


HISTORY_COLUMNS = (
    "region",
    "coverage_year",
    "policy_year",
    "category",
    "premium",
    "premium_missing",
    "gross",
    "assistance",
    "subsidy",
    "confidence",
    "income_year",
    "income",
    "income_per_capita",
    "income_measure",
    "income_region",
    "income_confidence",
    "income_missing",
    "burden_ratio",
    "premium_index",
    "income_index",
    "yoy_premium",
    "yoy_income",
    "segment",
    "low_confidence",
)


def history_rows(history: History) -> list[dict[str, Any]]:
    """One CSV row per coverage year (empty cells for missing values)."""
    rows: list[dict[str, Any]] = []
    for row in history.rows:
        data = row.model_dump(include=set(HISTORY_COLUMNS))
        data["region"] = history.region
        rows.append({k: "" if data.get(k) is None else data[k] for k in HISTORY_COLUMNS})
    return rows


SUMMARY_COLUMNS = (
    "region",
    "scope",
    "income_measure",
    "income_region",
    "first_year",
    "last_year",
    "compare_first_year",
    "compare_last_year",
    "premium_multiple",
    "premium_cagr",
    "income_multiple",
    "income_cagr",
    "gap_pp_per_year",
    "peak_burden_year",
    "peak_burden_ratio",
    "series_break",
)


def summary_rows(history: History) -> list[dict[str, Any]]:
    """The summary as CSV rows: the whole span, then one row per income segment."""
    s = history.summary
    single = s.segments[0] if len(s.segments) == 1 else None
    rows: list[dict[str, Any]] = [
        {
            "region": history.region,
            "scope": "span",
            "income_measure": single.income_measure if single else "",
            "income_region": (single.income_region or "") if single else "",
            "first_year": s.first_year,
            "last_year": s.last_year,
            "compare_first_year": s.compare_first_year or "",
            "compare_last_year": s.compare_last_year or "",
            "premium_multiple": s.premium_multiple,
            "premium_cagr": s.premium_cagr,
            "income_multiple": s.income_multiple,
            "income_cagr": s.income_cagr,
            "gap_pp_per_year": s.gap_pp_per_year,
            "peak_burden_year": s.peak_burden_year,
            "peak_burden_ratio": s.peak_burden_ratio,
            "series_break": s.series_break,
        }
    ]
    for seg in s.segments:
        rows.append(
            {
                "region": history.region,
                "scope": f"segment {seg.index + 1}",
                "income_measure": seg.income_measure,
                "income_region": seg.income_region or "",
                "first_year": seg.first_year,
                "last_year": seg.last_year,
                "compare_first_year": seg.compare_first_year,
                "compare_last_year": seg.compare_last_year,
                "premium_multiple": seg.premium_multiple,
                "premium_cagr": seg.premium_cagr,
                "income_multiple": seg.income_multiple,
                "income_cagr": seg.income_cagr,
                "gap_pp_per_year": seg.gap_pp_per_year,
                "peak_burden_year": seg.peak_burden_year,
                "peak_burden_ratio": seg.peak_burden_ratio,
                "series_break": False,
            }
        )
    return [{k: "" if r.get(k) is None else r[k] for k in SUMMARY_COLUMNS} for r in rows]
