"""Renderers: result objects -> rich tables, JSON text, CSV text. Nothing here prints.

Labels come in Chinese and English (``lang="zh"|"en"``). Low-confidence values carry a
mark (``LOW_MARK``) and a footnote: they are shown, never as plain fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..household.burden import Assessment
from ..units import money, percent
from .formats import LOW_MARK, confidence_mark

LABELS: dict[str, tuple[str, str]] = {
    "member": ("成员", "member"),
    "age": ("年龄", "age"),
    "category": ("类别", "category"),
    "tier": ("档次", "tier"),
    "gross": ("应缴", "gross"),
    "assistance": ("资助", "assistance"),
    "paid": ("个人缴纳", "paid"),
    "subsidy": ("财政补助", "gov. subsidy"),
    "total": ("合计", "total"),
    "employee": ("职工医保(不缴居民保费)", "employee insurance (no resident premium)"),
    "late": ("逾期参保", "late enrollment"),
    "burden": ("负担", "burden"),
    "income": ("家庭年收入", "household income"),
    "income_stat": ("收入(统计)", "income (statistic)"),
    "per_capita": ("人均收入", "income per capita"),
    "per_member": ("人均缴费", "paid per enrollee"),
    "ratio": ("保费占收入", "premium / income"),
    "months": ("相当于收入月数", "months of income"),
    "days": ("相当于工作日", "days of work"),
    "threshold": ("阈值", "threshold"),
    "exceeded": ("超过", "exceeded"),
    "not_exceeded": ("未超过", "not exceeded"),
    "sources": ("来源", "sources"),
    "note": ("注", "note"),
    "subsidy_floor": (
        "本地区未单列财政补助, 显示国家最低标准(不低于)",
        "no local subsidy figure in the sources: the national minimum (at least) is shown",
    ),
    "confidence": ("可信度", "confidence"),
    "low_note": (
        "低可信度: 来自汇总网站或机器翻译, 请核实",
        "low confidence: aggregator summary or machine translation; verify before relying on it",
    ),
    "national_min": ("国家最低个人缴费标准", "national minimum individual contribution"),
    "window": ("集中缴费期", "collection window"),
    "coverage_year": ("待遇年度", "coverage year"),
    "policy_year": ("政策年度", "notice year"),
    "yuan": ("元", "yuan"),
    "not_computable": ("无法计算", "not computable"),
}


def t(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def assessment_table(result: Assessment, lang: str = "en") -> RenderableType:
    """A rich renderable: members table, burden lines and sources."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    name = result.region_name.zh if lang == "zh" else result.region_name.en
    policy = f", {t('policy_year', lang)} {result.policy_year}" if result.policy_year else ""
    tier = f", {t('tier', lang)} {result.tier}" if result.tier else ""
    title = f"{name} ({result.region}) {t('coverage_year', lang)} {result.coverage_year}{policy}{tier}"
    table = Table(title=title, title_justify="left", show_footer=True)
    table.add_column("#", justify="right", footer="")
    table.add_column(t("member", lang), footer=t("total", lang))
    table.add_column(t("category", lang))
    table.add_column(t("gross", lang), justify="right", footer=money(result.total_gross))
    table.add_column(t("assistance", lang), justify="right", footer=money(result.total_assistance))
    table.add_column(t("paid", lang), justify="right", footer=money(result.total_paid))
    floor = "≥" if result.subsidy_is_national_minimum else ""
    table.add_column(
        t("subsidy", lang), justify="right", footer=floor + money(result.total_subsidy)
    )
    any_low = False
    for m in result.members:
        if m.status == "employee":
            category = t("employee", lang)
        else:
            if m.category_name is not None:
                category = m.category_name.zh if lang == "zh" else m.category_name.en
            else:
                category = m.category or ""
            if m.status == "late":
                category += f" ({t('late', lang)})"
            if m.assisted_rule:
                category += f" [{m.assisted_rule}]"
            if m.components:
                parts = ", ".join(f"{k} {money(v)}" for k, v in m.components.items())
                category += f" (incl. {parts})" if lang == "en" else f" (含 {parts})"
        mark = confidence_mark(m.confidence)
        any_low = any_low or bool(mark)
        table.add_row(
            str(m.index),
            m.member,
            category,
            money(m.gross) + mark,
            money(m.assistance),
            money(m.paid) + mark,
            ("≥" if m.subsidy_is_national_minimum else "") + money(m.subsidy),
        )
    lines: list[RenderableType] = [table]
    lines.append(burden_text(result, lang))
    facts = Text()
    if result.national_minimum is not None:
        facts.append(f"{t('national_min', lang)}: {money(result.national_minimum)}\n", style="dim")
    if result.collection_start or result.collection_end:
        start = result.collection_start.isoformat() if result.collection_start else "?"
        end = result.collection_end.isoformat() if result.collection_end else "?"
        facts.append(f"{t('window', lang)}: {start} .. {end}\n", style="dim")
    for note in result.notes:
        facts.append(f"{t('note', lang)}: {note}\n", style="dim")
    if result.subsidy_is_national_minimum:
        facts.append(f"≥ {t('subsidy_floor', lang)}\n", style="dim")
    lines.append(facts)
    lines.append(sources_text(result.sources, lang, any_low))
    return Group(*lines)


def burden_text(result: Assessment, lang: str) -> RenderableType:
    from rich.text import Text

    b = result.burden
    out = Text()
    out.append(f"{t('burden', lang)}\n", style="bold")
    if b.income_basis == "statistic" and b.statistic is not None:
        stat = b.statistic
        mark = confidence_mark(stat.confidence if stat.confidence in ("low",) else None)
        out.append(
            f"  {t('income_stat', lang)}: {stat.label(lang)} = {money(stat.value)}{mark}"
            f" x {b.household_size} = {money(b.income)}\n"
        )
    elif b.income is not None:
        out.append(f"  {t('income', lang)}: {money(b.income)}\n")
    if b.income_per_capita is not None:
        out.append(f"  {t('per_capita', lang)}: {money(b.income_per_capita)}\n")
    if b.paid_per_member is not None:
        out.append(f"  {t('per_member', lang)}: {money(b.paid_per_member)}\n")
    if not b.computable:
        out.append(f"  {t('ratio', lang)}: {t('not_computable', lang)} ({b.reason})\n", style="yellow")
    else:
        style = "red" if any(c.exceeded for c in b.thresholds[-1:]) else (
            "yellow" if any(c.exceeded for c in b.thresholds) else "green"
        )
        out.append(f"  {t('ratio', lang)}: ")
        out.append(percent(b.burden_ratio), style=f"bold {style}")
        out.append(
            f"  ({t('months', lang)} {b.months_of_income}, {t('days', lang)} {b.days_of_work})\n"
        )
        checks = ", ".join(
            f"{percent(c.threshold)}: {t('exceeded' if c.exceeded else 'not_exceeded', lang)}"
            for c in b.thresholds
        )
        if checks:
            out.append(f"  {t('threshold', lang)}: {checks}\n")
    for note in b.notes:
        out.append(f"  {t('note', lang)}: {note}\n", style="dim")
    return out


def sources_text(sources: Sequence[Any], lang: str, low_footnote: bool = False) -> RenderableType:
    from rich.text import Text

    out = Text()
    out.append(f"{t('sources', lang)}:\n", style="bold")
    for i, s in enumerate(sources, start=1):
        mark = confidence_mark(s.confidence)
        url = f" <{s.url}>" if s.url else ""
        out.append(f"  [{i}] {s.title}{url} ({t('confidence', lang)}: {s.confidence}{mark})\n", style="dim")
    if low_footnote or any(s.confidence == "low" for s in sources):
        out.append(f"  {LOW_MARK} {t('low_note', lang)}\n", style="yellow")
    return out


def assessment_rows(result: Assessment) -> list[dict[str, Any]]:
    """One CSV row per member."""
    return [
        {
            "region": result.region,
            "coverage_year": result.coverage_year,
            "member": m.index,
            "spec": m.member,
            "age": m.age,
            "status": m.status,
            "category": m.category or "",
            "tier": m.tier or "",
            "gross": m.gross,
            "assistance": m.assistance,
            "paid": m.paid,
            "subsidy": "" if m.subsidy is None else m.subsidy,
            "assisted_rule": m.assisted_rule or "",
            "confidence": m.confidence or "",
        }
        for m in result.members
    ]
