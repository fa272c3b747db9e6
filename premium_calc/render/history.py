"""Renderers for :mod:`premium_calc.analyses.history`: rich tables, terminal bar charts, CSV rows.

Nothing here prints. Labels in Chinese or English (``lang="zh"|"en"``); low-confidence values
carry :data:`premium_calc.render.LOW_MARK`; the first row after an income-measure change
carries :data:`BREAK_MARK` and a footnote says what changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..units import money, percent
from .assessment import sources_text
from .formats import LOW_MARK, confidence_mark, year_ranges

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.series import History, HistoryRow, SeriesBreak
    from ..ratefiles.model import Name
from .formats import BAR_WIDTH, BREAK_MARK, _index, _mult, bar, signed_pct

LABELS: dict[str, tuple[str, str]] = {
    "year": ("年度", "year"),
    "category": ("类别", "category"),
    "premium": ("个人\n缴费", "premium"),
    "premium_w": ("缴费", "premium"),
    "household_premium": ("家庭\n缴费", "household\npaid"),
    "subsidy": ("财政\n补助", "subsidy"),
    "income": ("收入", "income"),
    "income_prev": ("上年\n收入", "income\nY-1"),
    "measure": ("口径", "measure"),
    "burden": ("缴费/\n收入", "burden"),
    "premium_index": ("缴费\n指数", "prem.\nindex"),
    "income_index": ("收入\n指数", "inc.\nindex"),
    "yoy_premium": ("缴费\n同比", "prem.\ny/y"),
    "yoy_income": ("收入\n同比", "inc.\ny/y"),
    "missing": ("缺失", "missing"),
    "summary": ("汇总", "summary"),
    "premium_growth": ("缴费增长", "premium growth"),
    "income_growth": ("收入增长", "income growth"),
    "gap": ("差距", "gap"),
    "pp_year": ("个百分点/年", "pp a year"),
    "peak": ("负担最重年份", "heaviest year"),
    "cagr": ("年均", "CAGR"),
    "notes": ("说明", "notes"),
    "break": (
        "收入口径在此改变: 收入指数从100重新起算, 不跨口径计算增长",
        "income measure changes here: the income index restarts at 100; no growth is computed"
        " across the change",
    ),
    "low": ("低可信度, 请核实", "low confidence: verify before relying on it"),
    "burden_chart": ("缴费占收入", "premium as a share of income"),
    "index_chart": ("缴费与收入指数 (各段首年 = 100)", "premium vs income index (segment start = 100)"),
    "uncovered": ("费率文件无记录的年份", "years with no entry in the rate file"),
    "missing_premium": ("缴费缺失", "premium missing"),
    "missing_income": ("收入统计缺失(不插补)", "income statistic missing (never interpolated)"),
    "segment": ("段", "segment"),
    "rank": ("排名", "#"),
    "region": ("地区", "region"),
    "vs_min": ("比国家\n最低", "vs. national\nminimum"),
    "categories": ("各类别缴费", "premium by category"),
    "ranked_by": ("排名所用类别", "the category ranked"),
    "national_min": ("国家最低个人缴费标准", "national minimum"),
    "compact": (
        "终端较窄: 同比列未显示 (见 --json / --csv)",
        "narrow terminal: year-on-year columns left out (see --json / --csv)",
    ),
}


_MEASURE_SHORT: dict[str, tuple[str, str]] = {
    "net": ("纯收入", "net"),
    "disposable": ("可支配", "disp."),
    "household": ("家庭自报", "own"),
}


def t(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def _name(name: Name | None, lang: str) -> str:
    if name is None:
        return "-"
    return name.zh if lang == "zh" else name.en


def _measure(measure: str | None, lang: str) -> str:
    if measure is None:
        return "-"
    zh, en = _MEASURE_SHORT.get(measure, (measure, measure))
    return zh if lang == "zh" else en


def _low_income(row: HistoryRow) -> bool:
    from ..analyses.series import LOW_INCOME_CONFIDENCE

    return row.income_confidence in LOW_INCOME_CONFIDENCE


def history_title(history: History, lang: str) -> str:
    name = _name(history.region_name, lang)
    span = f"{history.start}-{history.end}"
    stat = _name(history.statistic_name, lang)
    if history.kind == "household":
        what = "家庭缴费" if lang == "zh" else "household premium"
    else:
        what = ("个人缴费" if lang == "zh" else "premium per person")
    if history.kind == "household" and getattr(history, "income_basis", "") == "household":
        against = "家庭自报收入" if lang == "zh" else "the household's own income"
    else:
        against = stat
    if lang == "zh":
        return f"{name} ({history.region}) {span} {what} 对比 {against}"
    return f"{name} ({history.region}) {span}: {what} against {against}"


#: Narrower consoles get the table without the year-on-year columns (rather than folded or
#: dropped columns): they stay in --json and --csv.
WIDE_TABLE = 96


def history_table(
    history: History, lang: str = "en", *, chart: bool = True, width: int | None = None
) -> RenderableType:
    """The yearly table, the summary, the terminal chart, notes and sources.

    ``width``: the console width; below :data:`WIDE_TABLE` the year-on-year columns are left
    out (a note says so).
    """
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    household = history.kind == "household"
    # The category is named in the notes (it may change id over the years): not a column.
    table = Table(
        title=history_title(history, lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    col: dict[str, Any] = {"justify": "right", "no_wrap": True}
    table.add_column(t("year", lang), **col)
    table.add_column(t("household_premium" if household else "premium", lang), **col)
    table.add_column(t("subsidy", lang), **col)
    table.add_column(t("income_prev", lang), **col)
    table.add_column(t("measure", lang), no_wrap=True)
    table.add_column(t("burden", lang), **col)
    table.add_column(t("premium_index", lang), **col)
    table.add_column(t("income_index", lang), **col)
    compact = width is not None and width < WIDE_TABLE
    if not compact:
        table.add_column(t("yoy_premium", lang), **col)
        table.add_column(t("yoy_income", lang), **col)
    break_years = {b.coverage_year for b in history.summary.breaks}
    any_low = False
    for row in history.rows:
        if row.coverage_year in break_years:
            table.add_section()
        p_mark = confidence_mark(row.confidence)
        i_mark = LOW_MARK if _low_income(row) else ""
        any_low = any_low or bool(p_mark or i_mark)
        premium = (
            money(row.premium) + p_mark
            if row.premium is not None
            else Text(t("missing", lang), style="yellow")
        )
        income = (
            money(row.income) + i_mark
            if row.income is not None
            else Text(t("missing", lang), style="yellow")
        )
        brk = BREAK_MARK if row.coverage_year in break_years else ""
        cells: list[Any] = [
            f"{row.coverage_year}{brk}",
            premium,
            money(row.subsidy),
            income,
            _measure(row.income_measure, lang),
            percent(row.burden_ratio),
            _index(row.premium_index),
            _index(row.income_index),
        ]
        if not compact:
            cells += [signed_pct(row.yoy_premium), signed_pct(row.yoy_income)]
        table.add_row(*cells)
    parts: list[RenderableType] = [table, summary_text(history, lang)]
    if chart:
        parts.append(history_chart(history, lang))
    parts.append(notes_text(history, lang, any_low, compact=compact))
    parts.append(sources_text(history.sources, lang))
    return Group(*parts)


def _growth_line(label: str, first: Decimal | None, last: Decimal | None, y0: int | None,
                 y1: int | None, mult: Decimal | None, rate: Decimal | None, lang: str) -> str:
    if mult is None or y0 is None or y1 is None:
        return f"  {label}: -"
    cagr = percent(rate) if rate is not None else "-"
    return (
        f"  {label}: {money(first)} -> {money(last)} ({y0}->{y1}):"
        f" {_mult(mult)}, {t('cagr', lang)} {cagr}"
    )


def summary_text(history: History, lang: str = "en") -> RenderableType:
    from rich.text import Text

    s = history.summary
    out = Text()
    out.append(f"{t('summary', lang)}\n", style="bold")
    out.append(
        _growth_line(
            t("premium_growth", lang), s.premium_first, s.premium_last, s.premium_first_year,
            s.premium_last_year, s.premium_multiple, s.premium_cagr, lang,
        )
        + "\n"
    )
    if not s.series_break:
        out.append(
            _growth_line(
                t("income_growth", lang), s.income_first, s.income_last, s.income_first_year,
                s.income_last_year, s.income_multiple, s.income_cagr, lang,
            )
            + "\n"
        )
        if s.gap_pp_per_year is not None:
            out.append(
                f"  {t('gap', lang)} ({s.compare_first_year}->{s.compare_last_year}):"
                f" {s.gap_pp_per_year:+.2f} {t('pp_year', lang)}\n",
                style="bold red" if s.gap_pp_per_year > 0 else "bold green",
            )
    else:
        for seg in s.segments:
            head = (
                f"  {t('segment', lang)} {seg.index + 1}: {_measure(seg.income_measure, lang)}"
                f" ({seg.income_region or '-'}), {seg.first_year}-{seg.last_year}"
            )
            out.append(head + "\n")
            if seg.premium_multiple is None:
                one = "不足两年, 无增长可算" if lang == "zh" else "fewer than two years: no growth"
                out.append(f"    {one}\n")
                continue
            out.append(
                f"    {seg.compare_first_year}->{seg.compare_last_year}:"
                f" {t('premium_w', lang)} {_mult(seg.premium_multiple)}"
                f" ({t('cagr', lang)} {percent(seg.premium_cagr)}),"
                f" {t('income', lang)} {_mult(seg.income_multiple)}"
                f" ({t('cagr', lang)} {percent(seg.income_cagr)});"
            )
            if seg.gap_pp_per_year is not None:
                out.append(
                    f" {t('gap', lang)} {seg.gap_pp_per_year:+.2f} {t('pp_year', lang)}",
                    style="bold red" if seg.gap_pp_per_year > 0 else "bold green",
                )
            out.append("\n")
        for brk in s.breaks:
            out.append(f"  {BREAK_MARK} {break_text(brk, lang)}\n", style="yellow")
    if s.peak_burden_year is not None:
        out.append(f"  {t('peak', lang)}: {s.peak_burden_year} ({percent(s.peak_burden_ratio)})\n")
    return out


def break_text(brk: SeriesBreak, lang: str) -> str:
    """A series break in words (the library's note is English)."""
    if lang != "zh":
        return brk.note
    if brk.from_measure != brk.to_measure:
        text = (
            f"收入口径在收入年份 {brk.income_year} (待遇年度 {brk.coverage_year}) 由"
            f"{_measure(brk.from_measure, lang)}改为{_measure(brk.to_measure, lang)}:"
            " 2013年住户调查改革造成的水平断点, 不是增长; 指数从100重新起算, 不跨口径计算增长"
        )
        if brk.overlap_from_value is not None and brk.overlap_to_value is not None:
            text += (
                f" ({brk.income_year}年两种口径都有: {_measure(brk.from_measure, lang)}"
                f" {brk.overlap_from_value}, {_measure(brk.to_measure, lang)}"
                f" {brk.overlap_to_value})"
            )
        return text
    return (
        f"收入统计地区在收入年份 {brk.income_year} 由 {brk.from_region} 改为 {brk.to_region}:"
        " 指数从100重新起算, 不跨地区计算增长"
    )


def category_rule_text(category: str | None, rule: str, lang: str) -> str:
    if lang != "zh":
        return rule
    if category is None:
        return "参照成年人 (40岁, 无其他条件) 所属类别, 即劳动年龄/兜底类别; 有档次的地区取最低档"
    return f"类别 {category!r}; 有档次的地区取最低档"


def notes_text(
    history: History, lang: str, any_low: bool, *, compact: bool = False
) -> RenderableType:
    from rich.text import Text

    s = history.summary
    out = Text()
    lines: list[str] = []
    if s.series_break:
        lines.append(f"{BREAK_MARK} {t('break', lang)}")
    if compact:
        lines.append(t("compact", lang))
    for row in history.rows:
        if row.premium_missing is not None:
            lines.append(f"{t('missing_premium', lang)} {row.coverage_year}: {row.premium_missing}")
    if s.missing_income_years:
        years = ", ".join(map(str, s.missing_income_years))
        lines.append(f"{t('missing_income', lang)}: {years}")
    if s.uncovered_years:
        lines.append(f"{t('uncovered', lang)}: {year_ranges(s.uncovered_years)}")
    if history.kind == "category":
        rule = category_rule_text(history.category, history.category_rule, lang)
    else:
        rule = history.category_rule
    lines.append(f"{t('category', lang)}: {rule}")
    if history.kind == "category":
        lines.append(f"{t('category', lang)}: {_category_years(history, lang)}")
    lines += history.notes
    if any_low:
        lines.append(f"{LOW_MARK} {t('low', lang)}")
    out.append(f"{t('notes', lang)}:\n", style="bold")
    for line in lines:
        out.append(f"  {line}\n", style="dim")
    return out


def _category_years(history: History, lang: str) -> str:
    """``resident (2004-2026)`` or, where the id changes, each id with its years."""
    spans: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for row in history.rows:
        if row.category is not None:
            spans.setdefault(row.category, []).append(row.coverage_year)
            names[row.category] = _name(row.category_name, lang)
    return "; ".join(
        f"{cid} = {names[cid]} ({year_ranges(years)})" for cid, years in spans.items()
    ) or "-"


def history_chart(history: History, lang: str = "en") -> RenderableType:
    """Terminal charts: the burden per year, and premium vs income indices per segment."""
    from rich.text import Text

    from ..analyses.history import segment_indices

    out = Text()
    out.append(f"{t('burden_chart', lang)}\n", style="bold")
    ratios = [r.burden_ratio for r in history.rows if r.burden_ratio is not None]
    top = max(ratios, default=Decimal(0))
    for row in history.rows:
        out.append(f"  {row.coverage_year} ")
        if row.burden_ratio is None:
            out.append(f"{t('missing', lang)}\n", style="yellow")
            continue
        out.append(bar(row.burden_ratio, top), style="red")
        mark = LOW_MARK if row.low_confidence else ""
        out.append(f" {percent(row.burden_ratio)}{mark}\n")
    segments = segment_indices(history)
    if not any(p.premium_index is not None for _, points in segments for p in points):
        return out
    out.append(f"{t('index_chart', lang)}\n", style="bold")
    legend_p = "缴费" if lang == "zh" else "premium"
    legend_i = "收入" if lang == "zh" else "income"
    out.append("  ")
    out.append("██", style="red")
    out.append(f" {legend_p}   ")
    out.append("██", style="green")
    out.append(f" {legend_i}\n")
    for seg, points in segments:
        values = [v for p in points for v in (p.premium_index, p.income_index) if v is not None]
        if not values:
            continue
        top_index = max(values)
        out.append(
            f"  {t('segment', lang)} {seg.index + 1}: {_measure(seg.income_measure, lang)},"
            f" {seg.compare_first_year} = 100\n",
            style="dim",
        )
        for p in points:
            out.append(f"  {p.coverage_year} ")
            out.append(bar(p.premium_index or 0, top_index, BAR_WIDTH // 2 * 2), style="red")
            out.append(f" {_index(p.premium_index)}\n")
            out.append("       ")
            out.append(bar(p.income_index or 0, top_index, BAR_WIDTH // 2 * 2), style="green")
            out.append(f" {_index(p.income_index)}\n")
    return out


HISTORY_COLUMNS = (
    "region",
    "coverage_year",
    "policy_year",
    "category",
    "premium",
    "premium_missing",
    "gross",
    "assistance",
    "subsidy",
    "confidence",
    "income_year",
    "income",
    "income_per_capita",
    "income_measure",
    "income_region",
    "income_confidence",
    "income_missing",
    "burden_ratio",
    "premium_index",
    "income_index",
    "yoy_premium",
    "yoy_income",
    "segment",
    "low_confidence",
)


def history_rows(history: History) -> list[dict[str, Any]]:
    """One CSV row per coverage year (empty cells for missing values)."""
    rows: list[dict[str, Any]] = []
    for row in history.rows:
        data = row.model_dump(include=set(HISTORY_COLUMNS))
        data["region"] = history.region
        rows.append({k: "" if data.get(k) is None else data[k] for k in HISTORY_COLUMNS})
    return rows


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
)


def summary_rows(history: History) -> list[dict[str, Any]]:
    """The summary as CSV rows: the whole span, then one row per income segment."""
    s = history.summary
    single = s.segments[0] if len(s.segments) == 1 else None
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
            }
        )
    return [{k: "" if r.get(k) is None else r[k] for k in SUMMARY_COLUMNS} for r in rows]
