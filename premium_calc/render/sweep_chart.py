"""The chart of an income sweep (``premium-calc sweep --plot FILE``): the burden against income,
each threshold as a line and its crossing marked with the exact income.

matplotlib is optional and imported lazily; fonts, the language of the labels and saving are
those of :mod:`premium_calc.render.charts`. The burden falls steeply at low incomes (premium /
income), so the burden axis stops at a few times the highest threshold and the points above it
are drawn at its top edge with their value written beside them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import pick, tr
from ..units import money, short_percent
from .chart_style import (
    CREDIT_SIZE,
    DEFAULT_SIZE,
    check_dpi,
    credit_text,
    drawing,
    matplotlib_module,
    new_figure,
    parse_size,
    save,
    wrap,
)
from .charts import ChartResult, _language, check_plot_path

if TYPE_CHECKING:
    from ..analyses.sweep import SweepPoint, SweepResult

#: The burden axis ends at this multiple of the highest threshold (or at the highest burden
#: shown, if that is lower), so that the thresholds are not squashed against the bottom.
AXIS_MULTIPLE = Decimal(3)

#: A white ground behind labels drawn over the curve.
_BOX = {"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1}

_COLOURS = ("tab:orange", "tab:red", "tab:purple", "tab:brown")


def plot_sweep(
    result: SweepResult,
    path: Path | str,
    lang: str = "en",
    *,
    dpi: int | None = None,
    size: tuple[float, float] | str | None = None,
) -> ChartResult:
    """The burden (%) against household income, with the thresholds and their crossings;
    ``dpi`` (PNG, default 150) and ``size`` in inches (default 9 x 6.5) as the command line's
    ``--dpi`` and ``--size``."""
    p = Path(path)
    fmt = check_plot_path(p)
    resolution = check_dpi(dpi)
    figsize = parse_size(size) or DEFAULT_SIZE
    matplotlib_module()
    used, font, note = _language(lang)
    premium = result.premium
    points = result.points
    incomes = [float(pt.income) for pt in points]

    nan = float("nan")

    def pct(value: Decimal | None) -> float | None:
        return float(value) * 100 if value is not None else None

    known = [pct(pt.burden_ratio) for pt in points]
    lows = [pct(pt.ratio_low) for pt in points]
    highs = [pct(pt.ratio_high) for pt in points]
    values = [v for v in [*known, *lows, *highs] if v is not None]
    top_threshold = float(max(result.thresholds)) * 100
    # The axis ends at a few times the highest threshold; a higher burden runs off the top.
    ceiling = max(
        min(max(values, default=top_threshold), top_threshold * float(AXIS_MULTIPLE)), top_threshold
    )
    ceiling *= 1.08
    with drawing(font):
        fig = new_figure(figsize, resolution)
        ax = fig.subplots()
        region = pick(result.region_name, used)
        title = tr(
            "sweep.chart_title", used, region=region, year=result.coverage_year, size=result.household_size
        )
        fig.suptitle(wrap(title, figsize[0] - 0.3, 12), fontsize=12)
        if premium.total_paid is not None:
            subtitle = tr("sweep.chart_paid", used, paid=money(premium.total_paid))
        else:
            high = money(premium.total_paid_high) if premium.total_paid_high is not None else "?"
            subtitle = tr("sweep.chart_paid_between", used, low=money(premium.total_paid_low), high=high)
        ax.set_title(wrap(subtitle, figsize[0] - 1.0, 9), fontsize=9, color="dimgray")
        if any(v is not None for v in known):
            ax.plot(
                incomes,
                [v if v is not None else nan for v in known],
                color="tab:blue",
                marker="o",
                markersize=3,
                label=tr("sweep.chart_burden", used),
            )
        if any(v is not None for v in lows):
            low_line = [v if v is not None else nan for v in lows]
            # No upper bound: the band reaches the top of the chart.
            high_line = [v if v is not None else ceiling * 2 for v in highs]
            ax.fill_between(
                incomes,
                low_line,
                high_line,
                color="tab:blue",
                alpha=0.15,
                label=tr("sweep.chart_bounds", used),
            )
            ax.plot(incomes, low_line, color="tab:blue", linestyle=":", linewidth=1)
            if any(v is not None for v in highs):
                ax.plot(
                    incomes,
                    [v if v is not None else nan for v in highs],
                    color="tab:blue",
                    linestyle=":",
                    linewidth=1,
                )
        # Burdens above the top of the axis: a mark at the edge with the value beside it.
        above = [(i, _label(pt)) for i, pt in zip(incomes, points, strict=True) if _top(pt) > ceiling]
        if above:
            ax.scatter(
                [i for i, _ in above],
                [ceiling] * len(above),
                marker="^",
                color="tab:blue",
                clip_on=False,
                zorder=3,
            )
            for n, (income, text) in enumerate(above):
                edge = income == incomes[0]  # at the left edge: written to the right of the mark
                # Neighbours' values one under the other, so that they do not overlap.
                ax.annotate(
                    text,
                    xy=(income, ceiling),
                    xytext=(3 if edge else 0, -14 - 11 * (n % 2)),
                    textcoords="offset points",
                    ha="left" if edge else "center",
                    fontsize=7,
                    color="tab:blue",
                    bbox=_BOX,
                )
        for n, (threshold, crossing) in enumerate(zip(result.thresholds, result.crossings, strict=True)):
            colour = _COLOURS[n % len(_COLOURS)]
            share = short_percent(threshold)
            ax.axhline(
                float(threshold) * 100,
                color=colour,
                linestyle="--",
                linewidth=1,
                label=tr("sweep.chart_threshold", used, share=share),
            )
            if crossing.income is not None and crossing.income > 0:
                ax.axvline(float(crossing.income), color=colour, linestyle=":", linewidth=1)
                ax.annotate(
                    tr("sweep.chart_crossing", used, share=share, income=money(crossing.income)),
                    xy=(float(crossing.income), float(threshold) * 100),
                    xytext=(6, 6),
                    textcoords="offset points",
                    fontsize=8,
                    color=colour,
                    bbox=_BOX,
                )
            elif crossing.income is None and crossing.income_low > 0:
                # Where the premium is unknown, the crossing lies somewhere in a band.
                right = float(crossing.income_high) if crossing.income_high is not None else incomes[-1]
                ax.axvspan(float(crossing.income_low), right, color=colour, alpha=0.08)
                high = money(crossing.income_high) if crossing.income_high is not None else "?"
                ax.annotate(
                    tr(
                        "sweep.chart_crossing_between",
                        used,
                        share=share,
                        low=money(crossing.income_low),
                        high=high,
                    ),
                    xy=(float(crossing.income_low), float(threshold) * 100),
                    xytext=(4, 6),
                    textcoords="offset points",
                    fontsize=8,
                    color=colour,
                    bbox=_BOX,
                )
        ax.set_xlim(incomes[0], incomes[-1] if incomes[-1] > incomes[0] else incomes[0] + 1)
        ax.set_ylim(0, ceiling)
        ax.set_xlabel(tr("sweep.chart_income", used))
        ax.set_ylabel(tr("chart.burden", used))
        ax.xaxis.set_major_formatter(_thousands())
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right", fontsize=8)
        # the bottom strip: the footnote (if any) and the credit line every chart carries (data
        # version, sources, date, tool), wrapped to the figure's width; the layout keeps it free
        bottom = wrap(credit_text(used, len(premium.sources)), figsize[0] - 0.2, CREDIT_SIZE)
        if above:
            bottom = wrap(tr("sweep.chart_cut", used), figsize[0] - 0.2, CREDIT_SIZE) + "\n" + bottom
        lines = bottom.count("\n") + 1
        strip = min((lines * CREDIT_SIZE * 1.45 / 72 + 0.08) / figsize[1], 0.4)
        engine = fig.get_layout_engine()
        if engine is not None and hasattr(engine, "set"):
            engine.set(rect=(0, strip, 1, 1 - strip))  # (left, bottom, width, height)
        fig.text(0.01, 0.01, bottom, fontsize=CREDIT_SIZE, color="dimgray", va="bottom", linespacing=1.3)
        save(fig, p, fmt, resolution)
    return ChartResult(path=p, format=fmt, lang=used, font=font, note=note, size=figsize, dpi=resolution)


def _top(point: SweepPoint) -> float:
    """The highest burden of a point in % (its high bound where unknown; no bound: infinite)."""
    if point.burden_ratio is not None:
        return float(point.burden_ratio) * 100
    if point.ratio_low is None:
        return 0.0
    return float(point.ratio_high) * 100 if point.ratio_high is not None else float("inf")


def _label(point: SweepPoint) -> str:
    """A burden written beside its mark: ``80%``, ``60–80%`` or ``≥60%``."""
    if point.burden_ratio is not None:
        return f"{float(point.burden_ratio) * 100:.0f}%"
    low = f"{float(point.ratio_low or 0) * 100:.0f}"
    return f"{low}–{float(point.ratio_high) * 100:.0f}%" if point.ratio_high is not None else f"≥{low}%"


def _thousands() -> object:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{x:,.0f}")
