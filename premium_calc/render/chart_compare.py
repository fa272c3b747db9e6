"""The bars of a comparison chart: each region's burden from 0, coloured against the national
minimum's burden, with the national minimum as a line and a value at the end of every bar.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..messages import pick, tr
from ..units import percent
from .chart_history import AT_LEAST_MARK
from .chart_style import HEAVIER, LIGHTER, NATIONAL, SAME
from .formats import LOW_MARK

if TYPE_CHECKING:
    from ..analyses.comparison import Comparison, ComparisonRow

#: Height of a figure row per region (inches) and around them (title, legend, credit line).
ROW_HEIGHT = 0.3
FRAME_HEIGHT = 2.6


def colour(value: Decimal | None, reference: Decimal | None) -> str:
    """Red above the national minimum's burden, grey at it, green below."""
    if value is None or reference is None or value == reference:
        return SAME
    return HEAVIER if value > reference else LIGHTER


def at_least(row: ComparisonRow) -> bool:
    """Whether the row's premium is the national minimum standing in (a lower bound)."""
    return bool(getattr(row, "national_fallback", False))


def height_for(comparison: Comparison) -> float:
    """A figure height that gives every region a readable row."""
    return max(4.0, ROW_HEIGHT * (len(comparison.rows) + 1) + FRAME_HEIGHT)


def row_label(row: ComparisonRow, lang: str) -> str:
    """The region's name, with † (low confidence) and ≥ (national minimum standing in)."""
    marks = (f" {LOW_MARK}" if row.low_confidence else "") + (f" {AT_LEAST_MARK}" if at_least(row) else "")
    return pick(row.region_name, lang) + marks


def draw_bars(ax: Any, comparison: Comparison, lang: str) -> list[Any]:
    """The bars, value labels, national line; returns legend handles for every colour and mark."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    c = comparison
    rows = list(c.rows)
    positions = list(range(len(rows)))
    values = [float(r.burden_ratio) * 100 if r.burden_ratio is not None else 0.0 for r in rows]
    colours = [colour(r.burden_ratio, c.national_burden_ratio) for r in rows]
    ax.barh(positions, values, color=colours, height=0.7, zorder=2)
    ax.set_yticks(positions, [row_label(r, lang) for r in rows], fontsize=8)
    ax.invert_yaxis()
    top = max(values, default=0.0)
    for pos, row, value in zip(positions, rows, values, strict=True):
        if row.burden_ratio is None:
            text = tr("chart.no_data", lang)
        else:
            ratio = (AT_LEAST_MARK if at_least(row) else "") + percent(row.burden_ratio)
            amount = f"{row.premium:,}" if row.premium is not None else "-"
            text = tr("chart.value_premium", lang, ratio=ratio, amount=amount)
        ax.annotate(
            text,
            xy=(value, pos),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=7,
            color="0.2",
        )
    handles: list[Any] = []
    used = set(colours)
    for key, shade in (("chart.heavier", HEAVIER), ("chart.same", SAME), ("chart.lighter", LIGHTER)):
        if shade in used:
            handles.append(Patch(color=shade, label=tr(key, lang)))
    if c.national_burden_ratio is not None:
        line = float(c.national_burden_ratio) * 100
        top = max(top, line)
        label = tr(
            "chart.national_line", lang, amount=c.national_minimum, ratio=percent(c.national_burden_ratio)
        )
        ax.axvline(line, color=NATIONAL, linestyle="--", linewidth=1.2, zorder=3)
        handles.append(Line2D([], [], color=NATIONAL, linestyle="--", label=label))
    if any(r.low_confidence for r in rows):
        handles.append(Line2D([], [], linestyle="none", label=tr("chart.low", lang)))
    if any(at_least(r) for r in rows):
        handles.append(Line2D([], [], linestyle="none", label=tr("chart.at_least", lang)))
    ax.set_xlim(0, top * 1.32 if top > 0 else 1)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(tr("chart.burden", lang))
    ax.grid(axis="x", alpha=0.3, zorder=0)
    return handles


def group_text(comparison: Comparison, lang: str) -> str:
    """Whose premium: a named category, or each region's reference adult's category."""
    if comparison.category is not None:
        return tr("chart.group_category", lang, category=comparison.category)
    return tr("chart.group_reference_any", lang)
