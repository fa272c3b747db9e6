"""A population summary as text: a headline per group, a table by income decile (or
quintile), the shares above each burden threshold, and the notes that qualify the numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..messages import tr, uses_cjk
from ..units import short_percent
from .formats import LOW_MARK, amount_text, say

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.population.summary import Cell, GroupSummary, PopulationSummary, StandardUsed


SMALL_MARK = "*"


def pct(value: Decimal | None) -> str:
    """A ratio as a percentage to one decimal (``0.1325`` -> ``13.3%``); ``–`` for none."""
    if value is None:
        return "–"
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def pct_range(low: Decimal | None, high: Decimal | None) -> str:
    """``13.3%``, or ``12.0–13.3%`` where the least and the most differ (unknown assistance)."""
    if low is None or high is None or low == high:
        return pct(high)
    return f"{(low * 100).quantize(Decimal('0.1'))}–{pct(high)}"


def count_text(value: Decimal, lang: str) -> str:
    """A weighted count, whole where it is whole (``1234``, ``1234.5``), 万 in Chinese."""
    whole = value.quantize(Decimal("1")) if value == value.to_integral_value() else value.normalize()
    return amount_text(Decimal(whole), lang, wan=True)


def _group_name(group: GroupSummary, lang: str) -> str:
    if not group.region:
        return tr("population.everything", lang)
    region = group.region
    if group.name is not None:
        region = group.name["zh"] if uses_cjk(lang) else f"{group.name['en']} ({group.name['zh']})"
    return tr("population.group", lang, region=region, year=group.year)


def headline(group: GroupSummary, summary: PopulationSummary, lang: str) -> str:
    """What a rural reader needs first: how many, what they pay, how many pay too much."""
    w = group.whole
    parts = [
        tr(
            "population.headline",
            lang,
            households=count_text(w.households, lang),
            people=count_text(w.people, lang),
            sample=f"{w.sample:,}",
            paid=amount_text(w.paid_high, lang, wan=True)
            if w.paid_low == w.paid_high
            else f"{amount_text(w.paid_low, lang, wan=True)}–{amount_text(w.paid_high, lang, wan=True)}",
            subsidy=amount_text(w.subsidy, lang, wan=True),
        )
    ]
    for share in w.above:
        people = (
            count_text(share.people_count_high, lang)
            if share.people_count_low == share.people_count_high
            else f"{count_text(share.people_count_low, lang)}–{count_text(share.people_count_high, lang)}"
        )
        parts.append(
            tr(
                "population.above",
                lang,
                threshold=short_percent(share.threshold),
                people=people,
                share=pct_range(share.people_low, share.people_high),
                households=pct_range(share.households_low, share.households_high),
            )
        )
    if w.unpriced_households:
        parts.append(tr("population.unpriced", lang, households=count_text(w.unpriced_households, lang)))
    if w.no_income_households:
        parts.append(tr("population.no_income", lang, households=count_text(w.no_income_households, lang)))
    if w.bounded_households:
        parts.append(tr("population.bounded", lang, households=count_text(w.bounded_households, lang)))
    return "\n".join(parts)


def cells_table(
    group: GroupSummary, summary: PopulationSummary, lang: str, *, quintiles: bool = False
) -> Any:
    from rich import box
    from rich.table import Table

    rows: tuple[Cell, ...] = group.quintiles if quintiles else group.deciles
    title = tr("population.table.quintiles", lang) if quintiles else tr("population.table.deciles", lang)
    table = Table(title=f"{_group_name(group, lang)} · {title}", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(tr("population.col.part", lang), justify="right")
    table.add_column(tr("population.col.income", lang), justify="right")
    table.add_column(tr("population.col.households", lang), justify="right")
    table.add_column(tr("population.col.people", lang), justify="right")
    table.add_column(tr("population.col.mean", lang), justify="right")
    table.add_column(tr("population.col.median", lang), justify="right")
    for threshold in summary.thresholds:
        table.add_column(
            tr("population.col.above", lang, threshold=short_percent(threshold)), justify="right"
        )
    for cell in rows:
        # Each group's upper edge (the next group starts above it); the top group has none.
        if cell.income_to is not None:
            income = f"≤{cell.income_to:,.0f}"
        else:
            income = f">{cell.income_from:,.0f}" if cell.income_from is not None else ""
        mark = SMALL_MARK if cell.small else ""
        table.add_row(
            f"{cell.part}{mark}",
            income,
            count_text(cell.households, lang),
            count_text(cell.people, lang),
            pct_range(cell.mean_burden_low, cell.mean_burden_high),
            pct_range(cell.median_burden_low, cell.median_burden_high),
            *(pct_range(s.households_low, s.households_high) for s in cell.above),
        )
    return table


def _named(region: str, names: dict[str, dict[str, str]], lang: str) -> str:
    name = names.get(region)
    if name is None:
        return region
    return name["zh"] if uses_cjk(lang) else name["en"]


def standard_lines(
    standards: tuple[StandardUsed, ...], lang: str, names: dict[str, dict[str, str]] | None = None
) -> list[str]:
    names = names or {}
    lines = []
    for s in standards:
        if s.error is not None:
            continue
        mark = ("≥" if s.at_least else "") + (LOW_MARK if s.confidence == "low" else "")
        lines.append(
            tr(
                "population.standard",
                lang,
                region=_named(s.region, names, lang),
                year=s.year,
                source=_named(s.standard_from or s.region, names, lang),
                confidence=tr(f"confidence.{s.confidence}", lang) if s.confidence else "?",
                mark=mark,
            )
        )
    return lines


def summary_text(summary: PopulationSummary, lang: str, *, quintiles: bool = False) -> list[RenderableType]:
    """Everything ``premium-calc population`` prints, in order: prose as strings (never rich
    markup), the rest as renderables."""
    from rich.text import Text

    out: list[Any] = []
    groups = summary.groups
    if len(groups) == 2 and groups[0].whole == groups[1].whole.model_copy():
        groups = groups[1:]  # one region and year: "everyone" is that group
    for group in groups:
        out.append(Text(_group_name(group, lang), style="bold"))
        out.append(headline(group, summary, lang))
        out.append(cells_table(group, summary, lang, quintiles=quintiles))
    names = {g.region: g.name for g in summary.groups if g.name is not None}
    out.extend(standard_lines(summary.standards, lang, names))
    out.append(tr("population.legend", lang, min_cell=summary.min_cell, mark=SMALL_MARK))
    out.append(tr("population.conventions", lang))
    bullet = "·" if lang.startswith("zh") else "· "  # no space: rich keeps CJK after it on the line
    out.extend(bullet + say(note, lang) for note in summary.notes if note)
    return out
