"""The axes of every region's history chart: whole years within the data, no line across a
missing year or an income-measure break, level axes from 0, a title naming the region.

The charts are drawn by the real code; only the file writing is skipped (the figure is kept
for inspection), so the check over all regions stays fast.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from premium_calc.analyses.comparison import compare_regions, regions_with_year
from premium_calc.analyses.history import premium_series
from premium_calc.analyses.series import History
from premium_calc.messages import pick
from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.reading import data_version

pytest.importorskip("matplotlib")

from premium_calc.render import charts
from premium_calc.render.chart_history import SERIES_GID

SMALL = (4.0, 3.0)


@pytest.fixture()
def figures(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Figures drawn by plot_history / plot_comparison, kept instead of written."""
    kept: list[Any] = []
    monkeypatch.setattr(charts, "save", lambda fig, path, fmt, dpi: kept.append(fig))
    return kept


def regions_with_data(book: RateBook) -> list[str]:
    return [r for r in book.region_ids() if book.years(r)]


def data_axes(fig: Any) -> list[Any]:
    """The panels with data (the footer axes holding the legend has no axis)."""
    return [ax for ax in fig.axes if ax.axison]


def series_lines(ax: Any) -> list[Any]:
    return [line for line in ax.get_lines() if line.get_gid() == SERIES_GID]


def axis_problems(history: History, fig: Any) -> list[str]:
    """Everything wrong with the chart's axes (empty: fit to publish)."""
    problems: list[str] = []
    years = {r.coverage_year for r in history.rows}
    first, last = min(years), max(years)
    breaks = [b.coverage_year - 0.5 for b in history.summary.breaks]
    for n, ax in enumerate(data_axes(fig)):
        ticks = list(ax.get_xticks())
        if not ticks:
            problems.append(f"panel {n}: no year ticks")
        for t in ticks:
            if t != int(t) or not first <= t <= last:
                problems.append(f"panel {n}: tick {t} is not a whole year in {first}-{last}")
        low, high = ax.get_xlim()
        if not (first - 1 < low < first and last < high < last + 1):
            problems.append(f"panel {n}: x range {low}-{high} is not the data's {first}-{last}")
        if ax.get_ylim()[0] != 0:
            problems.append(f"panel {n}: level axis starts at {ax.get_ylim()[0]}, not 0")
        for line in series_lines(ax):
            xs = [float(x) for x in line.get_xdata()]
            for x in xs:
                if x not in years:
                    problems.append(f"panel {n}: point at {x}, not a year of the data")
            for x0, x1 in itertools.pairwise(xs):
                if x1 - x0 != 1:
                    problems.append(f"panel {n}: a line bridges {x0}-{x1} (a missing year)")
                problems += [
                    f"panel {n}: a line crosses the break at {b} ({x0}-{x1})" for b in breaks if x0 < b < x1
                ]
    return problems


def test_every_region_s_history_chart_has_honest_axes(
    book: RateBook, figures: list[Any], tmp_path: Path
) -> None:
    regions = regions_with_data(book)
    assert len(regions) >= 40  # the bundled data: cn, 31 provinces less a few, cities
    problems: dict[str, list[str]] = {}
    lines = breaks = 0
    for region in regions:
        history = premium_series(book, region)
        charts.plot_history(history, tmp_path / "h.png", size=SMALL, dpi=50)
        fig = figures.pop()
        found = axis_problems(history, fig)
        if found:
            problems[region] = found
        lines += sum(len(series_lines(ax)) for ax in data_axes(fig))
        breaks += len(history.summary.breaks)
        title = fig.get_suptitle()
        assert pick(history.region_name, "en") in title and str(history.start) in title, region
        fig.clear()
    assert not problems, problems
    assert lines >= 2 * len(regions)  # every region draws its premium, income and burden
    assert breaks >= 2  # the national series and Shanghai cross the 2013 survey reform


def test_a_missing_year_and_the_break_split_the_lines(
    book: RateBook, figures: list[Any], tmp_path: Path
) -> None:
    history = premium_series(book, "cn")
    missing_income = set(history.summary.missing_income_years)
    assert missing_income and history.summary.breaks
    charts.plot_history(history, tmp_path / "cn.png", size=SMALL, dpi=50)
    index_panel, burden_panel = data_axes(figures.pop())
    drawn = {float(x) for line in series_lines(burden_panel) for x in line.get_xdata()}
    assert drawn.isdisjoint(missing_income)
    inside = [y for y in missing_income if min(drawn) < y < max(drawn)]
    breaks = len(history.summary.breaks)
    assert inside and len(series_lines(burden_panel)) == len(inside) + breaks + 1  # runs between gaps, breaks
    brk = history.summary.breaks[0].coverage_year
    premium_runs = [
        [float(x) for x in line.get_xdata()]
        for line in series_lines(index_panel)
        if line.get_color() == "tab:red"
    ]
    assert any(run[-1] == brk - 1 for run in premium_runs) and any(run[0] == brk for run in premium_runs)


def test_shanghai_break_sits_between_the_two_measures(
    book: RateBook, figures: list[Any], tmp_path: Path
) -> None:
    history = premium_series(book, "cn/shanghai")
    (brk,) = history.summary.breaks
    old = [r.coverage_year for r in history.rows if r.income_measure == brk.from_measure]
    new = [r.coverage_year for r in history.rows if r.income_measure == brk.to_measure]
    charts.plot_history(history, tmp_path / "sh.png", size=SMALL, dpi=50)
    for ax in data_axes(figures.pop()):
        marks = [line.get_xdata()[0] for line in ax.get_lines() if line.get_gid() != SERIES_GID]
        assert any(max(old) < x < min(new) for x in marks)


def test_comparison_bars_start_at_zero_and_name_every_region(
    book: RateBook, figures: list[Any], tmp_path: Path
) -> None:
    regions = regions_with_year(book, 2025)
    c = compare_regions(book, 2025, regions)
    charts.plot_comparison(c, tmp_path / "c.png", dpi=50)
    fig = figures.pop()
    (ax,) = data_axes(fig)
    assert ax.get_xlim()[0] == 0
    assert all(bar.get_x() == 0 for bar in ax.patches)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(c.rows)
    for row, label in zip(c.rows, labels, strict=True):
        assert label.startswith(pick(row.region_name, "en"))
        assert ("†" in label) == row.low_confidence
    assert any(data_version() in t.get_text() for t in fig.texts)
