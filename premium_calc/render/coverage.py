"""The regions x coverage years matrix as a terminal table and counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analyses.coverage import cell_kind
from ..messages import pick, tr, uses_cjk
from .formats import LOW_MARK, confidence_mark, year_ranges

if TYPE_CHECKING:
    from ..analyses.coverage import Coverage, CoverageCell




_STYLES = {"high": "green", "medium": "yellow", "low": "red", "none": "dim"}


NONE_MARK = "·"


INHERITS_MARK = "*"




def _span(years: list[int]) -> str:

    return year_ranges(years)


def cell_text(cell: CoverageCell, lang: str, short: bool = False) -> tuple[str, str]:
    """The text and style of one matrix cell: confidence (low with the low mark), ``·`` for
    no entry, ``*`` after an entry that only inherits its parent's amounts. ``short``: one
    letter (H/M/L) instead of the word, for wide year ranges."""

    kind = cell_kind(cell)
    if kind == "none":
        return NONE_MARK, _STYLES["none"]
    label = tr(f"coverage.{kind}", lang)
    if short and not uses_cjk(lang):
        label = label[0].upper()
    text = label + confidence_mark(kind)
    if cell.inherits:
        text += INHERITS_MARK
    return text, _STYLES[kind]


def coverage_table(cov: Coverage, lang: str = "en", width: int | None = None) -> Any:
    """The matrix as a rich table: one line per region, cities indented under provinces.

    ``width``: the terminal width to fit (names and ids are cut with an ellipsis, year cells
    never; with many years the cells show one letter). None: natural widths.
    """
    from rich import box
    from rich.table import Table

    names = ["  " * r.depth + pick(r.name, lang) for r in cov.rows]
    others = [_span(r.other_years) if r.other_years else "" for r in cov.rows]
    short = False
    cell_w = _cell_width(lang, short=False)
    name_w: int | None = None
    id_w: int | None = None
    other_w: int | None = None
    total: int | None = None
    if width is not None:
        n = len(cov.years)
        if not uses_cjk(lang) and n * (cell_w + 3) > width - 36:
            short, cell_w = True, _cell_width(lang, short=True)
        year_w = max(cell_w, 3 if short else 4)
        other_w = max(min(max((len(o) for o in others), default=0), 12), _cells(tr("coverage.other", lang)))
        # SIMPLE_HEAD, no edge padding: each column takes its width + 3, less 1 for the table.
        fixed = n * year_w + other_w + 3 * (n + 3) - 1
        natural_name = max(_cells(x) for x in names)
        natural_id = max(len(r.region) for r in cov.rows)
        rest = width - fixed
        if natural_name + natural_id <= rest:
            name_w, id_w = natural_name, natural_id
        else:
            id_w = max(min(natural_id, rest // 2), 8)
            name_w = max(rest - id_w, 8)
        total = fixed + name_w + id_w
    table = Table(
        title=tr("coverage.title", lang).format(years=_span(cov.years)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        width=total,
    )
    table.add_column(tr("coverage.region", lang), no_wrap=True, overflow="ellipsis", width=name_w)
    table.add_column(tr("coverage.id", lang), no_wrap=True, overflow="ellipsis", width=id_w)
    for year in cov.years:
        label = str(year) if not short else f"'{year % 100:02d}"
        table.add_column(label, no_wrap=True, justify="center", min_width=max(cell_w, len(label)))
    table.add_column(tr("coverage.other", lang), no_wrap=True, overflow="ellipsis", width=other_w)
    for row, name, other in zip(cov.rows, names, others, strict=True):
        cells = []
        for cell in row.cells:
            text, style = cell_text(cell, lang, short)
            cells.append(f"[{style}]{text}[/{style}]")
        table.add_row(name, row.region, *cells, other)
    return table


def _cell_width(lang: str, short: bool) -> int:
    """The widest cell text: a label with the low mark and the inherits mark."""

    labels = [tr(f"coverage.{k}", lang) for k in ("high", "medium", "low")]
    if short and not uses_cjk(lang):
        labels = [x[0].upper() for x in labels]
    return max(_cells(x) for x in labels) + len(LOW_MARK) + len(INHERITS_MARK)


def _cells(text: str) -> int:
    """Terminal cells a text takes (CJK characters take two)."""
    from rich.cells import cell_len

    return cell_len(text)


def counts_text(cov: Coverage, lang: str = "en") -> Any:
    """The counts under the matrix, and the legend."""
    from rich.text import Text


    c = cov.counts
    span = _span(cov.years)
    conf = c.by_confidence
    by_year = ", ".join(f"{y} {n}" for y, n in c.by_year.items())
    out = Text()
    fields = dict(
        regions=c.regions, years=c.years, entries=c.entries, missing=c.missing, inherits=c.inherits,
        high=conf["high"], medium=conf["medium"], low=conf["low"], low_mark=LOW_MARK,
        inherits_mark=INHERITS_MARK,
    )
    out.append(tr("coverage.counts", lang, **fields) + "\n")
    out.append(tr("coverage.by_year", lang, by_year=by_year) + "\n")
    out.append(tr("coverage.no_entry_in", lang, span=span, count=len(c.regions_without_years)))
    out.append(", ".join(c.regions_without_years) or tr("coverage.none", lang))
    out.append("\n" + tr("coverage.no_year_at_all", lang, count=len(c.regions_without_any_year)))
    out.append(", ".join(c.regions_without_any_year) or tr("coverage.none", lang))
    out.append("\n" + tr("coverage.legend", lang, none_mark=NONE_MARK, inherits_mark=INHERITS_MARK) + "\n")
    if conf["low"]:
        out.append(f"{LOW_MARK} {tr('calc.low_note', lang)}\n", style="yellow")
    return out
