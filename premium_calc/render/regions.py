"""The list of regions (``premium-calc regions``): rows for JSON and a terminal table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..messages import tr
from ..ratefiles.model import Name
from .formats import level_name, region_name, year_ranges

if TYPE_CHECKING:
    from ..ratebook.book import RateBook
    from .tables import Grid


def region_rows(book: RateBook) -> list[dict[str, Any]]:
    """One row per region: id, names, level, parent, coverage years, file (the ``--json`` rows)."""
    rows: list[dict[str, Any]] = []
    for region in book.regions():
        info = region.data.region
        rows.append(
            {
                "id": region.id,
                "name_zh": info.name.zh,
                "name_en": info.name.en,
                "level": info.level,
                "parent": info.parent,
                "years": region.years(),
                "file": str(region.path),
            }
        )
    return rows


def regions_table(book: RateBook, lang: str) -> Grid:
    """Every region with its name, level and coverage years: a boxed table where it fits the
    terminal, else without the box (names and years wrapped), else one block per region;
    ids and years are never cut."""
    from rich import box

    from .tables import Column, Grid, Style

    columns = [Column(tr(f"regions.{col}", lang)) for col in ("id", "name", "level", "years")]
    rows = []
    for row in region_rows(book):
        name = region_name(Name(zh=row["name_zh"], en=row["name_en"]), lang)
        level = level_name(str(row["level"]), lang)
        rows.append([str(row["id"]), name, level, year_ranges(list(row["years"]))])
    styles = (Style(box=box.HEAVY_HEAD, pad_edge=True), Style(box=box.SIMPLE_HEAD), Style())
    return Grid(columns, rows, title=tr("regions.title", lang), styles=styles, title_justify="center")


#: ``regions --csv``: one row per region. ``years``: its coverage years separated by spaces
#: (empty for a region without any); ``parent`` empty for the national file.
REGION_COLUMNS = ("id", "name_zh", "name_en", "level", "parent", "years", "file")


def region_csv_rows(book: RateBook) -> list[dict[str, Any]]:
    """The ``--csv`` rows (:data:`REGION_COLUMNS`)."""
    return [
        {
            **row,
            "parent": row["parent"] or "",
            "years": " ".join(str(y) for y in row["years"]),
        }
        for row in region_rows(book)
    ]
