"""What every chart shares: formats, size and resolution, fonts, the year axis, gaps, the credit line.

matplotlib is imported inside the functions only (the ``Agg`` backend, object-oriented API,
settings through ``rc_context`` for one drawing, never globally).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import PlotError, PlotUnavailableError
from ..messages import Note, tr

#: File extensions and the matplotlib format they are written in.
PLOT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: Figure size in inches (width, height) and resolution of PNG files, unless given.
DEFAULT_SIZE = (9.0, 6.5)
DEFAULT_DPI = 150
SIZE_RANGE = (2.0, 40.0)
DPI_RANGE = (50, 1200)

#: Colours (matplotlib's colour-blind-safe "tab" palette) and what they mean.
PREMIUM = "tab:red"
INCOME = {"disposable": "tab:green", "net": "tab:olive", "household": "tab:cyan"}
BURDEN = "tab:blue"
LOW = "tab:orange"
BREAK = "dimgray"
GAP = "0.92"
HEAVIER, SAME, LIGHTER, NATIONAL = "tab:red", "tab:gray", "tab:green", "tab:blue"

#: Value labels are written next to every point where a series has at most this many.
FEW_POINTS = 8

#: Point size of the credit line.
CREDIT_SIZE = 7.0

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×X*,]\s*(\d+(?:\.\d+)?)\s*$")


def check_plot_path(path: Path | str) -> str:
    """The format for a chart file name (``png``, ``svg`` or ``pdf``), or :class:`PlotError`."""
    p = Path(path)
    fmt = PLOT_FORMATS.get(p.suffix.lower())
    if fmt is None:
        shown = repr(p.suffix) if p.suffix else Note("error.no_extension")
        raise PlotError(Note("error.plot_format", path=p, format=shown))
    if p.parent != Path() and not p.parent.is_dir():
        raise PlotError(Note("error.plot_directory", path=p, directory=repr(str(p.parent))))
    return fmt


def parse_size(text: str | tuple[float, float] | None) -> tuple[float, float] | None:
    """``"9x6"`` (inches; ``9×6``, ``9,6`` too) or a (width, height) pair, checked; None stays None."""
    if text is None:
        return None
    if isinstance(text, str):
        m = _SIZE.match(text)
        if m is None:
            raise PlotError(Note("error.plot_size", value=text))
        size = (float(m.group(1)), float(m.group(2)))
    else:
        size = (float(text[0]), float(text[1]))
    low, high = SIZE_RANGE
    if not all(low <= v <= high for v in size):
        raise PlotError(Note("error.plot_size", value=f"{size[0]:g}x{size[1]:g}"))
    return size


def check_dpi(dpi: int | None) -> int:
    """The resolution (``DEFAULT_DPI`` for None), or :class:`PlotError` outside 50..1200."""
    if dpi is None:
        return DEFAULT_DPI
    if not DPI_RANGE[0] <= dpi <= DPI_RANGE[1]:
        raise PlotError(Note("error.plot_dpi", value=dpi))
    return int(dpi)


def matplotlib_module() -> Any:
    """matplotlib with the non-interactive backend, or :class:`PlotUnavailableError`."""
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailableError() from None
    matplotlib.use("Agg")
    return matplotlib


@contextmanager
def drawing(font: str | None = None) -> Iterator[None]:
    """One drawing's settings: no findfont / missing-glyph warning spam, the CJK font (if any)
    first, SVG text kept as text (``svg.fonttype`` none), fonts embedded in PDF as TrueType,
    reproducible SVG ids. ``rc_context``: nothing changes globally."""
    import matplotlib

    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    rc: dict[str, Any] = {
        "svg.fonttype": "none",
        "svg.hashsalt": "premium-calc",
        "pdf.fonttype": 42,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlelocation": "left",
        "axes.titlesize": 10,
        "font.size": 9,
    }
    if font is not None:
        rc["font.sans-serif"] = [font, *matplotlib.rcParams["font.sans-serif"]]
        rc["axes.unicode_minus"] = False
    try:
        with warnings.catch_warnings(), matplotlib.rc_context(rc):  # type: ignore[arg-type]
            warnings.filterwarnings("ignore", message=".*[Gg]lyph.*")
            warnings.filterwarnings("ignore", message=".*findfont.*")
            yield
    finally:
        logger.setLevel(level)


def new_figure(size: tuple[float, float], dpi: int) -> Any:
    """A figure with constrained layout (titles, legends and the credit line never overlap)."""
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=dpi, layout="constrained")


def save(fig: Any, path: Path, fmt: str, dpi: int) -> None:
    """Write the figure; no creation date in SVG / PDF (the same chart gives the same file)."""
    metadata: dict[str, Any] = {}
    if fmt == "svg":
        metadata = {"Date": None}
    elif fmt == "pdf":
        metadata = {"CreationDate": None}
    try:
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata)
    except OSError as exc:
        raise PlotError(Note("error.plot_write", path=path, reason=exc.strerror or exc)) from None


def year_step(first: int, last: int, width: float) -> int:
    """Every year, every 2nd or every 5th, so that year labels fit the axis width (inches)."""
    fits = max(1, int(width * 2.2))  # a four-digit label every ~0.45 inch
    for step in (1, 2, 5, 10):
        if (last - first) // step + 1 <= fits:
            return step
    return 10


def year_ticks(first: int, last: int, width: float) -> list[int]:
    """Whole years between ``first`` and ``last`` (both included where the step allows)."""
    step = year_step(first, last, width)
    if step == 1:
        return list(range(first, last + 1))
    ticks = [y for y in range(first, last + 1) if y % step == 0]
    return ticks or [first]


def set_year_axis(ax: Any, first: int, last: int, width: float) -> None:
    """Integer year ticks only, within the data's years; half a year of margin either side."""
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.set_xticks(year_ticks(first, last, width))
    ax.xaxis.set_minor_locator(_null_locator())
    ax.xaxis.set_major_formatter(_year_formatter())


def _null_locator() -> Any:
    from matplotlib.ticker import NullLocator

    return NullLocator()


def _year_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{round(x)}")


def zero_based(ax: Any, values: Sequence[float], headroom: float = 1.18) -> None:
    """A level axis from 0 (never truncated), with room above the top for value labels."""
    top = max(values, default=0.0)
    ax.set_ylim(0, top * headroom if top > 0 else 1)


def runs(points: Sequence[tuple[int, float | None]]) -> list[list[tuple[int, float]]]:
    """Consecutive years with a value: a line is drawn within a run, never across a missing
    year or a missing value (the gap stays a gap)."""
    out: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for year, value in points:
        if value is None or (current and year != current[-1][0] + 1):
            if current:
                out.append(current)
            current = []
        if value is not None:
            current.append((year, value))
    if current:
        out.append(current)
    return out


def gap_years(first: int, last: int, present: set[int]) -> list[int]:
    """Years of the span without a value."""
    return [y for y in range(first, last + 1) if y not in present]


def shade_gaps(ax: Any, years: Sequence[int], label: str | None) -> None:
    """A light band over each year without data (so a gap reads as 'no data', not as zero)."""
    for n, year in enumerate(years):
        ax.axvspan(year - 0.5, year + 0.5, color=GAP, zorder=0, lw=0, label=label if n == 0 else None)


def credit_text(lang: str, sources: int, rates_dir: Path | None = None) -> str:
    """The source line: the rate data's version, how many sources, today's date, the tool."""
    from .._version import __version__
    from ..ratefiles.reading import data_version

    return tr(
        "chart.credit",
        lang,
        version=data_version(rates_dir),
        sources=sources,
        date=date.today().isoformat(),
        tool=__version__,
    )


def wrap(text: str, width: float, fontsize: float) -> str:
    """Text broken into lines that fit ``width`` inches at ``fontsize`` points (a CJK
    character counts as two Latin ones; Chinese breaks anywhere, other text at spaces)."""
    import textwrap

    cells = max(20, int(width * 72 / (fontsize * 0.56)))
    if any(ord(ch) > 0x2E80 for ch in text):
        return _wrap_cjk(text, cells)
    return "\n".join(textwrap.wrap(text, cells, break_on_hyphens=False))


def footer_height(entries: int, credit: str, width: float, columns: int = 2) -> float:
    """Inches taken by a legend of ``entries`` in ``columns`` and the wrapped credit line."""
    rows = -(-entries // columns)
    lines = wrap(credit, width - 0.2, CREDIT_SIZE).count("\n") + 1
    return rows * 0.19 + lines * CREDIT_SIZE * 1.4 / 72 + 0.12


def draw_footer(ax: Any, handles: Sequence[Any], labels: Sequence[str], credit: str, width: float) -> None:
    """An axes without axis lines holding the legend (every colour and mark, each once) and,
    under it, the credit line in small grey type, wrapped to the figure's width."""
    ax.axis("off")
    if handles:
        ax.legend(
            handles,
            labels,
            loc="upper center",
            ncols=2,
            fontsize=8,
            frameon=False,
            borderaxespad=0,
            handlelength=2.2,
        )
    text = ax.figure.text(
        0.01,
        0.005,
        wrap(credit, width - 0.2, CREDIT_SIZE),
        fontsize=CREDIT_SIZE,
        color="0.35",
        ha="left",
        va="bottom",
    )
    text.set_in_layout(False)  # its room is the footer's height; it must not narrow the axes


def legend_entries(axes: Sequence[Any], extra: Sequence[Any] = ()) -> tuple[list[Any], list[str]]:
    """The handles and labels of the axes' drawn artists (each label once) and ``extra``."""
    handles: list[Any] = []
    labels: list[str] = []
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(h)
                labels.append(label)
    for h in extra:
        handles.append(h)
        labels.append(h.get_label())
    return handles, labels


def _wrap_cjk(text: str, width: int) -> str:
    """Chinese has no spaces: cut every ``width`` half-width cells (a CJK character is two)."""
    lines, line, cells = [], "", 0
    for ch in text:
        w = 2 if ord(ch) > 0x2E80 else 1
        if cells + w > width:
            lines.append(line.rstrip())
            line, cells = "", 0
        line += ch
        cells += w
    lines.append(line)
    return "\n".join(lines)
