"""A comparison of regions as a table, a terminal chart, and rows for CSV.

Marks are the same everywhere: ``≥`` where a national minimum stands in for a local amount,
``†`` low confidence; add-ons collected with the premium (long-term care) are a column of their
own beside the medical premium that is ranked. In CSV and JSON each mark is a field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..messages import labelled, tr, uses_cjk
from ..units import money, percent
from .assessment import sources_text
from .formats import BAR_WIDTH, LOW_MARK, bar, component_name, say
from .history import measure_text, name_or_dash

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.comparison import CategoryAmount, Comparison, ComparisonRow

AT_LEAST = "≥"


def marked(value: Decimal | None, at_least: bool = False, low: bool = False) -> str:
    """An amount with its marks: ``≥670``, ``440†``; ``-`` where there is none."""
    if value is None:
        return "-"
    return (AT_LEAST if at_least else "") + money(value) + (LOW_MARK if low else "")


def add_ons_text(components: dict[str, Decimal], lang: str) -> str:
    """``+40 长期护理保险`` (``-`` for none)."""
    if not components:
        return "-"
    return ", ".join(f"+{money(v)} {component_name(k, lang)}" for k, v in components.items())


def type_text(types: list[str], lang: str) -> str:
    return "/".join(tr(f"type.{t}", lang) for t in types) or "-"  # type.children / type.adult ...


def _title(c: Comparison, lang: str) -> str:
    stat = name_or_dash(c.statistic_name, lang)
    if c.income_basis == "household":
        return tr("compare.title.household", lang, year=c.year, income=money(c.household_income))
    if c.income_basis == "own":
        return tr("compare.title.own", lang, year=c.year, stat=stat)
    if c.household:
        return tr(
            "compare.title.household_stat",
            lang,
            year=c.year,
            stat=stat,
            income_year=c.national_income_year,
            income=money(c.national_income),
            size=len(c.household),
        )
    return tr(
        "compare.title.national",
        lang,
        year=c.year,
        stat=stat,
        income_year=c.national_income_year,
        income=money(c.national_income),
    )


def comparison_table(comparison: Comparison, lang: str = "en", *, chart: bool = True) -> RenderableType:
    """Ranked regions with the national minimum as a reference row, each region's categories,
    the terminal chart, the regions without data, notes and sources."""
    from rich import box
    from rich.console import Group
    from rich.table import Table

    c = comparison
    table = Table(
        title=_title(c, lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    col: dict[str, Any] = {"justify": "right", "no_wrap": True}
    own = c.income_basis == "own"
    table.add_column(tr("history.rank", lang), **col)
    table.add_column(tr("history.region", lang), overflow="fold")
    table.add_column(tr("history.category", lang), overflow="fold")
    premium_head = (
        tr("compare.household_premium", lang) if len(c.household) > 1 else tr("history.premium", lang)
    )
    table.add_column(premium_head, **col)
    table.add_column(tr("compare.add_ons", lang), overflow="fold")
    table.add_column(tr("history.subsidy", lang), **col)
    table.add_column(tr("history.vs_min", lang), **col)
    if own:
        table.add_column(tr("compare.income_own", lang), **col)
    table.add_column(tr("history.burden", lang), **col)
    any_low = any(r.low_confidence for r in c.rows)
    any_floor = any(r.premium_at_least or r.subsidy_at_least for r in c.rows)
    reference_done = len(c.household) > 1  # a household's total has no national line
    for row in c.rows:
        if (
            not reference_done
            and c.national_burden_ratio is not None
            and (row.burden_ratio is None or row.burden_ratio < c.national_burden_ratio)
        ):
            _reference_row(table, c, lang, own)
            reference_done = True
        table.add_row(*_cells(row, lang, own))
    if not reference_done:
        _reference_row(table, c, lang, own)
    parts: list[RenderableType] = [table]
    if not c.household:
        parts.append(_categories_text(c, lang))
    if chart:
        parts.append(comparison_chart(c, lang))
    if c.without_data:
        parts.append(without_data_text(c, lang))
    parts.append(_notes_text(c, lang, any_low, any_floor))
    parts.append(sources_text(c.sources, lang))
    return Group(*parts)


def _cells(row: ComparisonRow, lang: str, own: bool) -> list[Any]:
    from rich.text import Text

    if row.status == "missing":
        cells: list[Any] = [
            "-",
            name_or_dash(row.region_name, lang),
            "-",
            Text(tr("history.missing", lang), style="yellow"),
            "-",
            "-",
            "-",
        ]
        return [*cells, "-", "-"] if own else [*cells, "-"]
    vs_min = row.vs_national_minimum
    category = name_or_dash(row.category_name, lang) if row.category_name else "-"
    if row.category_types:
        category += f" ({type_text(row.category_types, lang)})"
    premium: Any = (
        marked(row.premium, row.premium_at_least, row.low_confidence)
        if row.premium is not None
        else Text(tr("history.missing", lang), style="yellow")
    )
    cells = [
        str(row.rank) if row.rank is not None else "-",
        name_or_dash(row.region_name, lang),
        category,
        premium,
        add_ons_text(row.components, lang),
        marked(row.subsidy, row.subsidy_at_least),
        "-" if vs_min is None else ("0" if vs_min == 0 else f"{vs_min:+,}"),
    ]
    if own:
        cells.append(marked(row.income, low=row.income_confidence in ("low", "medium-low")))
    cells.append(percent(row.burden_ratio))
    return cells


def _reference_row(table: Any, c: Comparison, lang: str, own: bool) -> None:
    from rich.text import Text

    cells: list[Any] = [
        "",
        Text(f"{tr('history.national_min', lang)} (cn)", style="bold"),
        "",
        Text(money(c.national_minimum), style="bold"),
        "-",
        money(c.national_subsidy),
        "0" if c.national_minimum is not None else "-",
    ]
    if own:
        cells.append(money(c.national_income))
    cells.append(Text(percent(c.national_burden_ratio), style="bold"))
    table.add_row(*cells, style="cyan")


def _category_entry(cat: CategoryAmount, lang: str) -> str:
    name = cat.name.zh if uses_cjk(lang) else cat.id
    amount = (
        marked(cat.amount, cat.amount_at_least, cat.low_confidence)
        if cat.amount is not None
        else tr("history.missing", lang)
    )
    extra = f" ({add_ons_text(cat.components, lang)})" if cat.components else ""
    return ("*" if cat.reference else "") + f"{name} {amount}{extra}"


def _categories_text(c: Comparison, lang: str) -> RenderableType:
    from rich.text import Text

    out = Text()
    out.append(f"{tr('history.categories', lang)} (* = {tr('history.ranked_by', lang)}):\n", style="bold")
    for row in c.rows:
        if row.status == "missing":
            continue
        out.append(f"  {row.region}: {', '.join(_category_entry(cat, lang) for cat in row.categories)}\n")
    return out


def without_data_text(c: Comparison, lang: str) -> RenderableType:
    """The regions without an entry for the year: provinces (with their cities that have one,
    ranked above), then cities and counties."""
    from rich.text import Text

    out = Text()
    out.append(f"{tr('compare.without_data', lang, year=c.year)}:\n", style="bold")
    provinces = [m for m in c.without_data if m.level == "province"]
    others = [m for m in c.without_data if m.level != "province"]
    if c.provinces_total is not None:
        out.append(
            "  "
            + tr(
                "compare.provinces_count",
                lang,
                with_data=c.provinces_with_data,
                total=c.provinces_total,
                year=c.year,
                without=len(provinces),
            )
            + "\n"
        )
    ranked = {r.region: name_or_dash(r.region_name, lang) for r in c.rows}
    sep = "、" if uses_cjk(lang) else ", "
    names = []
    for m in provinces:
        name = name_or_dash(m.name, lang)
        if m.cities_with_data:
            cities = sep.join(ranked.get(city, city) for city in m.cities_with_data)
            name = tr("compare.cities_with_data", lang, name=name, cities=cities)
        names.append(name)
    if names:
        out.append("    " + sep.join(names) + "\n")
    if others:
        listed = sep.join(f"{name_or_dash(m.name, lang)} ({m.region})" for m in others)
        out.append("  " + tr("compare.cities_without", lang, names=listed) + "\n")
    return out


def _notes_text(c: Comparison, lang: str, any_low: bool, any_floor: bool) -> RenderableType:
    from rich.text import Text

    notes = Text()
    notes.append(f"{tr('history.notes', lang)}:\n", style="bold")
    lines = [] if c.household else [f"{labelled('history.category', lang)}{say_rule(c, lang)}"]
    if c.household:
        lines.append(f"{labelled('compare.members', lang)}{', '.join(c.household)}")
        for row in c.rows:
            if row.members:
                listed = ", ".join(
                    f"{m.member} {name_or_dash(m.category_name, lang) if m.category_name else '-'}"
                    f" {marked(m.paid, m.paid_at_least, m.low_confidence)}"
                    for m in row.members
                )
                lines.append(tr("compare.member_line", lang, region=row.region, members=listed))
    if c.income_basis == "own":
        stat = name_or_dash(c.statistic_name, lang)
        lines.append(tr("compare.income_basis_own", lang, stat=stat))
        groups: dict[tuple[str | None, int | None, str | None], list[str]] = {}
        for row in c.rows:
            if row.status == "priced":
                key = (row.income_region, row.income_year, row.income_measure)
                groups.setdefault(key, []).append(row.region)
        for (where, year, measure), regions in groups.items():
            lines.append(
                f"{labelled('history.income', lang)}{stat}, {year}, {measure_text(measure, lang)} ({where}):"
                f" {', '.join(regions)}"
            )
        lines += [say(n, lang) for r in c.rows for n in r.notes]
    lines += [say(n, lang) for n in c.notes]
    for row in c.rows:
        if row.components and row.premium is not None and row.collected is not None:
            parts = add_ons_text(row.components, lang)
            lines.append(
                tr(
                    "compare.add_on_note",
                    lang,
                    region=row.region,
                    collected=money(row.collected),
                    parts=parts,
                    medical=money(row.premium),
                )
            )
        if row.other_categories:
            others = ", ".join(_other(row, cid, lang) for cid in row.other_categories)
            lines.append(tr("compare.others_of_type", lang, region=row.region, others=others))
        if row.premium_missing:
            lines.append(
                tr("compare.missing_reason", lang, region=row.region, reason=say(row.premium_missing, lang))
            )
    if any_floor:
        lines.append(tr("compare.at_least_mark", lang))
    if any_low:
        lines.append(f"{LOW_MARK} {tr('history.low', lang)}")
    for line in dict.fromkeys(lines):
        notes.append(f"  {line}\n", style="dim")
    return notes


def _other(row: ComparisonRow, category_id: str, lang: str) -> str:
    cat = next((x for x in row.categories if x.id == category_id), None)
    if cat is None:
        return category_id
    return _category_entry(cat, lang)


def say_rule(c: Comparison, lang: str) -> str:
    """Which category is ranked, in ``lang``."""
    if c.category_type is not None:
        return tr("compare.category_by_type", lang, type=tr(f"type.{c.category_type}", lang))
    if c.category is None:
        return tr("note.category_reference_adult", lang)
    return tr("note.category_by_id", lang, category=repr(c.category))


def comparison_chart(comparison: Comparison, lang: str = "en") -> RenderableType:
    """Bars of each region's burden, with the national minimum's burden as a marker line."""
    from rich.text import Text

    c = comparison
    out = Text()
    out.append(f"{tr('history.burden_chart', lang)} ({c.year})\n", style="bold")
    ratios = [r.burden_ratio for r in c.rows if r.burden_ratio is not None]
    reference = c.national_burden_ratio if len(c.household) <= 1 else None
    if reference is not None:
        ratios.append(reference)
    top = max(ratios, default=Decimal(0))
    width = max((len(r.region) for r in c.rows), default=4)
    ref_cells = (
        round(float(reference) / float(top) * BAR_WIDTH) if reference is not None and top > 0 else None
    )
    for row in c.rows:
        out.append(f"  {row.region:<{width}} ")
        if row.burden_ratio is None:
            out.append(f"{tr('history.missing', lang)}\n", style="yellow")
            continue
        bars = bar(row.burden_ratio, top)
        padded = bars.ljust(BAR_WIDTH)
        if ref_cells is not None and 0 < ref_cells <= BAR_WIDTH:
            cell = ref_cells - 1
            if len(bars) <= cell:
                padded = padded[:cell] + "┊" + padded[cell + 1 :]
        style = (
            "dim"
            if reference is None or row.burden_ratio == reference
            else "red"
            if row.burden_ratio > reference
            else "green"
        )
        out.append(padded, style=style)
        marks = (AT_LEAST if row.premium_at_least else "") + (LOW_MARK if row.low_confidence else "")
        out.append(f" {percent(row.burden_ratio)}{marks}\n")
    if reference is not None:
        out.append(
            f"  ┊ {tr('history.national_min', lang)} {money(c.national_minimum)}: {percent(reference)}\n",
            style="cyan",
        )
    return out


COMPARISON_COLUMNS = (
    "rank",
    "region",
    "name_zh",
    "name_en",
    "level",
    "category",
    "reference",
    "amount",
    "missing",
    "subsidy",
    "national_minimum",
    "vs_national_minimum",
    "income",
    "income_year",
    "income_region",
    "income_measure",
    "income_confidence",
    "burden_ratio",
    "confidence",
    "status",
    "income_basis",
    "member",
    "category_types",
    "medical",
    "components",
    "amount_at_least",
    "subsidy_at_least",
    "low_confidence",
)


def _components_field(components: dict[str, Decimal]) -> str:
    """``ltc=40`` (``;`` between several)."""
    return ";".join(f"{k}={v}" for k, v in components.items())


def comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One CSV row per region and category (``reference`` marks the ranked one), or per region
    and member for a household; a region without data is one ``missing`` row. ``amount`` is
    what is collected, ``medical`` the premium without the add-ons in ``components``; the marks
    are fields: ``amount_at_least`` (≥), ``subsidy_at_least`` (≥), ``low_confidence`` (†)."""
    out: list[dict[str, Any]] = []
    minimum = comparison.national_minimum
    for row in comparison.rows:
        base: dict[str, Any] = {
            "rank": row.rank,
            "region": row.region,
            "name_zh": row.region_name.zh,
            "name_en": row.region_name.en,
            "level": row.level,
            "national_minimum": minimum,
            "income": row.income,
            "income_year": row.income_year,
            "income_region": row.income_region,
            "income_measure": row.income_measure,
            "income_confidence": row.income_confidence,
            "status": row.status,
            "income_basis": comparison.income_basis,
        }
        entries: list[dict[str, Any]] = []
        if row.status == "missing":
            entries.append({"missing": row.premium_missing})
        for cat in row.categories:
            entries.append(
                {
                    "category": cat.id,
                    "reference": cat.reference,
                    "amount": cat.amount,
                    "missing": cat.missing,
                    "subsidy": cat.subsidy,
                    "vs_national_minimum": cat.medical - minimum
                    if cat.medical is not None and minimum is not None
                    else None,
                    "burden_ratio": cat.burden_ratio,
                    "confidence": cat.confidence,
                    "category_types": "/".join(cat.types),
                    "medical": cat.medical,
                    "components": _components_field(cat.components),
                    "amount_at_least": cat.amount_at_least,
                    "subsidy_at_least": cat.subsidy_at_least,
                    "low_confidence": cat.low_confidence,
                }
            )
        for m in row.members:
            entries.append(
                {
                    "member": m.member,
                    "category": m.category,
                    "amount": m.collected,
                    "medical": m.paid,
                    "missing": m.unknown_reason,
                    "subsidy": m.subsidy,
                    "category_types": "/".join(m.category_types),
                    "components": _components_field(m.components),
                    "amount_at_least": m.paid_at_least,
                    "subsidy_at_least": m.subsidy_at_least,
                    "low_confidence": m.low_confidence,
                    "burden_ratio": row.burden_ratio,
                }
            )
        if row.status == "priced" and row.members == [] and not row.categories:
            entries.append({"missing": row.premium_missing})
        for entry in entries:
            values = {**base, **entry}
            out.append({k: "" if values.get(k) is None else values[k] for k in COMPARISON_COLUMNS})
    return out
