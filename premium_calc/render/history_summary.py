"""The summary of a history as text and as CSV rows (see :mod:`.history` for the table).

Premium and income growth always go together over the same years, and the years are labelled:
without a break one line each and the gap; across the 2013 income-measure break premium growth
over the span with income "not comparable across the break" and the comparison per segment;
with the opt-in chained income index one line "premium xN vs income xM since Y (income chained
at 2014: net -> disposable; a statistical link, not a measured series)". In the policy-year view
the years are the notice years. Nothing here prints.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..messages import labelled, tr, tr_or
from ..units import money, percent
from .formats import BREAK_MARK, multiple_text

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.series import History, Segment, SeriesBreak

#: The mark of a figure that rests on the chained income index (a statistical link).
CHAIN_MARK = "~"


def measure_text(measure: str | None, lang: str) -> str:
    """The short name of an income measure (net, disposable, the household's own)."""
    if measure is None:
        return "-"
    return tr_or(f"measure_short.{measure}", lang, measure)


def shown_year(history: History, coverage_year: int | None) -> int | None:
    """The year a row is shown under: its coverage year, or in the policy-year view its policy
    (notice) year."""
    if coverage_year is None or history.view != "policy_year":
        return coverage_year
    for row in history.rows:
        if row.coverage_year == coverage_year:
            return row.policy_year if row.policy_year is not None else coverage_year - 1
    return coverage_year - 1


def span_text(history: History, first: int | None, last: int | None, lang: str) -> str:
    """``2004->2026`` (coverage years) or, in the policy-year view, ``2003->2025年通知``."""
    a, b = shown_year(history, first), shown_year(history, last)
    if history.view == "policy_year":
        return tr("history.span_policy", lang, first=a, last=b)
    return f"{a}->{b}"


def _growth_line(
    history: History,
    label: str,
    first: Decimal | None,
    last: Decimal | None,
    y0: int | None,
    y1: int | None,
    mult: Decimal | None,
    rate: Decimal | None,
    lang: str,
) -> str:
    if y0 is not None and y0 == y1:
        one = tr("history.one_year", lang, amount=money(first), year=shown_year(history, y0))
        return f"  {label}: {one}"
    if mult is None or y0 is None or y1 is None:
        return f"  {label}: -"
    cagr = percent(rate) if rate is not None else "-"
    return (
        f"  {label}: {money(first)} -> {money(last)} ({span_text(history, y0, y1, lang)}):"
        f" {multiple_text(mult, lang)}, {tr('history.cagr', lang)} {cagr}"
    )


def _gap(value: Decimal, lang: str) -> str:
    return f"{tr('history.gap', lang)} {value:+.2f} {tr('history.pp_year', lang)}"


def segment_head(history: History, seg: Segment, lang: str) -> str:
    """``分段 1：待遇年度 2004-2014（收入年份 2003-2013），纯收入 (cn)``."""
    years = tr(
        "history.segment_years",
        lang,
        first=shown_year(history, seg.first_year),
        last=shown_year(history, seg.last_year),
        income_first=seg.first_year - 1,
        income_last=seg.last_year - 1,
        basis=tr(f"history.basis_{history.view}", lang),
    )
    return (
        f"  {tr('history.segment', lang)} {seg.index + 1}: {years},"
        f" {measure_text(seg.income_measure, lang)} ({seg.income_region or '-'})"
    )


def summary_text(history: History, lang: str = "en") -> RenderableType:
    """The summary: growth of premium and income over the same labelled span, per segment
    across a break, the chained comparison (opt-in), the individual share of funding, the
    heaviest year."""
    from rich.text import Text

    s = history.summary
    out = Text()
    out.append(f"{tr('history.summary', lang)} ({tr(f'history.basis_{history.view}', lang)})\n", style="bold")
    out.append(
        _growth_line(
            history,
            tr("history.premium_growth", lang),
            s.premium_first,
            s.premium_last,
            s.premium_first_year,
            s.premium_last_year,
            s.premium_multiple,
            s.premium_cagr,
            lang,
        )
        + "\n"
    )
    if not s.series_break:
        out.append(
            _growth_line(
                history,
                tr("history.income_growth", lang),
                s.income_first,
                s.income_last,
                s.income_first_year,
                s.income_last_year,
                s.income_multiple,
                s.income_cagr,
                lang,
            )
            + "\n"
        )
        seg0 = s.segments[0] if s.segments else None
        compare = (s.compare_first_year, s.compare_last_year)
        compare_span = span_text(history, *compare, lang)
        spans_differ = compare != (s.premium_first_year, s.premium_last_year)
        if seg0 is not None and seg0.premium_multiple is not None and spans_differ:
            out.append(
                f"  {tr('history.same_span', lang)} ({compare_span}):"
                f" {tr('history.premium_w', lang)} {multiple_text(seg0.premium_multiple, lang)},"
                f" {tr('history.income', lang)} {multiple_text(seg0.income_multiple, lang)}\n"
            )
        if s.gap_pp_per_year is not None:
            out.append(
                f"  {tr('history.gap', lang)} ({compare_span}):"
                f" {s.gap_pp_per_year:+.2f} {tr('history.pp_year', lang)}\n",
                style="bold red" if s.gap_pp_per_year > 0 else "bold green",
            )
    else:
        first_break = s.breaks[0] if s.breaks else None
        if first_break is not None:
            out.append(
                "  "
                + tr(
                    "history.income_not_comparable",
                    lang,
                    income_year=first_break.income_year,
                    from_name=tr_or(f"measure.{first_break.from_measure}", lang, first_break.from_measure),
                    to_name=tr_or(f"measure.{first_break.to_measure}", lang, first_break.to_measure),
                )
                + ("" if history.chain_income else tr("history.chain_hint", lang))
                + "\n",
                style="yellow",
            )
        _segments(out, history, lang)
        for brk in s.breaks:
            out.append(f"  {BREAK_MARK} {break_text(brk, lang)}\n", style="yellow")
    _chained(out, history, lang)
    if s.individual_share_first is not None and s.individual_share_first_year == s.individual_share_last_year:
        out.append(
            "  "
            + tr(
                "history.share_one_year",
                lang,
                share=percent(s.individual_share_first),
                year=shown_year(history, s.individual_share_first_year),
            )
            + "\n"
        )
    elif s.individual_share_first is not None and s.individual_share_last is not None:
        out.append(
            "  "
            + tr(
                "history.share_line",
                lang,
                first_year=shown_year(history, s.individual_share_first_year),
                first=percent(s.individual_share_first),
                last_year=shown_year(history, s.individual_share_last_year),
                last=percent(s.individual_share_last),
            )
            + "\n"
        )
    if s.peak_burden_year is not None:
        out.append(
            f"  {labelled('history.peak', lang)}{shown_year(history, s.peak_burden_year)}"
            f" ({percent(s.peak_burden_ratio)})\n"
        )
    return out


def _segments(out: Any, history: History, lang: str) -> None:
    for seg in history.summary.segments:
        out.append(segment_head(history, seg, lang) + "\n")
        if seg.premium_multiple is None:
            out.append(f"    {tr('history.no_growth', lang)}\n")
            continue
        out.append(
            f"    {span_text(history, seg.compare_first_year, seg.compare_last_year, lang)}:"
            f" {tr('history.premium_w', lang)} {multiple_text(seg.premium_multiple, lang)}"
            f" ({tr('history.cagr', lang)} {percent(seg.premium_cagr)}),"
            f" {tr('history.income', lang)} {multiple_text(seg.income_multiple, lang)}"
            f" ({tr('history.cagr', lang)} {percent(seg.income_cagr)});"
        )
        if seg.gap_pp_per_year is not None:
            out.append(
                f" {_gap(seg.gap_pp_per_year, lang)}",
                style="bold red" if seg.gap_pp_per_year > 0 else "bold green",
            )
        out.append("\n")


def chained_note_text(history: History, lang: str) -> str:
    """What the chained index links (or why it could not), in ``lang``."""
    from ..analyses.summary import chain_message

    chained = history.summary.chained
    if chained is None:
        return ""
    return chain_message(chained.links, chained.unlinked).text(lang)


def _chained(out: Any, history: History, lang: str) -> None:
    chained = history.summary.chained
    if chained is None:
        return
    if chained.income_multiple is None or chained.first_year is None or not chained.links:
        out.append(f"  {CHAIN_MARK} {chained_note_text(history, lang)}\n", style="yellow")
        return
    line = tr(
        "history.chained_line",
        lang,
        premium=multiple_text(chained.premium_multiple, lang),
        income=multiple_text(chained.income_multiple, lang),
        since=shown_year(history, chained.first_year),
        span=span_text(history, chained.first_year, chained.last_year, lang),
        note=chained_note_text(history, lang),
    )
    out.append(f"  {line}{CHAIN_MARK}\n", style="bold")
    if chained.gap_pp_per_year is not None:
        out.append(
            f"    {tr('history.cagr', lang)}:"
            f" {tr('history.premium_w', lang)} {percent(chained.premium_cagr)},"
            f" {tr('history.income', lang)} {percent(chained.income_cagr)}{CHAIN_MARK};"
            f" {_gap(chained.gap_pp_per_year, lang)}{CHAIN_MARK}\n",
            style="bold red" if chained.gap_pp_per_year > 0 else "bold green",
        )


def break_text(brk: SeriesBreak, lang: str) -> str:
    """A series break in words."""
    return brk.message().text(lang)


SUMMARY_COLUMNS = (
    "region",
    "scope",
    "income_measure",
    "income_region",
    "first_year",
    "last_year",
    "compare_first_year",
    "compare_last_year",
    "premium_multiple",
    "premium_cagr",
    "income_multiple",
    "income_cagr",
    "gap_pp_per_year",
    "peak_burden_year",
    "peak_burden_ratio",
    "series_break",
    "income_chained",
    "individual_share_first",
    "individual_share_last",
    "year_basis",
)


def summary_rows(history: History) -> list[dict[str, Any]]:
    """The summary as CSV rows: the whole span, one row per income segment, and (with the
    chained income index) one ``chained`` row flagged ``income_chained``. Years are coverage
    years; ``year_basis`` says so (the policy-year view only relabels the table)."""
    s = history.summary
    single = s.segments[0] if len(s.segments) == 1 else None
    basis = "coverage_year"
    rows: list[dict[str, Any]] = [
        {
            "region": history.region,
            "scope": "span",
            "income_measure": single.income_measure if single else "",
            "income_region": (single.income_region or "") if single else "",
            "first_year": s.first_year,
            "last_year": s.last_year,
            "compare_first_year": s.compare_first_year or "",
            "compare_last_year": s.compare_last_year or "",
            "premium_multiple": s.premium_multiple,
            "premium_cagr": s.premium_cagr,
            "income_multiple": s.income_multiple,
            "income_cagr": s.income_cagr,
            "gap_pp_per_year": s.gap_pp_per_year,
            "peak_burden_year": s.peak_burden_year,
            "peak_burden_ratio": s.peak_burden_ratio,
            "series_break": s.series_break,
            "income_chained": False,
            "individual_share_first": s.individual_share_first,
            "individual_share_last": s.individual_share_last,
            "year_basis": basis,
        }
    ]
    for seg in s.segments:
        rows.append(
            {
                "region": history.region,
                "scope": f"segment {seg.index + 1}",
                "income_measure": seg.income_measure,
                "income_region": seg.income_region or "",
                "first_year": seg.first_year,
                "last_year": seg.last_year,
                "compare_first_year": seg.compare_first_year,
                "compare_last_year": seg.compare_last_year,
                "premium_multiple": seg.premium_multiple,
                "premium_cagr": seg.premium_cagr,
                "income_multiple": seg.income_multiple,
                "income_cagr": seg.income_cagr,
                "gap_pp_per_year": seg.gap_pp_per_year,
                "peak_burden_year": seg.peak_burden_year,
                "peak_burden_ratio": seg.peak_burden_ratio,
                "series_break": False,
                "income_chained": False,
                "year_basis": basis,
            }
        )
    chained = s.chained
    if chained is not None:
        measures = "->".join(
            dict.fromkeys(m for link in chained.links for m in (link.from_measure, link.to_measure))
        )
        rows.append(
            {
                "region": history.region,
                "scope": "chained",
                "income_measure": measures,
                "income_region": history.income_region or "",
                "first_year": chained.first_year,
                "last_year": chained.last_year,
                "compare_first_year": chained.first_year,
                "compare_last_year": chained.last_year,
                "premium_multiple": chained.premium_multiple,
                "premium_cagr": chained.premium_cagr,
                "income_multiple": chained.income_multiple,
                "income_cagr": chained.income_cagr,
                "gap_pp_per_year": chained.gap_pp_per_year,
                "series_break": s.series_break,
                "income_chained": True,
                "year_basis": basis,
            }
        )
    return [{k: "" if r.get(k) is None else r[k] for k in SUMMARY_COLUMNS} for r in rows]
