"""Renderers for :mod:`premium_calc.analyses.history`: rich tables, terminal bar charts, CSV rows
(the summary is in :mod:`.history_summary`).

Nothing here prints. Labels in Chinese or English (``lang="zh"|"en"``). The same marks in every
format: in the table low-confidence values carry :data:`LOW_MARK` (``†``), an inherited national
subsidy ``≥`` (a minimum; the individual share beside it ``≤``), chained index values
:data:`CHAIN_MARK`, the first row after an income-measure change :data:`BREAK_MARK`, add-ons
such as long-term care a column of their own; in CSV and JSON each mark is a field of its own
(``subsidy_at_least``, ``premium_low_confidence``, ``income_chained`` ...), never glued to a
number. ``view="policy_year"`` keys the rows by notice year.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..analyses.history import segment_indices
from ..analyses.series import LOW_INCOME_CONFIDENCE
from ..messages import labelled, pick, tr
from ..units import half_up, money, percent
from .assessment import sources_text
from .formats import LOW_MARK, component_name, say, year_ranges
from .history_summary import (
    CHAIN_MARK,
    SUMMARY_COLUMNS,
    break_text,
    measure_text,
    shown_year,
    summary_rows,
    summary_text,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.series import History, HistoryRow
    from ..ratefiles.model import Name
from .formats import BAR_WIDTH, BREAK_MARK, bar, index_text, signed_pct

__all__ = [
    "CHAIN_MARK",
    "HISTORY_COLUMNS",
    "SUMMARY_COLUMNS",
    "break_text",
    "category_rule_text",
    "history_chart",
    "history_rows",
    "history_table",
    "history_title",
    "measure_text",
    "name_or_dash",
    "notes_text",
    "summary_rows",
    "summary_text",
]

#: The mark of an upper bound (the individual share where the subsidy is a minimum).
AT_MOST = "≤"
#: The mark of a minimum (an inherited national subsidy).
AT_LEAST = "≥"


def name_or_dash(name: Name | None, lang: str) -> str:
    return "-" if name is None else pick(name, lang)


def _low_income(row: HistoryRow) -> bool:
    return row.income_low_confidence or row.income_confidence in LOW_INCOME_CONFIDENCE


def enrolment_text(persons: int | None, lang: str) -> str:
    """A head count in the table's unit: 万人 in Chinese (94,213.27), millions in English (942.13)."""
    if persons is None:
        return "-"
    unit = Decimal(10_000) if lang.startswith("zh") else Decimal(1_000_000)
    return money(half_up(Decimal(persons) / unit, Decimal("0.01")))


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
    title = tr("history.title", lang, name=name, region=history.region, span=span, what=what, against=against)
    if history.view == "policy_year":
        title += tr("history.title_policy_view", lang)
    return title


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
    policy_view = history.view == "policy_year"
    rows = history.rows
    any_components = any(r.components for r in rows)
    any_enrolment = any(r.enrolment is not None for r in rows)
    # The category is named in the notes (it may change id over the years): not a column.
    table = Table(
        title=history_title(history, lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    col: dict[str, Any] = {"justify": "right", "no_wrap": True}
    if policy_view:
        table.add_column(tr("history.policy_year", lang), **col)
        table.add_column(tr("history.coverage_year", lang), **col)
    else:
        table.add_column(tr("history.year", lang), **col)
    premium_key = "history.household_premium" if household else "history.premium"
    table.add_column(tr(premium_key, lang), **col)
    if any_components:
        table.add_column(tr("history.components", lang), **col)
    table.add_column(tr("history.subsidy", lang), **col)
    table.add_column(tr("history.individual_share", lang), **col)
    income_key = "history.income_notice_year" if policy_view else "history.income_prev"
    table.add_column(tr(income_key, lang), **col)
    table.add_column(tr("history.measure", lang), no_wrap=True)
    table.add_column(tr("history.burden", lang), **col)
    table.add_column(tr("history.premium_index", lang), **col)
    table.add_column(tr("history.income_index", lang), **col)
    if history.chain_income:
        table.add_column(tr("history.income_index_chained", lang), **col)
    compact = width is not None and width < WIDE_TABLE
    if not compact:
        table.add_column(tr("history.yoy_premium", lang), **col)
        table.add_column(tr("history.yoy_income", lang), **col)
    if any_enrolment:
        table.add_column(tr("history.enrolment", lang), **col)
    break_years = {b.coverage_year for b in history.summary.breaks}
    any_low = False
    for row in rows:
        if row.coverage_year in break_years:
            table.add_section()
        p_mark = LOW_MARK if row.premium_low_confidence or row.confidence == "low" else ""
        i_mark = LOW_MARK if _low_income(row) else ""
        e_mark = LOW_MARK if row.enrolment_low_confidence else ""
        any_low = any_low or bool(p_mark or i_mark or e_mark)
        missing = Text(tr("history.missing", lang), style="yellow")
        premium = money(row.premium) + p_mark if row.premium is not None else missing
        income = money(row.income) + i_mark if row.income is not None else missing
        brk = BREAK_MARK if row.coverage_year in break_years else ""
        floor = AT_LEAST if row.subsidy_at_least else ""
        share = (AT_MOST if row.individual_share_at_most else "") + percent(row.individual_share)
        cells: list[Any] = (
            [f"{shown_year(history, row.coverage_year)}{brk}", str(row.coverage_year)]
            if policy_view
            else [f"{row.coverage_year}{brk}"]
        )
        cells.append(premium)
        if any_components:
            cells.append(_components_cell(row, lang))
        cells += [
            floor + money(row.subsidy),
            share,
            income,
            measure_text(row.income_measure, lang),
            percent(row.burden_ratio),
            index_text(row.premium_index),
            index_text(row.income_index),
        ]
        if history.chain_income:
            chained = index_text(row.income_index_chained)
            cells.append(chained + CHAIN_MARK if row.income_chained else chained)
        if not compact:
            cells += [signed_pct(row.yoy_premium), signed_pct(row.yoy_income)]
        if any_enrolment:
            cells.append(enrolment_text(row.enrolment, lang) + e_mark)
        table.add_row(*cells)
    parts: list[RenderableType] = [table, summary_text(history, lang)]
    if chart:
        parts.append(history_chart(history, lang))
    parts.append(notes_text(history, lang, any_low, compact=compact))
    parts.append(sources_text(history.sources, lang))
    return Group(*parts)


def _components_cell(row: HistoryRow, lang: str) -> str:
    """``10 长护险``: the add-ons inside the premium (the medical premium is the rest)."""
    if not row.components:
        return "-"
    return ", ".join(f"{money(v)} {component_name(k, lang)}" for k, v in row.components.items())


def category_rule_text(category: str | None, lang: str) -> str:
    """Which category is "the" premium (a history's ``category_rule`` is its English text)."""
    if category is None:
        return tr("note.category_reference_adult", lang)
    return tr("note.category_by_id", lang, category=repr(category))


def notes_text(history: History, lang: str, any_low: bool, *, compact: bool = False) -> RenderableType:
    from rich.text import Text

    s = history.summary
    out = Text()
    lines: list[str] = []
    if s.series_break:
        lines.append(f"{BREAK_MARK} {tr('history.break', lang)}")
    if compact:
        lines.append(tr("history.compact", lang))
    if history.view == "policy_year":
        lines.append(tr("history.note_policy_view", lang))
        inferred = [r.coverage_year for r in history.rows if r.policy_year_inferred]
        if inferred:
            lines.append(tr("history.note_policy_inferred", lang, years=year_ranges(inferred)))
    floor_years = [r.coverage_year for r in history.rows if r.subsidy_at_least]
    if floor_years:
        lines.append(tr("history.note_subsidy_at_least", lang, years=year_ranges(floor_years)))
    lines.append(tr("history.note_individual_share", lang))
    parts = sorted({k for r in history.rows for k in r.components})
    if parts:
        names = ", ".join(component_name(k, lang) for k in parts)
        lines.append(tr("history.note_components", lang, parts=names))
    if history.chain_income:
        from .history_summary import chained_note_text

        lines.append(f"{CHAIN_MARK} {chained_note_text(history, lang)}")
    if any(r.enrolment is not None for r in history.rows):
        lines.append(tr("history.note_enrolment_unit", lang))
    for row in history.rows:
        if row.premium_missing is not None:
            why = say(row.premium_missing, lang)
            lines.append(f"{tr('history.missing_premium', lang)} {row.coverage_year}: {why}")
    if s.missing_income_years:
        years = ", ".join(map(str, s.missing_income_years))
        lines.append(f"{labelled('history.missing_income', lang)}{years}")
    if s.uncovered_years:
        lines.append(f"{labelled('history.uncovered', lang)}{year_ranges(s.uncovered_years)}")
    if history.kind == "category":
        rule = category_rule_text(history.category, lang)
    else:
        rule = tr("note.category_household", lang)
    lines.append(f"{labelled('history.category', lang)}{rule}")
    if history.kind == "category":
        lines.append(f"{labelled('history.category', lang)}{_category_years(history, lang)}")
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
    return "; ".join(f"{cid} = {names[cid]} ({year_ranges(years)})" for cid, years in spans.items()) or "-"


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
    out.append("░░", style="green")
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
            income_bar = bar(p.income_index or 0, top_index, BAR_WIDTH // 2 * 2)
            # a glyph of its own, so the two series read apart without colour
            out.append("░" * len(income_bar), style="green")
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
    "premium_low_confidence",
    "income_low_confidence",
    "subsidy_at_least",
    "medical_premium",
    "components",
    "individual_share",
    "individual_share_at_most",
    "income_index_chained",
    "income_chained",
    "enrolment",
    "enrolment_change",
    "enrolment_derived",
    "enrolment_confidence",
    "enrolment_low_confidence",
    "policy_year_inferred",
)

#: The columns of the policy-year view: the same, keyed by policy (notice) year first.
POLICY_YEAR_COLUMNS = ("region", "policy_year", "coverage_year", *HISTORY_COLUMNS[3:])


def history_columns(history: History) -> tuple[str, ...]:
    """The CSV columns of a history's view (:data:`HISTORY_COLUMNS` or, keyed by notice year,
    :data:`POLICY_YEAR_COLUMNS`)."""
    return POLICY_YEAR_COLUMNS if history.view == "policy_year" else HISTORY_COLUMNS


def _components_field(components: dict[str, Any]) -> str:
    """``ltc=10`` (``;`` between parts): the add-ons as one CSV field."""
    return ";".join(f"{k}={v}" for k, v in components.items())


def history_rows(history: History) -> list[dict[str, Any]]:
    """One CSV row per year of the view (empty cells for missing values; marks as fields of
    their own, ``true``/``false``)."""
    columns = history_columns(history)
    rows: list[dict[str, Any]] = []
    for row in history.rows:
        data = row.model_dump(include=set(columns))
        data["region"] = history.region
        data["components"] = _components_field(row.components)
        rows.append({k: "" if data.get(k) is None else data[k] for k in columns})
    return rows
