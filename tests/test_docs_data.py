"""The parts of the docs that come from the data are regenerated, not typed: they match it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "docs_data.py"


def _tool():  # type: ignore[no-untyped-def]
    if not TOOL.is_file():  # pragma: no cover - an installed package has no tools/
        pytest.skip("tools/docs_data.py is not in this tree")
    spec = importlib.util.spec_from_file_location("docs_data", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("doc", ["docs/data.md", "README.md"])
def test_generated_parts_match_the_data(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert _tool().regenerate(text) == text, f"{doc} is stale: run python3 tools/docs_data.py"


def test_the_coverage_part_counts_what_the_files_hold() -> None:
    from premium_calc import RateBook, data_version
    from premium_calc.analyses.coverage import coverage

    part = _tool().coverage_part()
    book = RateBook(use_env=False)
    cov = coverage(book, range(2024, 2027))
    assert part.startswith(f"Rate data {data_version()} ")
    assert part.count("\n| ") == len(cov.rows) + 1  # the heading row and one row per region
    assert f"{cov.counts.regions} regions x 3 years" in part
    assert "| Bijie 毕节市 | `cn/guizhou/bijie` |" in part.replace("&nbsp;", "")
