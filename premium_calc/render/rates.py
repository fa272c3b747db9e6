"""Rate-file reports for ``premium-calc rates``: validation, show, explain, diff and edits.

Each function returns the lines (and rich tables) to print, in order; the command prints them.
Paths are shown relative to the working directory where they are below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..messages import labelled, tr
from ..units import money
from .formats import LOW_MARK, confidence_mark, confidence_word, level_name, region_name

if TYPE_CHECKING:
    from ..ratebook.diff import Diff
    from ..ratebook.explain import Explanation, RegionView
    from ..upkeep.commit import EditResult
    from ..upkeep.problems import Problem
    from .tables import Grid

def shown_path(path: Path | str) -> str:
    """A path relative to the working directory where it is below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def problem_dict(p: Problem) -> dict[str, Any]:
    """A problem for ``--json``: its fields, the file as shown, and the one-line text."""
    out = p.as_dict()
    out["file"] = shown_path(p.file)
    out["text"] = p.render(out["file"])
    return out


def validation_report(errors: list[Problem], warnings: list[Problem], files: int, lang: str) -> list[str]:
    """Errors and warnings apart, then the counts."""
    lines: list[str] = []
    for title, group in (("errors", errors), ("warnings", warnings)):
        if not group:
            continue
        lines.append(f"{tr('rates.' + title, lang)} ({len(group)}):")
        lines += [p.render(shown_path(p.file), lang) for p in group]
    lines.append(
        f"{labelled('rates.checked', lang)}{files}; {labelled('rates.errors', lang)}{len(errors)};"
        f" {labelled('rates.warnings', lang)}{len(warnings)}"
    )
    return lines


def explanation_header(e: Explanation, lang: str) -> str:
    """Region, coverage and notice year, chain of parents, national minimum."""
    name = region_name(e.name, lang)
    policy = f", {tr('rates.policy_year', lang)} {e.policy_year}" if e.policy_year else ""
    minimum = (
        f"\n{labelled('rates.national_min', lang)}{money(e.national_minimum)}"
        if e.national_minimum is not None
        else ""
    )
    return (
        f"{name} {e.region}, {tr('rates.coverage_year', lang)} {e.year}{policy}\n"
        f"{labelled('rates.chain', lang)}{' -> '.join(e.chain)}{minimum}"
    )


def show_report(view: RegionView, lang: str) -> list[str | Grid]:
    """A region's file, chain and years, then a table of every effective value of each year
    (stacked as one block per value where the table does not fit the terminal)."""
    from .tables import Column, Grid

    name = region_name(view.name, lang)
    parts: list[str | Grid] = [
        f"{name} {view.region} ({level_name(view.level, lang)}) {shown_path(view.file)}",
        f"{labelled('rates.chain', lang)}{' -> '.join(view.chain)}",
        f"{labelled('rates.years', lang)}{', '.join(str(y) for y in view.years) or '-'}",
    ]
    any_low = False
    columns = [Column(tr("rates.key", lang))] + [
        Column(tr(f"rates.{col}", lang)) for col in ("value", "from", "confidence")
    ]
    for e in view.explanations:
        parts += ["", explanation_header(e, lang)]
        rows = []
        for v in e.values:
            mark = confidence_mark(v.source.confidence)
            any_low = any_low or bool(mark)
            whose = v.region if v.inherited else "-"
            rows.append([v.key, v.text_in(lang) + mark, whose, confidence_word(v.source.confidence, lang)])
        parts.append(Grid(columns, rows))
    if any_low:
        parts.append(f"{LOW_MARK} {tr('rates.low_note', lang)}")
    return parts


def explain_json(e: Explanation) -> dict[str, Any]:
    """An explanation for ``--json``, files shown relative to the working directory."""
    data = e.as_dict()
    data["file"] = shown_path(e.file)
    for row in data["values"]:
        row["file"] = shown_path(row["file"])
    return data


def explain_report(e: Explanation, lang: str) -> list[str]:
    """Each effective value with the file:line that sets it (own or inherited) and its source."""
    lines = [explanation_header(e, lang)]
    any_low = False
    for v in e.values:
        mark = confidence_mark(v.source.confidence)
        any_low = any_low or bool(mark)
        formula = f" ({v.formula})" if v.formula else ""
        line = v.line()
        where = shown_path(v.file) + (f":{line}" if line is not None else "")
        whose = f"{tr('rates.inherited', lang)} {v.region}" if v.inherited else tr("rates.own", lang)
        url = f" <{v.source.url}>" if v.source.url else ""
        lines += [
            "",
            f"{v.key} = {v.text_in(lang)}{mark}{formula}",
            f"  {where} ({whose})",
            f"  {labelled('rates.source', lang)}{v.source.title_in(lang)}{url}"
            f" ({labelled('rates.confidence', lang)}{confidence_word(v.source.confidence, lang)}{mark})",
        ]
    if any_low:
        lines.append(f"\n{LOW_MARK} {tr('rates.low_note', lang)}")
    return lines


def diff_report(d: Diff, lang: str) -> list[str | Grid]:
    """The values that changed between two years, with the absolute and percent change
    (stacked as one block per value where the table does not fit the terminal)."""
    from .tables import Column, Grid

    parts: list[str | Grid] = [f"{region_name(d.name, lang)} {d.region}: {d.year_from} -> {d.year_to}"]
    if not d.changes:
        return [*parts, tr("rates.no_changes", lang)]
    columns = [
        Column(tr("rates.key", lang)),
        Column(str(d.year_from), justify="right"),
        Column(str(d.year_to), justify="right"),
        Column(tr("rates.change", lang), justify="right", wrap=False),
        Column("%", justify="right", wrap=False),
    ]
    rows = []
    for c in d.changes:
        old = "-" if c.old is None else c.old.text_in(lang) + confidence_mark(c.old.source.confidence)
        new = "-" if c.new is None else c.new.text_in(lang) + confidence_mark(c.new.source.confidence)
        change = "" if c.change is None else ("+" if c.change > 0 else "") + money(c.change)
        pct = "" if c.percent is None else f"{'+' if c.percent > 0 else ''}{c.percent}%"
        rows.append([c.key, old, new, change, pct])
    return [*parts, Grid(columns, rows)]


#: ``rates diff --csv``: one row per value that differs. ``old`` / ``new``: the value in each
#: year (exact amounts, days and years as numbers, other values as text; empty where the key
#: is absent from that year: ``kind`` added or removed); ``change`` (new - old) and ``percent``
#: for amounts and day counts only; the confidence of each year's source, and whether it is
#: low (the ``†`` of the table).
DIFF_COLUMNS = (
    "region",
    "year_from",
    "year_to",
    "key",
    "kind",
    "old",
    "new",
    "change",
    "percent",
    "old_confidence",
    "new_confidence",
    "old_low_confidence",
    "new_low_confidence",
)


def diff_rows(d: Diff) -> list[dict[str, Any]]:
    """The ``--csv`` rows of a diff (:data:`DIFF_COLUMNS`; empty cells for what is absent)."""
    rows: list[dict[str, Any]] = []
    for data in d.as_dict()["changes"]:
        values = {
            "region": d.region,
            "year_from": d.year_from,
            "year_to": d.year_to,
            **{k: data[k] for k in DIFF_COLUMNS[3:]},
        }
        rows.append({k: "" if values[k] is None else values[k] for k in DIFF_COLUMNS})
    return rows


def edit_json(result: EditResult) -> dict[str, Any]:
    """An edit for ``--json``: what changed, the diff, and the warnings it introduces."""
    data = result.as_dict()
    data["file"] = shown_path(result.path)
    data["diff"] = result.diff(shown_path(result.path))
    data["warnings"] = [problem_dict(w) for w in result.warnings]
    return data


def edit_report(result: EditResult, lang: str) -> list[str]:
    """The diff of a dry run, notes and new warnings, and what was (or was not) written."""
    shown = shown_path(result.path)
    lines: list[str] = []
    diff = result.diff(shown) if result.dry_run else ""
    if diff:
        lines.append(diff[:-1] if diff.endswith("\n") else diff)
    lines += [tr("cli.note", lang, note=note) for note in result.notes]
    lines += [
        tr("cli.warning", lang, warning=w.render(shown_path(w.file), lang)) for w in result.warnings
    ]
    if result.dry_run:
        lines.append(tr("rates.dry_run", lang))
    elif not result.changed:
        lines.append(tr("rates.unchanged", lang))
    else:
        lines.append(f"{result.region} {result.year}: {result.label}; {tr('rates.written', lang)} {shown}")
    return lines
