"""matplotlib charts: valid PNG / SVG files, language fallback, clean errors."""

from __future__ import annotations

import logging
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.analyses.comparison import compare_regions
from premium_calc.analyses.history import premium_series
from premium_calc.cli import app
from premium_calc.errors import PlotError, PlotUnavailableError
from premium_calc.ratebook.book import RateBook
from premium_calc.render import charts
from premium_calc.render.charts import check_plot_path, plot_comparison, plot_history

pytest.importorskip("matplotlib")
runner = CliRunner()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def svg_root(path: Path) -> str:
    return ET.parse(path).getroot().tag


def test_history_png_and_svg(book: RateBook, tmp_path: Path) -> None:
    h = premium_series(book, "cn")
    png = plot_history(h, tmp_path / "cn.png")
    assert png.format == "png" and png.lang == "en"
    assert (tmp_path / "cn.png").read_bytes()[:8] == PNG_MAGIC
    svg = plot_history(h, tmp_path / "cn.SVG")
    assert svg.format == "svg"
    assert svg_root(tmp_path / "cn.SVG") == "{http://www.w3.org/2000/svg}svg"


def test_comparison_png(book: RateBook, tmp_path: Path) -> None:
    c = compare_regions(book, 2025, ["cn/beijing", "cn/shanghai", "cn/xizang", "cn/zhejiang/hangzhou"])
    result = plot_comparison(c, tmp_path / "c.png")
    assert result.path.read_bytes()[:8] == PNG_MAGIC


def test_chinese_without_a_cjk_font_falls_back_quietly(
    book: RateBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    h = premium_series(book, "cn", start=2020)
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        result = plot_history(h, tmp_path / "zh.png", lang="zh")
    assert result.lang == "en" and result.font is None
    assert result.note and "no Chinese (CJK) font" in result.note
    assert not caught and not caplog.records
    assert (tmp_path / "zh.png").read_bytes()[:8] == PNG_MAGIC


def test_chinese_with_a_font(book: RateBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend DejaVu Sans is the CJK font: labels are Chinese; missing glyphs raise no warnings.
    monkeypatch.setattr(charts, "find_cjk_font", lambda: "DejaVu Sans")
    h = premium_series(book, "cn", start=2020)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = plot_history(h, tmp_path / "zh.svg", lang="zh")
    assert result.lang == "zh" and result.font == "DejaVu Sans" and result.note is None
    assert not caught
    assert svg_root(tmp_path / "zh.svg").endswith("svg")


def test_find_cjk_font_returns_a_known_family_or_none() -> None:
    from matplotlib import font_manager

    found = charts.find_cjk_font()
    assert found is None or found in {f.name for f in font_manager.fontManager.ttflist}


def test_bad_paths() -> None:
    with pytest.raises(PlotError, match=r"unsupported chart format '\.pdf'"):
        check_plot_path("chart.pdf")
    with pytest.raises(PlotError, match="no extension"):
        check_plot_path("chart")
    with pytest.raises(PlotError, match="does not exist"):
        check_plot_path("/no/such/dir/chart.png")
    assert check_plot_path("chart.PNG") == "png"


def test_missing_matplotlib(book: RateBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    h = premium_series(book, "cn", start=2025)
    with pytest.raises(PlotUnavailableError, match=r'pip install "premium-calc\[plot\]"'):
        plot_history(h, tmp_path / "x.png")
    result = runner.invoke(app, ["history", "--from", "2025", "--plot", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: charts need matplotlib")
    assert 'pip install "premium-calc[plot]"' in result.stderr
    assert result.stderr.count("\n") == 1


def test_cli_plot(tmp_path: Path) -> None:
    out = tmp_path / "h.svg"
    result = runner.invoke(app, ["history", "--from", "2015", "--plot", str(out), "--json"])
    assert result.exit_code == 0
    assert svg_root(out).endswith("svg")
    assert f"chart: {out}" in result.stderr
    png = tmp_path / "c.png"
    result = runner.invoke(app, ["compare", "--year", "2025", "--all", "--plot", str(png), "--csv"])
    assert result.exit_code == 0
    assert png.read_bytes()[:8] == PNG_MAGIC


def test_cli_plot_bad_extension_before_any_work(tmp_path: Path) -> None:
    result = runner.invoke(app, ["history", "--plot", str(tmp_path / "h.gif")])
    assert result.exit_code == 2
    assert "unsupported chart format '.gif'" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "h.gif").exists()
