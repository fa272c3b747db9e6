"""An income sweep (``premium-calc sweep``) as text: a summary of what the household pays and
where it crosses each burden threshold, a rich table with terminal bars, and CSV rows. Nothing
here prints.

Where what the household pays is unknown, amounts and burdens are shown as bounds with the
unknown mark (``1,200–1,600?``, ``6.00–8.00%?``), never as 0 or the full price.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..household.members import spec_text
from ..messages import labelled, pick, tr, uses_cjk
from ..units import money, percent, short_percent
from .assessment import HEADLINE_NOTES, sources_text
from .formats import LOW_MARK, UNKNOWN_MARK, bar, range_text, say, yuan_text
from .paragraph import Paragraph

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.sweep import SweepCrossing, SweepPoint, SweepResult

#: Cells of the widest burden bar.
SWEEP_BAR_WIDTH = 24

#: The bars end at this multiple of the highest threshold (30% for 5%,10%).
BAR_MULTIPLE = Decimal(3)

#: The end of a bar cut at the top of the scale.
CUT_MARK = "→"

#: The part of a bar between the low and the high bound of an unknown burden.
LIGHT_BLOCK = "░"


def _paid(point: SweepPoint, lang: str) -> str:
    if point.paid is not None:
        return money(point.paid)
    return range_text(point.paid_low, point.paid_high, lang) + UNKNOWN_MARK


def _ratio(point: SweepPoint, lang: str) -> str:
    if point.burden_ratio is not None:
        return percent(point.burden_ratio)
    if point.ratio_low is None:
        return "-"
    if point.ratio_high is None:
        return "≥" + percent(point.ratio_low) + UNKNOWN_MARK
    return f"{percent(point.ratio_low)[:-1]}–{percent(point.ratio_high)}{UNKNOWN_MARK}"


def _above(value: bool | None, lang: str) -> str:
    if value is None:
        return UNKNOWN_MARK
    return tr("sweep.yes", lang) if value else tr("sweep.no", lang)


def crossing_text(crossing: SweepCrossing, lang: str, *, at_least: bool = False) -> str:
    """One sentence: below which income the premium is more than the threshold of income.
    ``at_least``: the premium is the national minimum standing in for the local one, so the
    crossing is at least this income (``≥``)."""
    share = short_percent(crossing.threshold)
    if crossing.income is not None:
        if crossing.income == 0:
            return tr("sweep.crossing_never", lang, share=share)
        income = yuan_text(crossing.income, lang)
        if at_least:
            return tr("sweep.crossing_floor", lang, share=share, income=income)
        return tr("sweep.crossing", lang, share=share, income=income)
    low = yuan_text(crossing.income_low, lang)
    if crossing.income_high is None:
        return tr("sweep.crossing_at_least", lang, share=share, low=low)
    high = yuan_text(crossing.income_high, lang)
    return tr("sweep.crossing_between", lang, share=share, low=low, high=high)


def _where(result: SweepResult, lang: str) -> str:
    """``毕节市`` / ``Bijie (cn/guizhou/bijie)``, or the place asked for with whose standard."""
    premium = result.premium
    name = pick(result.region_name, lang)
    where = name if uses_cjk(lang) else f"{name} ({result.region})"
    if premium.place is not None:
        where = tr(
            "calc.place_title", lang, place=premium.place.name, code=premium.place.code, standard=where
        )
    return where


def summary_lines(result: SweepResult, lang: str) -> list[str]:
    """What the household pays (the same at every income today), then each crossing."""
    premium = result.premium
    size = result.household_size
    year = result.coverage_year
    if premium.total_paid is not None and premium.national_fallback:
        pays = tr("sweep.summary_pays_floor", lang, size=size, year=year, paid=money(premium.total_paid))
    elif premium.total_paid is not None:
        pays = tr("sweep.summary_pays", lang, size=size, year=year, paid=money(premium.total_paid))
    else:
        pays = tr(
            "sweep.summary_pays_between",
            lang,
            size=size,
            year=result.coverage_year,
            paid=range_text(premium.total_paid_low, premium.total_paid_high, lang) + UNKNOWN_MARK,
        )
    low = any(m.confidence == "low" for m in premium.members)
    lines = [pays + (f" {LOW_MARK}" if low else "")]
    lines.extend(crossing_text(c, lang, at_least=premium.national_fallback) for c in result.crossings)
    return lines


def _markers(result: SweepResult, lang: str) -> list[tuple[Decimal, str]]:
    """The lines drawn into the table where a threshold is crossed, by income: one at the exact
    income, or, where the premium is unknown, one at each end of where the crossing may lie."""
    out: list[tuple[Decimal, str]] = []
    for c in result.crossings:
        share = short_percent(c.threshold)
        if c.income is not None:
            if c.income > 0:
                out.append((c.income, tr("sweep.line", lang, share=share)))
            continue
        if c.income_low > 0:
            out.append((c.income_low, tr("sweep.line_lowest", lang, share=share)))
        if c.income_high is not None and c.income_high > 0:
            out.append((c.income_high, tr("sweep.line_highest", lang, share=share)))
    return sorted(out, key=lambda m: m[0])


def _bar(point: SweepPoint, top: Decimal, width: int) -> tuple[str, bool]:
    """The bar of a point's burden (scale ``0..top`` over ``width`` cells), and whether it was
    cut at the end of the scale. An unknown burden: solid to its low bound, light to its high
    bound (to the end where there is none), and the unknown mark."""
    if top <= 0:
        return "", False
    low = point.burden_ratio if point.burden_ratio is not None else point.ratio_low
    if low is None:
        return "", False
    known = point.burden_ratio is not None
    if not known:
        width -= 1  # the unknown mark
    shown = bar(low, top, width)
    cut = low > top
    if not known:
        high = point.ratio_high
        reach = width if high is None or high > top else math.ceil(float(high / top) * width)
        shown += LIGHT_BLOCK * max(1 if high is None or high > low else 0, reach - len(shown))
        shown = shown[:width]
        cut = high is None or high > top
    if cut:
        shown = shown[: width - 1] + CUT_MARK
    return shown + (UNKNOWN_MARK if point.burden_ratio is None else ""), cut


def _columns(result: SweepResult, lang: str) -> list[tuple[str, str, list[str]]]:
    """(key, header, cells per point) of the columns before the bar."""
    points = result.points
    # The national minimum standing in for a local standard: the local amount is at least it.
    floor = "≥" if result.premium.national_fallback and result.premium.total_paid is not None else ""
    columns = [
        ("income", tr("sweep.income", lang), [money(p.income) for p in points]),
        ("per_capita", tr("sweep.per_capita", lang), [money(p.income_per_capita) for p in points]),
        ("paid", tr("sweep.paid", lang), [floor + _paid(p, lang) for p in points]),
        (
            "share",
            tr("sweep.share", lang),
            [(floor if p.burden_ratio is not None else "") + _ratio(p, lang) for p in points],
        ),
    ]
    if any(p.days_of_work is not None for p in points):
        days = [money(p.days_of_work) if p.days_of_work is not None else "-" for p in points]
        columns.append(("days", tr("sweep.days", lang), days))
    return columns


def _fit(
    columns: list[tuple[str, str, list[str]]], after: list[str], labels: list[str], width: int | None
) -> tuple[list[tuple[str, str, list[str]]], int]:
    """The columns that fit a console ``width`` wide (income per person is left out first),
    and the cells left for the bars (at most :data:`SWEEP_BAR_WIDTH`, at least 8 and the
    longest line label)."""
    from rich.cells import cell_len

    least = max([8, *(cell_len(label) for label in labels)])
    if width is None:
        return columns, max(least, SWEEP_BAR_WIDTH)

    def used(cols: list[tuple[str, str, list[str]]]) -> int:
        cells = sum(max(cell_len(c) for c in [header, *values]) + 3 for _, header, values in cols)
        return cells + sum(cell_len(h) + 3 for h in after) + 3 + 1  # the bar's padding, the last border

    if used(columns) + least > width:
        columns = [c for c in columns if c[0] != "per_capita"]
    return columns, max(least, min(SWEEP_BAR_WIDTH, width - used(columns)))


def sweep_table(result: SweepResult, lang: str = "en", *, width: int | None = None) -> RenderableType:
    """A rich renderable: the summary, one row per income (with a bar of the burden and a line
    where each threshold is crossed), the notes and the sources. ``width``: the console's; the
    bars fit in it and, where it is narrow, income per person is left out."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    premium = result.premium
    members = tr("calc.list_separator", lang).join(spec_text(m.member, lang) for m in premium.members)
    first, last = result.points[0].income, result.points[-1].income
    title = tr(
        "sweep.title",
        lang,
        where=_where(result, lang),
        year=result.coverage_year,
        start=money(first),
        stop=money(last),
    )
    table = Table(
        title=title,
        title_justify="left",
        caption=tr("sweep.members", lang, members=members),
        caption_justify="left",
    )
    above_headers = [tr("sweep.above", lang, share=short_percent(t)) for t in result.thresholds]
    markers = _markers(result, lang)
    columns, bar_width = _fit(_columns(result, lang), above_headers, [m[1] for m in markers], width)
    for _, header, _ in columns:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column(tr("sweep.bar", lang), no_wrap=True, min_width=bar_width)
    for header in above_headers:
        table.add_column(header, justify="center", no_wrap=True)
    top = max(
        (p.burden_ratio if p.burden_ratio is not None else p.ratio_high or p.ratio_low or Decimal(0))
        for p in result.points
    )
    # The burden of the lowest incomes dwarfs the thresholds: the bars end at a few times the
    # highest threshold, and a longer one is drawn full with an arrow.
    if result.thresholds:
        top = min(top, max(result.thresholds) * BAR_MULTIPLE)
    cut = False

    def marker(income: Decimal, label: str) -> None:
        floor = "≥" if result.premium.national_fallback else ""  # the local premium may be higher
        cells = [floor + money(income) if key == "income" else "" for key, _, _ in columns]
        table.add_row(*cells, label, *([""] * len(result.thresholds)), style="bold yellow")

    pending = list(markers)
    for n, point in enumerate(result.points):
        while pending and pending[0][0] <= point.income:
            marker(*pending.pop(0))
        style = "red" if point.above[-1:] == [True] else ("yellow" if True in point.above else "green")
        if point.burden_ratio is None:
            style = "yellow"
        shown, cut_here = _bar(point, top, bar_width)
        cut = cut or cut_here
        cells: list[str | Text] = [
            Text(values[n], style=style) if key == "share" else values[n] for key, _, values in columns
        ]
        table.add_row(*cells, Text(shown, style=style), *(_above(a, lang) for a in point.above))
    for income, label in pending:
        marker(income, label)
    lines: list[RenderableType] = [Paragraph(line) for line in summary_lines(result, lang)]
    for note in result.notes:
        if getattr(note, "key", None) in HEADLINE_NOTES:
            lines.append(Paragraph(say(note, lang), style="bold yellow"))
    lines.append(table)
    facts: list[RenderableType] = []
    if cut:
        facts.append(
            Paragraph(tr("sweep.bar_cut", lang, top=short_percent(top)), prefix=f"{CUT_MARK} ", style="dim")
        )
    if any(p.burden_ratio is None and p.ratio_low is not None for p in result.points):
        facts.append(Paragraph(tr("sweep.bar_unknown", lang), prefix=f"{LIGHT_BLOCK} ", style="dim"))
    note_prefix = labelled("calc.note", lang)
    for point in result.points:
        if point.reason is not None:
            facts.append(Paragraph(say(point.reason, lang), prefix=note_prefix, style="yellow"))
            break
    for note in result.notes:
        if getattr(note, "key", None) not in HEADLINE_NOTES:
            facts.append(Paragraph(say(note, lang), prefix=note_prefix, style="dim"))
    facts.append(Paragraph(tr("sweep.rounding", lang), prefix=note_prefix, style="dim"))
    lines.append(Group(*facts, Text("")))
    any_low = any(m.confidence == "low" for m in premium.members)
    lines.append(sources_text(premium.sources, lang, any_low))
    return Group(*lines)


def sweep_columns(result: SweepResult) -> list[str]:
    """The CSV columns: the place, the income, what is paid (or its bounds), the burden (or its
    bounds) and one ``above_5%`` column per threshold (``true``, ``false`` or empty: unknown)."""
    return [
        "region",
        "coverage_year",
        "income",
        "income_per_capita",
        "paid",
        "paid_low",
        "paid_high",
        "burden_ratio",
        "ratio_low",
        "ratio_high",
        "days_of_work",
        *(f"above_{short_percent(t)}" for t in result.thresholds),
    ]


def sweep_rows(result: SweepResult) -> list[dict[str, Any]]:
    """One CSV row per income (exact decimal strings; empty where a value is not known)."""

    def cell(value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return value

    rows: list[dict[str, Any]] = []
    for p in result.points:
        row: dict[str, Any] = {
            "region": result.region,
            "coverage_year": result.coverage_year,
            "income": p.income,
            "income_per_capita": p.income_per_capita,
            "paid": cell(p.paid),
            "paid_low": p.paid_low,
            "paid_high": cell(p.paid_high),
            "burden_ratio": cell(p.burden_ratio),
            "ratio_low": cell(p.ratio_low),
            "ratio_high": cell(p.ratio_high),
            "days_of_work": cell(p.days_of_work),
        }
        for t, above in zip(result.thresholds, p.above, strict=True):
            row[f"above_{short_percent(t)}"] = cell(above)
        rows.append(row)
    return rows
