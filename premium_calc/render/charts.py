"""Charts of :mod:`premium_calc.analyses.history` results with matplotlib (optional extra ``plot``).

``pip install "premium-calc[plot]"`` installs matplotlib; without it the functions raise
:class:`PlotUnavailableError` (a :class:`~premium_calc.errors.PremiumCalcError`, so the CLI
prints one line and exits 2). The file format follows the extension: ``.png`` or ``.svg``.

Chinese labels need a CJK font: :func:`find_cjk_font` looks for one among the fonts
matplotlib knows; if there is none, the chart is drawn with English labels (the result says
so) and no font warnings are emitted.

matplotlib is imported inside the functions, with the non-interactive ``Agg`` backend, and
only the object-oriented API is used (no pyplot global state).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analyses.history import segment_indices
from ..messages import Note, pick, tr, tr_or, uses_cjk

if TYPE_CHECKING:
    from ..analyses.comparison import Comparison
    from ..analyses.series import History
from ..errors import PlotError, PlotUnavailableError

PLOT_FORMATS = {".png": "png", ".svg": "svg"}


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
    """What was written: the file, its format, the language of its labels and the font."""

    path: Path
    format: str
    lang: str
    font: str | None
    note: str | None


def check_plot_path(path: Path | str) -> str:
    """The format for a chart file name (``png`` or ``svg``), or :class:`PlotError`."""
    p = Path(path)
    fmt = PLOT_FORMATS.get(p.suffix.lower())
    if fmt is None:
        shown = repr(p.suffix) if p.suffix else Note("error.no_extension")
        raise PlotError(Note("error.plot_format", path=p, format=shown))
    if p.parent != Path() and not p.parent.is_dir():
        raise PlotError(Note("error.plot_directory", path=p, directory=repr(str(p.parent))))
    return fmt


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailableError() from None
    matplotlib.use("Agg")
    return matplotlib


@contextmanager
def _quiet(font: str | None = None) -> Iterator[None]:
    """No findfont / missing-glyph warning spam while drawing; the CJK font (if any) first in
    the sans-serif list, for this drawing only (``rc_context``, no global change)."""
    import matplotlib

    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    rc: Any = {}
    if font is not None:
        rc = {
            "font.sans-serif": [font, *matplotlib.rcParams["font.sans-serif"]],
            "axes.unicode_minus": False,
        }
    try:
        with warnings.catch_warnings(), matplotlib.rc_context(rc):
            warnings.filterwarnings("ignore", message=".*[Gg]lyph.*")
            warnings.filterwarnings("ignore", message=".*findfont.*")
            yield
    finally:
        logger.setLevel(level)


def find_cjk_font() -> str | None:
    """The family name of an installed CJK font matplotlib can use, or None."""
    _matplotlib()
    from matplotlib import font_manager

    with _quiet():
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








def _figure() -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(10, 6.5), dpi=100, layout="constrained")


def _save(fig: Any, path: Path, fmt: str) -> None:
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
    try:
        fig.savefig(path, format=fmt, metadata=metadata)
    except OSError as exc:
        raise PlotError(Note("error.plot_write", path=path, reason=exc.strerror or exc)) from None


def plot_history(history: History, path: Path | str, lang: str = "en") -> ChartResult:
    """Premium and income indices (rebased at each income segment) and the burden line."""

    p = Path(path)
    fmt = check_plot_path(p)
    _matplotlib()
    used, font, note = _language(lang)
    with _quiet(font):
        fig = _figure()
        ax_idx, ax_burden = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        region = pick(history.region_name, used)
        fig.suptitle(tr("chart.history_title", used, region=region, start=history.start, end=history.end))
        for n, (seg, points) in enumerate(segment_indices(history)):
            years = [pt.coverage_year for pt in points]
            measure = tr_or(f"measure.{seg.income_measure}", used, str(seg.income_measure))
            ax_idx.plot(
                years,
                [float(pt.premium_index) if pt.premium_index is not None else None for pt in points],
                color="tab:red", marker="o", markersize=3,
                label=tr("chart.premium_index", used) if n == 0 else None,
            )
            ax_idx.plot(
                years,
                [float(pt.income_index) if pt.income_index is not None else None for pt in points],
                color="tab:green" if n % 2 == 0 else "tab:olive", marker="s", markersize=3,
                label=tr("chart.income_index", used, measure=measure),
            )
        for brk in history.summary.breaks:
            for ax in (ax_idx, ax_burden):
                ax.axvline(brk.coverage_year - 0.5, color="grey", linestyle="--", linewidth=1)
            ax_idx.annotate(
                tr("chart.break", used), xy=(brk.coverage_year - 0.5, 1), xycoords=("data", "axes fraction"),
                xytext=(3, -12), textcoords="offset points", fontsize=8, color="grey",
            )
        ax_idx.set_ylabel(tr("chart.index", used))
        ax_idx.legend(loc="upper left", fontsize=8)
        ax_idx.grid(alpha=0.3)
        rows = [r for r in history.rows if r.burden_ratio is not None]
        years = [r.coverage_year for r in history.rows]
        values = [
            float(r.burden_ratio) * 100 if r.burden_ratio is not None else None
            for r in history.rows
        ]
        ax_burden.plot(years, values, color="tab:blue", marker="o", markersize=3,
                       label=tr("chart.burden_line", used))
        low = [r for r in rows if r.low_confidence]
        if low:
            ax_burden.scatter(
                [r.coverage_year for r in low],
                [float(r.burden_ratio) * 100 for r in low if r.burden_ratio is not None],
                facecolors="none", edgecolors="tab:orange", s=60, label=tr("chart.low", used),
            )
        ax_burden.set_ylabel(tr("chart.burden", used))
        ax_burden.set_xlabel(tr("chart.year", used))
        ax_burden.grid(alpha=0.3)
        ax_burden.legend(loc="upper left", fontsize=8)
        _save(fig, p, fmt)
    return ChartResult(path=p, format=fmt, lang=used, font=font, note=note)


def _colour(value: Decimal | None, reference: Decimal | None) -> str:
    """Red above the national minimum's burden, grey at it, green below."""
    if value is None or reference is None or value == reference:
        return "tab:gray"
    return "tab:red" if value > reference else "tab:green"


def plot_comparison(comparison: Comparison, path: Path | str, lang: str = "en") -> ChartResult:
    """Horizontal bars of each region's burden, with the national minimum as a line."""
    p = Path(path)
    fmt = check_plot_path(p)
    _matplotlib()
    used, font, note = _language(lang)
    c = comparison
    rows = [r for r in c.rows if r.burden_ratio is not None]
    with _quiet(font):
        fig = _figure()
        fig.set_size_inches(10, max(3.0, 0.3 * len(rows) + 1.5))
        ax = fig.subplots()
        labels = [
            pick(r.region_name, used) + (" †" if r.low_confidence else "")
            for r in rows
        ]
        values = [float(r.burden_ratio) * 100 for r in rows if r.burden_ratio is not None]
        colours = [_colour(r.burden_ratio, c.national_burden_ratio) for r in rows]
        positions = list(range(len(rows)))
        ax.barh(positions, values, color=colours)
        ax.set_yticks(positions, labels, fontsize=8)
        ax.invert_yaxis()
        if c.national_burden_ratio is not None:
            ax.axvline(
                float(c.national_burden_ratio) * 100, color="tab:blue", linestyle="--",
                label=tr("chart.national_min", used, amount=c.national_minimum),
            )
            ax.legend(loc="lower right", fontsize=8)
        stat = pick(c.statistic_name, used)
        ax.set_title(tr("chart.compare_title", used, year=c.year, stat=stat))
        ax.set_xlabel(tr("chart.burden", used))
        ax.grid(axis="x", alpha=0.3)
        _save(fig, p, fmt)
    return ChartResult(path=p, format=fmt, lang=used, font=font, note=note)
