"""The panels of a history chart: growth indices per income segment, and the burden.

Lines are drawn within runs of consecutive years only; a missing year or value stays a gap
(shaded), and no line crosses an income-measure break (a dashed line between the last year
of the old measure and the first of the new). Level axes start at 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analyses.history import segment_indices
from ..messages import pick, tr, tr_or
from ..units import percent
from .chart_style import (
    BREAK,
    BURDEN,
    FEW_POINTS,
    INCOME,
    LOW,
    PREMIUM,
    gap_years,
    runs,
    shade_gaps,
    wrap,
    zero_based,
)
from .formats import LOW_MARK

if TYPE_CHECKING:
    from ..analyses.series import History, HistoryRow

#: The mark of a value where the national minimum stands in for a missing regional one.
AT_LEAST_MARK = "≥"

#: ``gid`` of every line that carries data (tests and notebooks find them by it).
SERIES_GID = "series"


def at_least(row: HistoryRow) -> bool:
    """Whether the row's premium is the national minimum standing in (a lower bound)."""
    return bool(getattr(row, "national_fallback", False))


def _measure_name(measure: str, lang: str) -> str:
    return tr_or(f"measure.{measure}", lang, measure)


def _line(
    ax: Any, run: list[tuple[int, float]], colour: str, marker: str, label: str | None, zorder: float = 3
) -> None:
    (line,) = ax.plot(
        [y for y, _ in run],
        [v for _, v in run],
        color=colour,
        marker=marker,
        markersize=4,
        linewidth=1.8,
        label=label,
        zorder=zorder,
    )
    line.set_gid(SERIES_GID)


def _label(ax: Any, year: int, value: float, text: str, colour: str, below: bool = False) -> None:
    ax.annotate(
        text,
        xy=(year, value),
        xytext=(0, -11 if below else 6),
        textcoords="offset points",
        ha="center",
        va="top" if below else "bottom",
        fontsize=7,
        color=colour,
        zorder=4,
    )


def _labelled(points: list[tuple[int, float]]) -> set[int]:
    """Every year where there are few points; else the first, last and highest."""
    if len(points) <= FEW_POINTS:
        return {y for y, _ in points}
    if not points:
        return set()
    top = max(points, key=lambda p: p[1])
    return {points[0][0], points[-1][0], top[0]}


def draw_indices(ax: Any, history: History, lang: str) -> None:
    """Premium and income indices, rebased to 100 in each income segment."""
    labelled_premium = False
    seen_measures: set[str] = set()
    values: list[float] = []
    present: set[int] = set()
    premium_points: list[tuple[int, float]] = []
    income_points: list[tuple[int, float, str]] = []
    for seg, points in segment_indices(history):
        measure = seg.income_measure
        colour = INCOME.get(measure, "tab:green")
        prem = [
            (p.coverage_year, None if p.premium_index is None else float(p.premium_index)) for p in points
        ]
        inc = [(p.coverage_year, None if p.income_index is None else float(p.income_index)) for p in points]
        for run in runs(prem):
            label = None if labelled_premium else tr("chart.premium_index", lang)
            _line(ax, run, PREMIUM, "o", label, zorder=3.5)  # over an income point of equal value
            labelled_premium = True
            premium_points += run
        for run in runs(inc):
            label = None
            if measure not in seen_measures:
                label = tr("chart.income_index", lang, measure=_measure_name(measure, lang))
                seen_measures.add(measure)
            _line(ax, run, colour, "s", label)
            income_points += [(y, v, colour) for y, v in run]
        present |= {y for y, v in prem + inc if v is not None}
        values += [v for _, v in prem + inc if v is not None]
    _index_labels(ax, premium_points, income_points)
    shade_gaps(ax, gap_years(history.start, history.end, present), tr("chart.gap", lang))
    zero_based(ax, values)
    ax.set_ylabel(wrap(tr("chart.index", lang), 2.6, 9))
    ax.grid(axis="y", alpha=0.3)


def _index_labels(ax: Any, premium: list[tuple[int, float]], income: list[tuple[int, float, str]]) -> None:
    """Values at the labelled years: of the two series the higher one's above its point, the
    lower one's below (labels of lines that run close never sit on each other)."""
    prem = dict(premium)
    inc = {y: (v, colour) for y, v, colour in income}
    show_p = _labelled(premium)
    show_i = _labelled([(y, v) for y, v, _ in income])
    for year in sorted(show_p | show_i):
        p, i = prem.get(year), inc.get(year)
        premium_above = i is None or p is None or p >= i[0]
        if p is not None and year in show_p:
            _label(ax, year, p, f"{p:,.0f}", PREMIUM, below=not premium_above)
        if i is not None and year in show_i:
            _label(ax, year, i[0], f"{i[0]:,.0f}", i[1], below=premium_above and p is not None)


def draw_burden(ax: Any, history: History, lang: str) -> None:
    """The premium as a percentage of income, year by year, from 0."""
    points = [
        (r.coverage_year, None if r.burden_ratio is None else float(r.burden_ratio) * 100)
        for r in history.rows
    ]
    # The income measure changes the level of the ratio too: no line across a break.
    by_segment: dict[int | None, list[tuple[int, float | None]]] = {}
    for r, point in zip(history.rows, points, strict=True):
        by_segment.setdefault(r.segment, []).append(point)
    drawn = 0
    for segment_points in by_segment.values():
        for run in runs(segment_points):
            _line(ax, run, BURDEN, "o", tr("chart.burden_line", lang) if drawn == 0 else None)
            drawn += 1
    rows = {r.coverage_year: r for r in history.rows if r.burden_ratio is not None}
    low = [(y, float(r.burden_ratio) * 100) for y, r in rows.items() if r.low_confidence and r.burden_ratio]
    if low:
        ax.scatter(
            [y for y, _ in low],
            [v for _, v in low],
            s=90,
            facecolors="none",
            edgecolors=LOW,
            linewidths=1.5,
            zorder=4,
            label=tr("chart.low", lang),
        )
    floor = [(y, float(r.burden_ratio) * 100) for y, r in rows.items() if at_least(r) and r.burden_ratio]
    if floor:
        ax.scatter(
            [y for y, _ in floor],
            [v for _, v in floor],
            marker="^",
            s=40,
            color=BURDEN,
            zorder=4,
            label=tr("chart.at_least", lang),
        )
    shown = [(y, v) for y, v in points if v is not None]
    for year, value in shown:
        if year in _labelled(shown):
            row = rows[year]
            text = (AT_LEAST_MARK if at_least(row) else "") + percent(row.burden_ratio)
            text += LOW_MARK if row.low_confidence else ""
            _label(ax, year, value, text, BURDEN)
    shade_gaps(ax, gap_years(history.start, history.end, set(rows)), None)
    zero_based(ax, [v for _, v in shown], headroom=1.25)
    ax.set_ylabel(tr("chart.burden", lang))
    ax.set_title(tr("chart.burden_panel", lang), fontsize=9)
    ax.grid(axis="y", alpha=0.3)


def draw_breaks(axes: tuple[Any, Any], history: History, lang: str) -> None:
    """A dashed line where the income measure changes, between the last year of the old
    measure and the first of the new; its label (old → new) at the top of the index panel."""
    for n, brk in enumerate(history.summary.breaks):
        x = brk.coverage_year - 0.5
        for k, ax in enumerate(axes):
            ax.axvline(
                x,
                color=BREAK,
                linestyle="--",
                linewidth=1.1,
                zorder=2,
                label=tr("chart.break", lang) if n == 0 and k == 0 else None,
            )
        text = tr(
            "chart.break_label",
            lang,
            from_name=_measure_name(brk.from_measure, lang),
            to_name=_measure_name(brk.to_measure, lang),
        )
        axes[0].annotate(
            text,
            xy=(x, 1),
            xycoords=("data", "axes fraction"),
            xytext=(4, -2),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=7.5,
            color=BREAK,
        )


def region_text(region: str, history: History, lang: str) -> str:
    """The income region as words: national, the history's own region, or a province."""
    named = getattr(history, "income_region_name", None)
    if named is not None:
        return pick(named, lang)
    if region == "cn":
        return tr("chart.where_national", lang)
    if region == history.region:
        return pick(history.region_name, lang)
    return province_name(region, lang)


def province_name(region: str, lang: str) -> str:
    """``cn/guizhou`` -> 贵州省 / Guizhou from the gazetteer (the id where it is not a province)."""
    parts = region.split("/")
    if len(parts) != 2:
        return region
    from ..gazetteer import Gazetteer

    found = [p for p in Gazetteer.load().lookup(parts[1]) if p.level == "province" and p.pinyin == parts[1]]
    if len(found) != 1:
        return region
    place = found[0]
    if lang == "zh":
        return place.name
    return place.en or place.pinyin.title()


def subtitle(history: History, lang: str) -> str:
    """Which income (statistic and whose) and which premium (category or household)."""
    if history.kind == "household" and getattr(history, "income_basis", "") == "household":
        own = getattr(history, "household", None)
        amount = getattr(own, "annual_income", None)
        stat, where = tr("chart.own_income", lang, amount=f"{amount:,}"), ""
    else:
        stat = pick(history.statistic_name, lang)
        where = ""
        if history.income_region is not None:
            where = tr("chart.where", lang, name=region_text(history.income_region, history, lang))
    return tr("chart.history_subtitle", lang, stat=stat, where=where, group=group_text(history, lang))


def group_text(history: History, lang: str) -> str:
    """Whose premium: a household, a named category, or the reference adult's category."""
    if history.kind == "household":
        description = getattr(history, "description", None)
        size = getattr(history, "household_size", 0)
        return tr(
            "chart.group_household", lang, size=size, description=f": {description}" if description else ""
        )
    names = [r.category_name for r in history.rows if r.category_name is not None]
    name = pick(names[-1], lang) if names else "-"
    if history.category is not None:
        return tr("chart.group_category", lang, category=name)
    return tr("chart.group_reference", lang, category=name)
