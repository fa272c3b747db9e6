"""A comparison of regions as a table, a terminal chart, and rows for CSV.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..messages import tr, uses_cjk
from ..units import money, percent
from .assessment import sources_text
from .formats import LOW_MARK, confidence_mark, say

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.comparison import Comparison
from .formats import BAR_WIDTH, bar
from .history import category_rule_text, measure_text, name_or_dash


def comparison_table(
    comparison: Comparison, lang: str = "en", *, chart: bool = True
) -> RenderableType:
    """Ranked regions with the national minimum as a reference row, each region's categories,
    the terminal chart, notes and sources."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    c = comparison
    stat = name_or_dash(c.statistic_name, lang)
    title = tr("history.compare_title", lang, year=c.year, stat=stat)
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
        collapse_padding=True,
    )
    col: dict[str, Any] = {"justify": "right", "no_wrap": True}
    table.add_column(tr("history.rank", lang), **col)
    table.add_column(tr("history.region", lang), overflow="fold")
    table.add_column(tr("history.premium", lang), **col)
    table.add_column(tr("history.subsidy", lang), **col)
    table.add_column(tr("history.vs_min", lang), **col)
    table.add_column(tr("history.income_prev", lang), **col)
    table.add_column(tr("history.burden", lang), **col)
    any_low = False
    reference_done = False
    for row in c.rows:
        if (
            not reference_done
            and c.national_burden_ratio is not None
            and (row.burden_ratio is None or row.burden_ratio < c.national_burden_ratio)
        ):
            _reference_row(table, c, lang)
            reference_done = True
        mark = LOW_MARK if row.low_confidence else ""
        any_low = any_low or bool(mark)
        vs_min = row.vs_national_minimum
        table.add_row(
            str(row.rank) if row.rank is not None else "-",
            name_or_dash(row.region_name, lang),
            (money(row.premium) + mark) if row.premium is not None
            else Text(tr("history.missing", lang), style="yellow"),
            money(row.subsidy),
            "-" if vs_min is None else ("0" if vs_min == 0 else f"{vs_min:+,}"),
            money(row.income) + (LOW_MARK if row.income_confidence in ("low", "medium-low") else ""),
            percent(row.burden_ratio),
        )
    if not reference_done:
        _reference_row(table, c, lang)
    parts: list[RenderableType] = [table]
    cats = Text()
    cats.append(f"{tr('history.categories', lang)} (* = {tr('history.ranked_by', lang)}):\n", style="bold")
    for row in c.rows:
        listed = ", ".join(
            ("*" if cat.reference else "")
            + f"{cat.name.zh if uses_cjk(lang) else cat.id}"
            + f" {money(cat.amount) if cat.amount is not None else tr('history.missing', lang)}"
            + confidence_mark(cat.confidence)
            for cat in row.categories
        )
        cats.append(f"  {row.region}: {listed}\n")
    parts.append(cats)
    if chart:
        parts.append(comparison_chart(c, lang))
    notes = Text()
    notes.append(f"{tr('history.notes', lang)}:\n", style="bold")
    lines = [f"{tr('history.category', lang)}: {category_rule_text(c.category, lang)}"]
    # Which income statistic each region was measured against, grouped.
    groups: dict[tuple[str | None, int | None, str | None], list[str]] = {}
    for row in c.rows:
        groups.setdefault((row.income_region, row.income_year, row.income_measure), []).append(
            row.region
        )
    for (where, year, measure), regions in groups.items():
        lines.append(
            f"{tr('history.income', lang)}: {stat}, {year}, {measure_text(measure, lang)} ({where}):"
            f" {', '.join(regions)}"
        )
    lines += [say(n, lang) for n in c.notes]
    for row in c.rows:
        if row.premium_missing:
            lines.append(f"{row.region}: {tr('history.missing', lang)}: {say(row.premium_missing, lang)}")
    if any_low:
        lines.append(f"{LOW_MARK} {tr('history.low', lang)}")
    for line in lines:
        notes.append(f"  {line}\n", style="dim")
    parts.append(notes)
    parts.append(sources_text(c.sources, lang))
    return Group(*parts)


def _reference_row(table: Any, c: Comparison, lang: str) -> None:
    from rich.text import Text

    table.add_row(
        "",
        Text(f"{tr('history.national_min', lang)} (cn)", style="bold"),
        Text(money(c.national_minimum), style="bold"),
        money(c.national_subsidy),
        "0" if c.national_minimum is not None else "-",
        money(c.national_income),
        Text(percent(c.national_burden_ratio), style="bold"),
        style="cyan",
    )


def comparison_chart(comparison: Comparison, lang: str = "en") -> RenderableType:
    """Bars of each region's burden, with the national minimum's burden as a marker line."""
    from rich.text import Text

    c = comparison
    out = Text()
    out.append(f"{tr('history.burden_chart', lang)} ({c.year})\n", style="bold")
    ratios = [r.burden_ratio for r in c.rows if r.burden_ratio is not None]
    if c.national_burden_ratio is not None:
        ratios.append(c.national_burden_ratio)
    top = max(ratios, default=Decimal(0))
    width = max((len(r.region) for r in c.rows), default=4)
    ref_cells = (
        round(float(c.national_burden_ratio) / float(top) * BAR_WIDTH)
        if c.national_burden_ratio is not None and top > 0
        else None
    )
    for row in c.rows:
        out.append(f"  {row.region:<{width}} ")
        if row.burden_ratio is None:
            out.append(f"{tr('history.missing', lang)}\n", style="yellow")
            continue
        bars = bar(row.burden_ratio, top)
        padded = bars.ljust(BAR_WIDTH)
        if ref_cells is not None and 0 < ref_cells <= BAR_WIDTH:
            cell = ref_cells - 1
            if len(bars) <= cell:
                padded = padded[:cell] + "┊" + padded[cell + 1 :]
        ref = c.national_burden_ratio
        style = (
            "dim" if ref is None or row.burden_ratio == ref
            else "red" if row.burden_ratio > ref else "green"
        )
        out.append(padded, style=style)
        mark = LOW_MARK if row.low_confidence else ""
        out.append(f" {percent(row.burden_ratio)}{mark}\n")
    if c.national_burden_ratio is not None:
        out.append(
            f"  ┊ {tr('history.national_min', lang)} {money(c.national_minimum)}:"
            f" {percent(c.national_burden_ratio)}\n",
            style="cyan",
        )
    return out


COMPARISON_COLUMNS = (
    "rank",
    "region",
    "name_zh",
    "name_en",
    "level",
    "category",
    "reference",
    "amount",
    "missing",
    "subsidy",
    "national_minimum",
    "vs_national_minimum",
    "income",
    "income_year",
    "income_region",
    "income_measure",
    "income_confidence",
    "burden_ratio",
    "confidence",
)


def comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One CSV row per region and category (``reference`` marks the ranked category)."""
    out: list[dict[str, Any]] = []
    minimum = comparison.national_minimum
    for row in comparison.rows:
        for cat in row.categories:
            values: dict[str, Any] = {
                "rank": row.rank,
                "region": row.region,
                "name_zh": row.region_name.zh,
                "name_en": row.region_name.en,
                "level": row.level,
                "category": cat.id,
                "reference": cat.reference,
                "amount": cat.amount,
                "missing": cat.missing,
                "subsidy": cat.subsidy,
                "national_minimum": minimum,
                "vs_national_minimum": (
                    cat.amount - minimum if cat.amount is not None and minimum is not None else None
                ),
                "income": row.income,
                "income_year": row.income_year,
                "income_region": row.income_region,
                "income_measure": row.income_measure,
                "income_confidence": row.income_confidence,
                "burden_ratio": cat.burden_ratio,
                "confidence": cat.confidence,
            }
            out.append({k: "" if values[k] is None else values[k] for k in COMPARISON_COLUMNS})
    return out
