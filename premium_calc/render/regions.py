"""The list of regions (``premium-calc regions``): rows for JSON and a terminal table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..messages import tr
from ..ratefiles.model import Name
from .formats import level_name, region_name, year_ranges

if TYPE_CHECKING:
    from rich.table import Table

    from ..ratebook.book import RateBook


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


def regions_table(book: RateBook, lang: str) -> Table:
    from rich.table import Table


    table = Table(title=tr("regions.title", lang))
    for col in ("id", "name", "level", "years"):
        table.add_column(tr(f"regions.{col}", lang))
    for row in region_rows(book):
        name = region_name(Name(zh=row["name_zh"], en=row["name_en"]), lang)
        level = level_name(str(row["level"]), lang)
        table.add_row(str(row["id"]), name, level, year_ranges(list(row["years"])))
    return table
