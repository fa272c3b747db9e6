"""``premium-calc population ... --reform FILE`` / ``--set K=V``: the population priced under the
baseline and under a reform, compared; ``--solve PARAM`` (revenue-neutral), ``--relative-to``,
``--elasticity A..B`` (a stated enrolment response scenario)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import typer

from ..errors import OptionError
from ..messages import Note, tr
from ._common import console, echo_json

if TYPE_CHECKING:
    from ..analyses.population.columns import Population
    from ..analyses.reform.model import Reform
    from ..ratebook.book import RateBook

#: Keys of ``population --reform --json`` (documented in docs/reforms.md).
JSON_KEYS = ("reform", "summary", "solution", "response", "notes")


def load_reform_options(reform: str | None, settings: list[str] | None) -> Reform | None:
    """The reform of ``--reform`` (a file or a shipped example's name) plus ``--set``."""
    from ..analyses.reform.loading import find_reform, load_reform, with_settings

    base = load_reform(find_reform(reform)) if reform is not None else None
    return with_settings(base, settings or [])


def _batches(source: Any) -> list[Population]:
    from ..analyses.population.columns import Population

    if isinstance(source, Population):
        return [source]
    return list(source() if callable(source) else source)


def _progress(quiet: bool, lang: str) -> Any:
    """A progress bar on stderr (households priced, the solver's tries); None when quiet or
    not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description} {task.completed}"), BarColumn(),
                    console=Console(stderr=True), transient=True)  # fmt: skip


def run_reform_population(
    book: RateBook,
    source: Any,
    reform: Reform,
    *,
    region: str | None,
    year: int,
    tier: str | None,
    thresholds: tuple[Decimal, ...],
    min_cell: int,
    relative_to: str,
    solve: str | None,
    target: Decimal | None,
    elasticity: str | None,
    setting: str,
    notes: list[Any],
    json_out: bool,
    csv_out: bool,
    quiet: bool,
    lang: str,
) -> None:
    """Price, compare and print (see the module docstring)."""
    from ..analyses.reform.book import ReformedBook
    from ..analyses.reform.population import pair_batches, statistic_stand_in
    from ..analyses.reform.population_compare import summarise_reform
    from ..analyses.reform.response import enrolment_response, parse_elasticity
    from ..analyses.reform.solver import solve_population

    if relative_to not in ("premium", "income"):
        raise OptionError("--relative-to", Note("error.reform_relative_to", value=relative_to))
    scenario_range = parse_elasticity(elasticity) if elasticity is not None else None
    reformed = ReformedBook(book, reform) if reform.change else book
    contribution = reform.contribution
    stand_in = statistic_stand_in(book, setting)
    batches = _batches(source)
    kw: dict[str, Any] = {"region": region, "year": year, "tier": tier}
    solution = None
    if solve is not None:
        if contribution is None:
            raise OptionError("--solve", Note("error.solve_needs_contribution"))
        goal = int(target * 100 * 10_000) if target is not None else None
        bar = _progress(quiet or json_out or csv_out, lang)
        task = None
        if bar is not None:
            bar.__enter__()
            task = bar.add_task(tr("cli.progress.solving", lang), total=None)
        try:
            solution = solve_population(
                book, reformed, batches, contribution, solve, target=goal, stand_in=stand_in,
                progress=(lambda n: bar.update(task, completed=n)) if bar is not None else None, **kw,
            )  # fmt: skip
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        contribution = contribution.with_parameter(solve, solution.value)
    bar = _progress(quiet or json_out or csv_out, lang)
    task = None
    if bar is not None:
        bar.__enter__()
        task = bar.add_task(tr("cli.progress.pricing", lang), total=sum(p.households for p in batches))
    try:
        pairs, group_notes, standards = pair_batches(
            book, reformed, batches, contribution=contribution, stand_in=stand_in,
            progress=(lambda n: bar.update(task, completed=n)) if bar is not None else None, **kw,
        )  # fmt: skip
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    own = reform_notes(reform, lang)
    summary = summarise_reform(
        pairs, relative_to=relative_to, thresholds=thresholds,  # type: ignore[arg-type]
        notes=(*own, *notes, *group_notes, *_file_notes(source)), standards=standards, min_cell=min_cell,
    )  # fmt: skip
    response = enrolment_response(pairs, *scenario_range) if scenario_range is not None else None
    if json_out:

        def dumped(model: Any) -> Any:
            return model.model_dump(mode="json") if model is not None else None

        solved = dumped(solution)
        if solution is not None:
            from ..analyses.reform.population_compare import yuan

            for name in ("total", "target", "residual", "total_at_low", "total_at_high"):
                solved[f"{name}_yuan"] = str(yuan(getattr(solution, name)))
        echo_json({"reform": reform_info(reform, contribution), "summary": dumped(summary),
                   "solution": solved, "response": dumped(response),
                   "notes": [str(n) for n in summary.notes]})  # fmt: skip
        return
    if csv_out:
        from ..render.machine import to_csv

        rows = csv_rows(summary)
        typer.echo(to_csv(rows, CSV_COLUMNS), nl=False)
        return
    from ..render.formats import say
    from ..render.reform_population import reform_population_text

    title = tr("reform.pop.title", lang, name=reform.name.zh if lang.startswith("zh") else reform.name.en)
    from ..render.paragraph import as_paragraph

    out = console()
    from ..analyses.population.run import regions_named

    names = regions_named(book, sorted({s.region for s in summary.standards}))
    parts = reform_population_text(
        summary, lang, title=title, solution=solution, response=response, names=names
    )
    for part in parts:
        if isinstance(part, str):  # prose (titles come as styled Text)
            out.print(as_paragraph(say(part, lang)))
        else:
            out.print(part)


def _file_notes(source: Any) -> list[Any]:
    """The lines of a survey file that could not be read (as ``population`` lists them)."""
    if not hasattr(source, "skipped_lines"):
        return []
    from ..analyses.population.values import LISTED

    where = source.path
    return [
        Note("population.file.row_at", where=f"{where}:{s.line}", reason=s.reason) if s.line else s.reason
        for s in source.skipped_lines()[:LISTED]
    ]


def reform_info(reform: Reform, contribution: Any) -> dict[str, Any]:
    """The reform as ``--json`` gives it (``contribution``: the one used, after ``--solve``)."""
    return {
        "id": reform.id,
        "name": {"zh": reform.name.zh, "en": reform.name.en},
        "illustrative": reform.illustrative,
        "assumptions": [{"zh": a.zh, "en": a.en} for a in reform.reform.assumptions],
        "settings": list(reform.settings),
        "contribution": contribution.model_dump(mode="json") if contribution is not None else None,
    }


def reform_notes(reform: Reform, lang: str) -> Iterable[Any]:
    """The reform's own qualifications: a scenario, illustrative or not, its assumptions."""
    yield Note("reform.pop.scenario", name=reform.name.zh if lang.startswith("zh") else reform.name.en)
    if reform.illustrative:
        yield Note("reform.pop.illustrative")
    for a in reform.reform.assumptions:
        yield Note.verbatim(a.zh if lang.startswith("zh") else a.en)


#: ``population --reform --csv``: one row per decile (``kind`` decile) and per bin (``bin``).
CSV_COLUMNS = [
    "kind", "part", "income_to", "sample", "households", "people", "share", "mean_change",
    "burden_before", "burden_after", "mean_burden_before", "mean_burden_after",
]  # fmt: skip


def csv_rows(summary: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for d in summary.deciles:
        rows.append({"kind": "decile", **d.model_dump()})
    for b in summary.bins:
        rows.append({"kind": "bin", "part": b.name, "households": b.households, "people": b.people,
                     "share": b.share})  # fmt: skip
    return rows
