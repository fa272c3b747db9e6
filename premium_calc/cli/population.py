"""``premium-calc population``: price a whole population (a survey file, or a documented
model population) and summarise it by income decile, exactly."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import OptionError
from ..messages import Note, tr
from ._common import (
    DEFAULT_LANG,
    JsonOption,
    LangOption,
    OutAlias,
    RatesDirOption,
    app,
    console,
    echo_json,
    fail,
    get_book,
    json_or_csv,
    short_help,
    user_errors,
)
from .language import LANG

if TYPE_CHECKING:
    from ..analyses.population.columns import Population
    from ..analyses.population.pricing import PopulationResult

POPULATION_HELP = tr("cli.help.population", LANG)
#: At most this many unreadable member rows are kept for ``--rejects`` (the count says if more).
MAX_REJECTS = 1_000_000


def parse_columns(pairs: list[str] | None) -> dict[str, str]:
    """``--column age=年龄`` -> {"age": "年龄"}."""
    from ..analyses.population.columns import COLUMNS

    out: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, header = pair.partition("=")
        name, header = name.strip(), header.strip()
        if not sep or not header:
            raise OptionError("--column", Note("error.column_option", value=pair))
        if name not in COLUMNS:
            raise OptionError(
                "--column", Note("error.column_unknown", column=name, expected=", ".join(COLUMNS))
            )
        out[name] = header
    return out


def population_thresholds(raw: str | None) -> tuple[Decimal, ...]:
    from .calc import parse_thresholds

    values = parse_thresholds(raw)
    for value in values:
        if value != value.quantize(Decimal("0.0001")):
            raise OptionError("--thresholds", Note("error.threshold_places", value=f"{value}"))
    return tuple(values)


@app.command(help=POPULATION_HELP, short_help=short_help(POPULATION_HELP))
@user_errors
def population(
    file: Annotated[Path | None, typer.Argument(help=tr("cli.help.population.file", LANG))] = None,
    region: Annotated[
        str | None, typer.Option("--region", "-r", help=tr("cli.help.population.region", LANG))
    ] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help=tr("cli.help.calc.year", LANG))] = None,
    paid_in: Annotated[int | None, typer.Option("--paid-in", help=tr("cli.help.calc.paid_in", LANG))] = None,
    tier: Annotated[str | None, typer.Option("--tier", help=tr("cli.help.batch.tier", LANG))] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", metavar="NAME=HEADER", help=tr("cli.help.population.column", LANG)),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help=tr("cli.help.population.encoding", LANG))
    ] = None,
    synthetic: Annotated[
        str | None,
        typer.Option("--synthetic", help=tr("cli.help.population.synthetic", LANG)),
    ] = None,
    households: Annotated[
        int, typer.Option("--households", help=tr("cli.help.population.households", LANG))
    ] = 100_000,
    setting: Annotated[
        str, typer.Option("--setting", help=tr("cli.help.population.setting", LANG))
    ] = "rural",
    seed: Annotated[int, typer.Option("--seed", help=tr("cli.help.population.seed", LANG))] = 0,
    thresholds: Annotated[
        str | None, typer.Option("--thresholds", help=tr("cli.help.population.thresholds", LANG))
    ] = None,
    min_cell: Annotated[int, typer.Option("--min-cell", help=tr("cli.help.population.min_cell", LANG))] = 30,
    by_region: Annotated[
        bool, typer.Option("--by-region/--no-by-region", help=tr("cli.help.population.by_region", LANG))
    ] = True,
    quintiles: Annotated[
        bool, typer.Option("--quintiles", help=tr("cli.help.population.quintiles", LANG))
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=tr("cli.help.population.out", LANG))
    ] = None,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help=tr("cli.help.population.rejects", LANG))
    ] = None,
    batch_rows: Annotated[
        int, typer.Option("--batch-rows", help=tr("cli.help.population.batch_rows", LANG))
    ] = 1_000_000,
    engine: Annotated[str, typer.Option("--engine", help=tr("cli.help.population.engine", LANG))] = "local",
    low_memory: Annotated[
        bool, typer.Option("--low-memory", help=tr("cli.help.population.low_memory", LANG))
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=tr("cli.help.population.quiet", LANG))] = False,
    reform: Annotated[
        str | None, typer.Option("--reform", metavar="FILE", help=tr("cli.help.population.reform", LANG))
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="KEY=VALUE", help=tr("cli.help.population.set", LANG)),
    ] = None,
    solve: Annotated[
        str | None, typer.Option("--solve", metavar="PARAM", help=tr("cli.help.population.solve", LANG))
    ] = None,
    solve_target: Annotated[
        Decimal | None, typer.Option("--target", help=tr("cli.help.population.target", LANG))
    ] = None,
    relative_to: Annotated[
        str, typer.Option("--relative-to", help=tr("cli.help.population.relative_to", LANG))
    ] = "premium",
    elasticity: Annotated[
        str | None,
        typer.Option("--elasticity", metavar="A..B", help=tr("cli.help.population.elasticity", LANG)),
    ] = None,
    json_out: JsonOption = False,
    csv_out: Annotated[bool, typer.Option("--csv", help=tr("cli.help.population.csv", LANG))] = False,
    lang: LangOption = DEFAULT_LANG,
    rates_dir: RatesDirOption = None,
    out: OutAlias = None,
) -> None:
    from ..analyses.population.run import run_population
    from .calc import chosen_year

    json_or_csv(json_out, csv_out, lang.value)
    output = output if output is not None else out
    if (file is None) == (synthetic is None):
        raise OptionError("FILE", Note("error.population_source"))
    if min_cell < 0:
        raise OptionError("--min-cell", Note("error.not_negative", value=min_cell))
    if batch_rows < 1:
        raise OptionError("--batch-rows", Note("error.not_negative", value=batch_rows))
    if engine not in ("local", "dask"):
        raise OptionError("--engine", Note("error.engine", value=engine))
    coverage, year_note = chosen_year(year, paid_in)
    limits = population_thresholds(thresholds)
    reformed = _reform_of(reform, set_, solve, solve_target, elasticity, relative_to)
    if reformed is not None:
        refused = (("--output", output), ("--rejects", rejects), ("--quintiles", quintiles or None))
        for option, value in refused:
            if value is not None:
                raise OptionError(option, Note("error.reform_population_option", option=option))
    book = get_book(rates_dir)
    notes: list[Any] = [year_note] if year_note is not None else []
    if synthetic is not None:
        from ..analyses.population.synthetic import synthetic_population

        if households < 1 or households > 50_000_000:
            raise OptionError("--households", Note("error.households_range", value=households))
        model = synthetic_population(synthetic, coverage, households, seed=seed, setting=setting, book=book)
        from ..analyses.population.columns import from_columns

        source: Any = from_columns(model.columns, year=coverage, region=model.region)
        notes.extend(model.assumptions)
        notes.extend(model.source_notes())
        region = region or model.region
    else:
        assert file is not None
        for target in (output, rejects):
            if target is not None and file.exists() and target.exists() and target.samefile(file):
                raise OptionError(
                    "--output" if target is output else "--rejects", Note("cli.out_is_input", path=target)
                )
        source = _file_source(file, parse_columns(column), encoding, batch_rows, coverage, region)
        source.keep_rejects = rejects is not None
        if engine == "dask":
            if reformed is not None:
                raise OptionError("--engine", Note("error.reform_local_only"))
            if rejects is not None:
                raise OptionError("--rejects", Note("error.rejects_local_only"))
            from ..analyses.population.distributed import run_dask

            summary = run_dask(
                book, file, columns=parse_columns(column), region=region, year=coverage, tier=tier,
                thresholds=limits, min_cell=min_cell, by_region=by_region,
            )  # fmt: skip
            _show(summary, notes, json_out, csv_out, lang.value, quintiles)
            return

    if reformed is not None:
        from .population_reform import run_reform_population

        run_reform_population(
            book, source, reformed, region=region, year=coverage, tier=tier, thresholds=limits,
            min_cell=min_cell, relative_to=relative_to, solve=solve, target=solve_target,
            elasticity=elasticity, setting=setting, notes=notes, json_out=json_out, csv_out=csv_out,
            quiet=quiet, lang=lang.value,
        )  # fmt: skip
        return

    import contextlib

    with contextlib.ExitStack() as stack:
        writer = None
        if output is not None:
            from ..analyses.population.output import open_writer

            writer = _Writer(stack.enter_context(open_writer(output)))
        progress = _progress(quiet or json_out or csv_out)
        bar = stack.enter_context(progress)
        if isinstance(source, _FileSource) and bar is not None:
            source.on_batch = progress.file_batch
        try:
            summary = run_population(
                book,
                source,
                region=region,
                year=coverage,
                tier=tier,
                thresholds=limits,
                min_cell=min_cell,
                by_region=by_region,
                on_priced=writer.write_result if writer is not None else None,
                progress=bar,
                low_memory=low_memory,
            )
        except OSError as exc:  # writing the results (a full disk): the old file is kept
            fail(tr("cli.cannot_write", lang.value, path=output, reason=exc.strerror or exc), lang=lang.value)
    if writer is not None:
        typer.echo(tr("cli.households_written", lang.value, count=writer.rows, path=output), err=True)
    if isinstance(source, _FileSource):
        from ..analyses.population.values import LISTED

        notes.extend(
            Note("population.file.row_at", where=f"{file}:{s.line}", reason=s.reason) if s.line else s.reason
            for s in source.skipped_lines()[:LISTED]
        )
        if rejects is not None:
            from ..analyses.population.output import open_writer
            from ..render.population_rows import rejects_table

            try:
                with open_writer(rejects) as sink:
                    sink.write(rejects_table(str(file), source.skipped_lines(), source.rejected, lang.value))
            except OSError as exc:
                reason = exc.strerror or exc
                fail(tr("cli.cannot_write", lang.value, path=rejects, reason=reason), lang=lang.value)
            count = len(source.skipped_lines()) + len(source.rejected)
            typer.echo(tr("cli.rejects_written", lang.value, count=count, path=rejects), err=True)
    _show(summary, notes, json_out, csv_out, lang.value, quintiles)


def _reform_of(
    reform: str | None,
    settings: list[str] | None,
    solve: str | None,
    target: Decimal | None,
    elasticity: str | None,
    relative_to: str,
) -> Any:
    """The reform of ``--reform``/``--set`` (None without them; the reform-only options
    then refused)."""
    if reform is None and not settings:
        for option, value in (
            ("--solve", solve),
            ("--target", target),
            ("--elasticity", elasticity),
            ("--relative-to", None if relative_to == "premium" else relative_to),
        ):
            if value is not None:
                raise OptionError(option, Note("error.reform_option_needs_reform", option=option))
        return None
    from .population_reform import load_reform_options

    return load_reform_options(reform, settings)


def _show(summary: Any, notes: list[Any], json_out: bool, csv_out: bool, lang: str, quintiles: bool) -> None:
    from ..render.formats import say
    from ..render.population import summary_text

    summary = summary.model_copy(update={"notes": (*notes, *summary.notes)})
    if json_out:
        echo_json(summary)
        return
    if csv_out:
        from ..render.machine import to_csv

        rows = cell_rows(summary, quintiles=quintiles)
        typer.echo(to_csv(rows, list(rows[0]) if rows else CELL_COLUMNS), nl=False)
        return
    from ..render.paragraph import as_paragraph

    out = console()
    for part in summary_text(summary, lang, quintiles=quintiles):
        if isinstance(part, str):  # prose (titles come as styled Text)
            out.print(as_paragraph(say(part, lang)))
        else:
            out.print(part)


#: The first columns of ``population --csv``; then one column per field of a cell
#: (:class:`~premium_calc.analyses.population.summary.Cell`) and per threshold.
CELL_COLUMNS = ["region", "year", "kind", "part"]


def cell_rows(summary: Any, *, quintiles: bool = False) -> list[dict[str, Any]]:
    """``population --csv``: one row per group (region and year; ``""`` and 0 for everyone)
    and cell: the whole group (``kind`` ``all``), each decile (or quintile), the households
    without a known income (``not_ranked``); the fields of the JSON's cells, exact, and for
    each threshold the shares above it (``above_5%_households_low`` ...). Notes stay in
    ``--json`` and the table."""
    rows: list[dict[str, Any]] = []
    kind = "quintile" if quintiles else "decile"
    for group in summary.groups:
        parts = group.quintiles if quintiles else group.deciles
        cells = [("all", group.whole), *((kind, c) for c in parts), ("not_ranked", group.not_ranked)]
        for name, cell in cells:
            row: dict[str, Any] = {"region": group.region, "year": group.year or "", "kind": name}
            row.update(cell.model_dump(exclude={"above"}))
            for share in cell.above:
                label = f"{(share.threshold * 100).normalize():f}%"
                for field in ("households_low", "households_high", "people_low", "people_high"):
                    row[f"above_{label}_{field}"] = getattr(share, field)
            rows.append(row)
    return rows


class _FileSource:
    """A survey file read twice (once per pass), in household-aligned batches."""

    def __init__(
        self,
        path: Path,
        columns: dict[str, str],
        encoding: str | None,
        batch_rows: int,
        year: int,
        region: str | None,
    ) -> None:
        self.path, self.columns, self.encoding, self.batch_rows = path, columns, encoding, batch_rows
        self.year, self.region = year, region
        self._skipped: list[Any] = []
        self.on_batch: Any = None  # called with each file batch (the progress bar)
        #: Keep every member row that could not be read (for ``--rejects``), not the first few.
        self.keep_rejects = False
        self.rejected: list[Any] = []
        self._passes = 0

    def __call__(self) -> Iterator[Population]:
        from ..analyses.population.columns import from_columns
        from ..analyses.population.files import iter_batches

        reader = iter_batches(
            self.path, columns=self.columns, encoding=self.encoding, batch_rows=self.batch_rows
        )
        import dataclasses

        from ..analyses.population.values import LISTED

        self._passes += 1
        first = self._passes == 1
        for batch in reader:
            if self.on_batch is not None:
                self.on_batch(batch)
            pop = from_columns(
                batch.table,
                year=self.year,
                region=self.region,
                where=str(self.path),
                lines=batch.lines if batch.kind == "line" else None,
                skip_bad=True,
                listed=MAX_REJECTS if self.keep_rejects else LISTED,
            )
            if self.keep_rejects:
                if first:
                    self.rejected.extend(pop.skipped[: MAX_REJECTS - len(self.rejected)])
                pop = dataclasses.replace(pop, skipped=pop.skipped[:LISTED])
            yield pop
        self._skipped = list(reader.skipped)

    def skipped_lines(self) -> list[Any]:
        return self._skipped


def _file_source(
    path: Path, columns: dict[str, str], encoding: str | None, batch_rows: int, year: int, region: str | None
) -> _FileSource:
    return _FileSource(path, columns, encoding, batch_rows, year, region)


class _Writer:
    """Per-household results, batch by batch, into an atomic writer."""

    def __init__(self, sink: Any) -> None:
        self.sink = sink
        self.rows = 0

    def write_result(self, result: PopulationResult) -> None:
        from ..render.population_rows import household_table

        table = household_table(result)
        self.sink.write(table)
        self.rows += table.num_rows


class _progress:
    """A progress bar on stderr over both passes (off when quiet or not a terminal)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet or not sys.stderr.isatty()
        self.bar: Any = None
        self._file_task: Any = None

    def __enter__(self) -> Any:
        if self.quiet:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.bar.__enter__()
        lang = LANG
        tasks = {1: self.bar.add_task(tr("cli.progress.ranking", lang), total=None),
                 2: self.bar.add_task(tr("cli.progress.pricing", lang), total=None)}  # fmt: skip

        def update(step: int, done: int) -> None:
            if step == 2 and self.bar.tasks[tasks[2]].total is None:
                # Pass 1 has counted the households: pass 2 knows how far it goes.
                counted = self.bar.tasks[tasks[1]].completed
                self.bar.update(tasks[1], total=counted)
                self.bar.update(tasks[2], total=counted)
            self.bar.update(tasks[step], completed=done)

        return update

    def file_batch(self, batch: Any) -> None:
        """How far into the file: bytes (CSV) or rows (Parquet) of the file's own size."""
        if self.bar is None:
            return
        if self._file_task is None:
            self._file_task = self.bar.add_task(tr("cli.progress.reading", LANG), total=None)
        by_bytes = bool(batch.bytes_total)
        done = batch.bytes_done if by_bytes else batch.rows_done
        total = batch.bytes_total if by_bytes else batch.rows_total
        self.bar.update(self._file_task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
