"""The regions x coverage years matrix as a terminal table and counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analyses.coverage import cell_kind
from ..messages import pick, tr, uses_cjk
from .formats import LOW_MARK, confidence_mark, year_ranges

if TYPE_CHECKING:
    from ..analyses.coverage import Coverage, CoverageCell
    from .tables import Fitted


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


def coverage_table(cov: Coverage, lang: str = "en", width: int | None = None) -> Fitted:
    """The matrix, one row per region (cities indented under provinces), fitted to the terminal.

    Region ids, years and cells are never cut: where the names and ids do not fit side by side,
    names wrap; narrower, each region's name goes above its id in one column; narrower still,
    one block per region (with more than :data:`STACK_YEARS` years the matrix is printed
    wider than the terminal instead, for the terminal to wrap). ``width``: the terminal width,
    which decides whether the cells show one letter (H/M/L) for wide year ranges; None: words.
    """
    from rich import box
    from rich.text import Text

    from .tables import Column, Fitted, Grid, Style

    n = len(cov.years)
    short = width is not None and not uses_cjk(lang) and n * (_cell_width(lang, short=False) + 3) > width - 36
    title = tr("coverage.title", lang).format(years=_span(cov.years))
    labels = [str(y) if not short else f"'{y % 100:02d}" for y in cov.years]
    years = [Column(label, justify="center", wrap=False) for label in labels]
    other = Column(tr("coverage.other", lang))
    # Region over id in one column: the cells on the id's line.
    low_years = [Column(label, justify="center", wrap=False, vertical="bottom") for label in labels]
    rows: list[list[str | Text]] = []
    merged: list[list[str | Text]] = []
    for r in cov.rows:
        cells: list[Text] = []
        for cell in r.cells:
            text, style = cell_text(cell, lang, short)
            cells.append(Text(text, style=style))
        indent = "  " * r.depth
        others = _span(r.other_years) if r.other_years else ""
        rows.append([indent + pick(r.name, lang), r.region, *cells, others])
        merged.append([f"{indent}{pick(r.name, lang)}\n{r.region}", *cells, others])
    simple = Style(box=box.SIMPLE_HEAD)
    side_by_side = Grid(
        [Column(tr("coverage.region", lang)), Column(tr("coverage.id", lang)), *years, other],
        rows,
        title=title,
        styles=(simple,),
    )
    region_over_id = f"{tr('coverage.region', lang)} / {tr('coverage.id', lang)}"
    one_column = Grid(
        [Column(region_over_id), *low_years, Column(other.header, vertical="bottom")],
        merged,
        title=title,
        styles=(simple, Style(show_edge=False, collapse_padding=True)),
    )
    return Fitted([side_by_side, one_column], fallback="stack" if n <= STACK_YEARS else "wide")


#: Up to this many years, a matrix too wide for the terminal becomes one block per region.
STACK_YEARS = 8


#: ``rates coverage --csv``: one row per region and requested coverage year. ``exists``: the
#: region has an entry for the year; ``confidence`` (empty without one) and ``low_confidence``
#: (the table's ``†``); ``inherits`` (the table's ``*``: the entry has no categories of its
#: own; empty without an entry); ``other_years``: the region's years outside the requested
#: ones, separated by spaces.
COVERAGE_COLUMNS = (
    "region",
    "name_zh",
    "name_en",
    "level",
    "parent",
    "depth",
    "year",
    "exists",
    "confidence",
    "low_confidence",
    "inherits",
    "other_years",
)


def coverage_rows(cov: Coverage) -> list[dict[str, Any]]:
    """The ``--csv`` rows of the matrix (:data:`COVERAGE_COLUMNS`; empty cells for none)."""
    rows: list[dict[str, Any]] = []
    for r in cov.rows:
        for cell in r.cells:
            values: dict[str, Any] = {
                "region": r.region,
                "name_zh": r.name.zh,
                "name_en": r.name.en,
                "level": r.level,
                "parent": r.parent,
                "depth": r.depth,
                "year": cell.year,
                "exists": cell.exists,
                "confidence": cell.confidence,
                "low_confidence": cell.confidence == "low" if cell.exists else None,
                "inherits": cell.inherits,
                "other_years": " ".join(str(y) for y in r.other_years),
            }
            rows.append({k: "" if values[k] is None else values[k] for k in COVERAGE_COLUMNS})
    return rows


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
        regions=c.regions,
        years=c.years,
        entries=c.entries,
        missing=c.missing,
        inherits=c.inherits,
        high=conf["high"],
        medium=conf["medium"],
        low=conf["low"],
        low_mark=LOW_MARK,
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
