"""Draw the chart gallery in docs/gallery/ (PNG at a modest size) with the public chart API.

    python3 tools/gallery.py            # every chart
    python3 tools/gallery.py --out DIR  # elsewhere

Chinese charts need a CJK font (Debian/Ubuntu: ``apt-get install fonts-noto-cjk``); without
one they come out in English and the script says so. Each chart is also a command line: the
README beside the charts lists them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from premium_calc import RateBook
from premium_calc.analyses.comparison import compare_regions
from premium_calc.analyses.history import household_series, premium_series
from premium_calc.presets import get_preset, load_preset
from premium_calc.render.charts import ChartResult, plot_comparison, plot_history

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "gallery"
SIZE = (8.0, 6.0)
DPI = 100
PROVINCES = ["cn/beijing", "cn/shanghai", "cn/guizhou", "cn/gansu", "cn/sichuan", "cn/yunnan", "cn/xizang"]
PRESET = "rural-family-q1"


def _preset_history(book: RateBook) -> Any:
    spec = load_preset(PRESET)
    return household_series(
        book,
        spec.region or "cn",
        spec.household(),
        statistic=get_preset(PRESET).statistic or "rural",
        description=spec.description,
    )


#: file name -> (command line, drawing)
CHARTS: dict[str, tuple[str, Callable[[RateBook, Path], ChartResult]]] = {
    "history-cn-en.png": (
        "premium-calc history --plot history-cn-en.png --size 8x6 --dpi 100",
        lambda b, p: plot_history(premium_series(b, "cn"), p, "en", dpi=DPI, size=SIZE),
    ),
    "history-cn-zh.png": (
        "premium-calc history --lang zh --plot history-cn-zh.png --size 8x6 --dpi 100",
        lambda b, p: plot_history(premium_series(b, "cn"), p, "zh", dpi=DPI, size=SIZE),
    ),
    "history-shanghai-en.png": (
        "premium-calc history -r 上海 --plot history-shanghai-en.png --size 8x6 --dpi 100",
        lambda b, p: plot_history(premium_series(b, "cn/shanghai"), p, "en", dpi=DPI, size=SIZE),
    ),
    "history-guizhou-zh.png": (
        "premium-calc history -r 贵州 --lang zh --plot history-guizhou-zh.png --size 8x6 --dpi 100",
        lambda b, p: plot_history(premium_series(b, "cn/guizhou"), p, "zh", dpi=DPI, size=SIZE),
    ),
    "history-preset-q1-en.png": (
        f"premium-calc history --preset {PRESET} --plot history-preset-q1-en.png --size 8x6 --dpi 100",
        lambda b, p: plot_history(_preset_history(b), p, "en", dpi=DPI, size=SIZE),
    ),
    "compare-2025-en.png": (
        "premium-calc compare -y 2025 "
        + " ".join(f"-r {r}" for r in PROVINCES)
        + " --plot compare-2025-en.png --dpi 100",
        lambda b, p: plot_comparison(compare_regions(b, 2025, PROVINCES), p, "en", dpi=DPI),
    ),
    "compare-2025-zh.png": (
        "premium-calc compare -y 2025 "
        + " ".join(f"-r {r}" for r in PROVINCES)
        + " --lang zh --plot compare-2025-zh.png --dpi 100",
        lambda b, p: plot_comparison(compare_regions(b, 2025, PROVINCES), p, "zh", dpi=DPI),
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    book = RateBook(use_env=False)
    for name, (_command, draw) in CHARTS.items():
        result = draw(book, args.out / name)
        print(f"{result.path}  ({result.lang}{', ' + result.note if result.note else ''})")


if __name__ == "__main__":
    main()
