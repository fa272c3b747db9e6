"""Charts of :mod:`premium_calc.analyses.history` results with matplotlib (optional extra ``plot``).

``pip install "premium-calc[plot]"`` installs matplotlib; without it the functions raise
:class:`PlotUnavailableError` (a :class:`~premium_calc.errors.PremiumCalcError`, so the CLI
prints one line and exits 2). The file format follows the extension: ``.png``, ``.svg`` (text
kept as text) or ``.pdf``; ``dpi`` and ``size`` (inches, ``(9, 6.5)`` or ``"9x6.5"``) are
options. A notebook reproduces any chart of the command line::

    from premium_calc import RateBook, premium_series, plot_history
    plot_history(premium_series(RateBook(), "cn"), "cn.png", lang="zh", dpi=150, size=(9, 6.5))

Every chart says which region, income statistic and group it shows, carries a credit line
(rate data version, sources, date), labels its values where there are few, explains every
colour and mark in its legend, draws whole years only, leaves missing years as gaps, and starts
level axes at 0.

Chinese labels need a CJK font: :func:`find_cjk_font` looks for one among the fonts
matplotlib knows; if there is none, the chart is drawn with English labels (the result says
so) and no font warnings are emitted.

matplotlib is imported inside the functions, with the non-interactive ``Agg`` backend, and
only the object-oriented API is used (no pyplot global state).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..messages import Note, pick, tr, uses_cjk
from .chart_style import (
    DEFAULT_SIZE,
    PLOT_FORMATS,
    check_dpi,
    check_plot_path,
    credit_text,
    draw_footer,
    drawing,
    footer_height,
    legend_entries,
    matplotlib_module,
    new_figure,
    parse_size,
    save,
    set_year_axis,
    wrap,
)

if TYPE_CHECKING:
    from ..analyses.comparison import Comparison
    from ..analyses.series import History

__all__ = [
    "CJK_FONTS",
    "PLOT_FORMATS",
    "ChartResult",
    "check_plot_path",
    "find_cjk_font",
    "parse_size",
    "plot_comparison",
    "plot_history",
]


INSTALL_HINT = 'pip install "premium-calc[plot]"'


#: CJK font families tried in order (the first one matplotlib knows is used).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Songti SC",
    "Arial Unicode MS",
)


@dataclass(frozen=True)
class ChartResult:
    """What was written: the file, its format, the language of its labels, the font, a note
    on any fallback (no CJK font: English labels), and the figure's size (inches) and dpi."""

    path: Path
    format: str
    lang: str
    font: str | None
    note: str | None
    size: tuple[float, float] = DEFAULT_SIZE
    dpi: int = 150


def find_cjk_font() -> str | None:
    """The family name of an installed CJK font matplotlib can use, or None."""
    matplotlib_module()
    from matplotlib import font_manager

    with drawing():
        known = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in known:
            return name
    # Any other font whose name says it is CJK.
    for name in sorted(known):
        lower = name.lower()
        if "cjk" in lower or "hei" in lower.split() or "wenquanyi" in lower:
            return name
    return None


def _language(lang: str) -> tuple[str, str | None, str | None]:
    """The label language actually used, the font family and a note on any fallback."""
    if not uses_cjk(lang):
        return "en", None, None
    font = find_cjk_font()
    if font is None:
        return "en", None, Note("chart.no_cjk_font")
    return "zh", font, None


def year_span(start: int, end: int) -> str:
    """``2004–2027``, or one year alone."""
    return str(start) if start == end else f"{start}–{end}"


def _title(fig: Any, text: str) -> None:
    fig.suptitle(text, x=0.01, ha="left", fontsize=12, fontweight="bold")


def plot_history(
    history: History,
    path: Path | str,
    lang: str = "en",
    *,
    dpi: int | None = None,
    size: tuple[float, float] | str | None = None,
    rates_dir: Path | None = None,
) -> ChartResult:
    """A history as a chart: premium and income indices (100 at the start of each income
    measure) above, the premium as a percentage of income below, with the income-measure
    breaks, gaps, marks, a legend and the credit line (``rates_dir``: whose data version).

    ``lang`` ``"zh"`` draws Chinese labels where a CJK font is installed (else English, and
    ``ChartResult.note`` says so); ``dpi`` (PNG, default 150) and ``size`` in inches
    (default 9 x 6.5) as the command line's ``--dpi`` and ``--size``."""
    from .chart_history import draw_breaks, draw_burden, draw_indices, subtitle

    p = Path(path)
    fmt = check_plot_path(p)
    resolution = check_dpi(dpi)
    figsize = parse_size(size) or DEFAULT_SIZE
    matplotlib_module()
    used, font, note = _language(lang)
    with drawing(font):
        fig = new_figure(figsize, resolution)
        credit = credit_text(used, len(history.sources), rates_dir)
        grid = fig.add_gridspec(3, 1)
        ax_idx = fig.add_subplot(grid[0])
        ax_burden = fig.add_subplot(grid[1], sharex=ax_idx)
        ax_idx.tick_params(labelbottom=False)
        what_key = (
            "history.title_household_premium"
            if history.kind == "household"
            else "history.title_premium_per_person"
        )
        _title(
            fig,
            tr(
                "chart.history_title",
                used,
                region=pick(history.region_name, used),
                what=tr(what_key, used),
                span=year_span(history.start, history.end),
            ),
        )
        sub = wrap(subtitle(history, used), figsize[0] - 1.2, 9)
        ax_idx.set_title(sub + "\n" + tr("chart.index_panel", used), fontsize=9, linespacing=1.5)
        draw_indices(ax_idx, history, used)
        draw_burden(ax_burden, history, used)
        draw_breaks((ax_idx, ax_burden), history, used)
        set_year_axis(ax_burden, history.start, history.end, figsize[0] * 0.85)
        ax_burden.set_xlabel(tr("chart.year", used))
        handles, labels = legend_entries([ax_idx, ax_burden])
        footer = footer_height(len(handles), credit, figsize[0])
        rest = max(figsize[1] - footer - 1.3, 1.0)
        grid.set_height_ratios((rest * 0.6, rest * 0.4, footer))
        draw_footer(fig.add_subplot(grid[2]), handles, labels, credit, figsize[0])
        save(fig, p, fmt, resolution)
    return ChartResult(path=p, format=fmt, lang=used, font=font, note=note, size=figsize, dpi=resolution)


def plot_comparison(
    comparison: Comparison,
    path: Path | str,
    lang: str = "en",
    *,
    dpi: int | None = None,
    size: tuple[float, float] | str | None = None,
    rates_dir: Path | None = None,
) -> ChartResult:
    """A comparison as a chart: horizontal bars of each region's burden from 0 (heaviest
    first), coloured against the national minimum's burden, the national minimum as a line,
    the burden and premium at each bar, marks, a legend and the credit line.

    ``size`` defaults to 9 inches wide and a height that gives every region a row."""
    from .chart_compare import draw_bars, group_text, height_for

    p = Path(path)
    fmt = check_plot_path(p)
    resolution = check_dpi(dpi)
    figsize = parse_size(size) or (DEFAULT_SIZE[0], height_for(comparison))
    matplotlib_module()
    used, font, note = _language(lang)
    c = comparison
    with drawing(font):
        fig = new_figure(figsize, resolution)
        credit = credit_text(used, len(c.sources), rates_dir)
        grid = fig.add_gridspec(2, 1)
        ax = fig.add_subplot(grid[0])
        _title(fig, tr("chart.compare_title", used, year=c.year))
        income_year = c.national_income_year or c.year - 1
        sub = tr(
            f"chart.compare_subtitle_{c.income_basis}",
            used,
            stat=pick(c.statistic_name, used),
            income_year=income_year,
            group=group_text(c, used),
        )
        ax.set_title(wrap(sub, figsize[0] - 2.0, 9), fontsize=9, linespacing=1.5)
        handles = draw_bars(ax, c, used)
        footer = footer_height(len(handles), credit, figsize[0])
        grid.set_height_ratios((max(figsize[1] - footer - 1.0, 1.0), footer))
        draw_footer(fig.add_subplot(grid[1]), handles, [h.get_label() for h in handles], credit, figsize[0])
        save(fig, p, fmt, resolution)
    return ChartResult(path=p, format=fmt, lang=used, font=font, note=note, size=figsize, dpi=resolution)
