"""matplotlib charts: valid PNG / SVG files, language fallback, clean errors."""

from __future__ import annotations

import logging
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from premium_calc.analyses.comparison import compare_regions
from premium_calc.analyses.history import premium_series
from premium_calc.cli import app
from premium_calc.errors import PlotError, PlotUnavailableError
from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.reading import data_version
from premium_calc.render import charts
from premium_calc.render.chart_style import runs, year_ticks
from premium_calc.render.charts import check_plot_path, parse_size, plot_comparison, plot_history

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
    with pytest.raises(PlotError, match=r"unsupported chart format '\.gif'"):
        check_plot_path("chart.gif")
    assert check_plot_path("chart.pdf") == "pdf"
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


def test_svg_keeps_text_as_text_and_pdf_is_written(book: RateBook, tmp_path: Path) -> None:
    h = premium_series(book, "cn")
    plot_history(h, tmp_path / "cn.svg")
    svg = (tmp_path / "cn.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any("premium per person against income" in t for t in texts)
    assert any(data_version() in t for t in texts)  # the credit line
    assert "2004" in texts and "2026" in texts  # whole-year tick labels
    pdf = plot_history(h, tmp_path / "cn.pdf")
    assert pdf.format == "pdf" and (tmp_path / "cn.pdf").read_bytes()[:5] == b"%PDF-"


def test_dpi_and_size_set_the_pixels(book: RateBook, tmp_path: Path) -> None:
    import struct

    h = premium_series(book, "cn", start=2020)
    result = plot_history(h, tmp_path / "s.png", dpi=80, size="5x4")
    width, height = struct.unpack(">II", (tmp_path / "s.png").read_bytes()[16:24])
    assert (width, height) == (400, 320) and result.size == (5.0, 4.0) and result.dpi == 80
    with pytest.raises(PlotError, match="WIDTHxHEIGHT"):
        plot_history(h, tmp_path / "s.png", size="5")
    with pytest.raises(PlotError, match="dpi"):
        plot_history(h, tmp_path / "s.png", dpi=10)
    assert parse_size("9×6") == (9.0, 6.0) and parse_size((4, 3)) == (4.0, 3.0)


def test_chinese_labels_in_the_svg(book: RateBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: "DejaVu Sans")
    plot_history(premium_series(book, "cn/shanghai"), tmp_path / "zh.svg", lang="zh")
    svg = (tmp_path / "zh.svg").read_text(encoding="utf-8")
    assert "上海市" in svg and "待遇年度" in svg and "纯收入 → 可支配收入" in svg
    assert "† 可信度低" in svg and "数据：premium-calc 费率数据" in svg


def test_title_legend_and_value_labels(
    book: RateBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: list[Any] = []
    monkeypatch.setattr(charts, "save", lambda fig, path, fmt, dpi: kept.append(fig))
    plot_history(premium_series(book, "cn/shanghai"), tmp_path / "sh.png")
    fig = kept.pop()
    index_panel, burden_panel, footer = fig.axes
    assert "Shanghai" in fig.get_suptitle()
    subtitle = index_panel.get_title("left").replace("\n", " ")
    assert "rural residents" in subtitle and "national figure" in subtitle and "40-year-old" in subtitle
    legend = [t.get_text() for t in footer.get_legend().get_texts()]
    assert any(t.startswith("†") for t in legend) and "income measure changes" in legend
    assert any("gap" in t for t in legend)
    labels = [t.get_text() for t in burden_panel.texts]
    assert "11.59%†" in labels and "4.25%" in labels  # every point labelled: 8 years
    # A long series: first, last and highest only.
    plot_history(premium_series(book, "cn"), tmp_path / "cn.png")
    burden = kept.pop().axes[1]
    assert 2 <= len(burden.texts) <= 3


def test_national_minimum_stand_in_is_marked(
    book: RateBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from premium_calc.render.chart_compare import row_label

    c = compare_regions(book, 2025, ["cn/beijing"])
    row = c.rows[0]
    assert "≥" not in row_label(row, "en")
    monkeypatch.setattr(type(row), "national_fallback", True, raising=False)
    assert row_label(row, "en").endswith("≥")


def test_year_ticks_and_runs() -> None:
    assert year_ticks(2025, 2025, 8) == [2025]
    assert year_ticks(2022, 2026, 8) == [2022, 2023, 2024, 2025, 2026]
    ticks = year_ticks(2004, 2027, 3)
    assert all(2004 <= t <= 2027 for t in ticks) and all(t % 5 == 0 for t in ticks)
    assert runs([(2004, 1.0), (2005, None), (2006, 2.0), (2007, 3.0), (2010, 4.0)]) == [
        [(2004, 1.0)],
        [(2006, 2.0), (2007, 3.0)],
        [(2010, 4.0)],
    ]


def test_cli_dpi_and_size(tmp_path: Path) -> None:
    out = tmp_path / "c.png"
    result = runner.invoke(
        app,
        [
            "compare",
            "-y",
            "2025",
            "-r",
            "cn/beijing",
            "-r",
            "cn/xizang",
            "--plot",
            str(out),
            "--dpi",
            "60",
            "--size",
            "6x4",
            "--csv",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[16:24] == (360).to_bytes(4, "big") + (240).to_bytes(4, "big")
    result = runner.invoke(app, ["history", "--plot", str(tmp_path / "h.pdf"), "--size", "big", "--json"])
    assert result.exit_code == 2 and "WIDTHxHEIGHT" in result.stderr
