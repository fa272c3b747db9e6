"""Population runs beyond one process: the same two passes over the row groups of a Parquet
file, as Dask tasks (``pip install premium-calc[dask]``).

Each task reads one partition (a row group: :func:`~.files.open_writer` and ``population
--out x.parquet`` write households inside row groups), builds its own rate book from the rate
directories and the data version it is given (workers never receive a pickled book), and
returns the tallies of :mod:`.tally`, which are merged by addition. The summary is therefore
identical to the single-process one (``tests/test_population.py`` checks it on a local
cluster). A household split across two row groups is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import HouseholdError, OptionError
from ...messages import Note
from .columns import from_columns
from .pricing import Group, price_population
from .run import GroupKeys, finish, rank_batch, tally_batch
from .summary import PopulationSummary
from .tally import EVERYTHING, GroupKey, IncomeRanks, Tally

if TYPE_CHECKING:
    from ...ratebook.book import RateBook


@functools.lru_cache(maxsize=4)
def _worker_book(dirs: tuple[str, ...], data_version: str) -> RateBook:
    """A worker's own rate book, built once per process from the directories (the data
    version is part of the key: a worker never uses rates of another version)."""
    from ...ratebook.book import RateBook
    from ...ratefiles.reading import bundled_rates_dir

    bundled = str(bundled_rates_dir().resolve())
    extra = [d for d in dirs if d != bundled]
    return RateBook(extra, include_bundled=bundled in dirs, use_env=False)


def _partition(
    frame: Any, columns: Mapping[str, str], year: int | None, region: str | None, where: str
) -> Any:
    renamed = frame.rename(columns={v: k for k, v in columns.items()})
    keep = [c for c in renamed.columns if c in _KNOWN]
    return from_columns(renamed[keep], year=year, region=region, where=where, skip_bad=True)


_KNOWN = ("household", "region", "year", "weight", "age", "birth_date", "sex", "flags", "income", "late")


def _pass1(frame: Any, job: dict[str, Any]) -> tuple[IncomeRanks, Any, Any]:
    book = _worker_book(job["dirs"], job["version"])
    pop = _partition(frame, job["columns"], job["year"], job["region"], job["where"])
    keys = GroupKeys(book, job["region"], job["year"], job["by_region"])
    first = pop.labels[0] if pop.households else None
    last = pop.labels[-1] if pop.households else None
    return rank_batch(keys, pop), first, last


def _pass2(
    frame: Any, job: dict[str, Any], ranks: IncomeRanks
) -> tuple[Tally, dict[GroupKey, Group], int, list[Any]]:
    book = _worker_book(job["dirs"], job["version"])
    pop = _partition(frame, job["columns"], job["year"], job["region"], job["where"])
    keys = GroupKeys(book, job["region"], job["year"], job["by_region"])
    result = price_population(book, pop, region=job["region"], year=job["year"], tier=job["tier"])
    groups = {(g.region or g.query, g.year): g for g in result.groups}
    return tally_batch(keys, result, ranks), groups, pop.dropped_rows, list(pop.skipped)


def run_dask(
    book: RateBook,
    path: Path | str,
    *,
    columns: Mapping[str, str] | None = None,
    region: str | None = None,
    year: int | None = None,
    tier: str | None = None,
    thresholds: tuple[Decimal, ...],
    min_cell: int = 30,
    by_region: bool = True,
    scheduler: Any = None,
) -> PopulationSummary:
    """Run a Parquet population on Dask (``scheduler``: a dask scheduler name such as
    ``"processes"``, a ``distributed.Client``, or None for Dask's default)."""
    try:
        import dask.dataframe as dd
        from dask.base import compute as dask_compute
        from dask.delayed import delayed
    except ImportError:
        raise OptionError("--engine", Note("error.dask_missing")) from None
    from ... import __version__
    from ...ratefiles.reading import data_version

    path = Path(path)
    if path.suffix.lower() not in (".parquet", ".pq"):
        raise OptionError("--engine", Note("error.dask_parquet", path=str(path)))
    mapping = dict(columns or {})
    frame = dd.read_parquet(str(path), split_row_groups=True)
    parts = frame.to_delayed()
    job = {
        "dirs": tuple(str(d) for d in book.dirs),
        "version": f"{data_version()}+{__version__}",
        "columns": mapping,
        "year": year,
        "region": region,
        "tier": tier,
        "by_region": by_region,
        "where": str(path),
    }
    compute: Any = (
        functools.partial(dask_compute, scheduler=scheduler) if scheduler is not None else dask_compute
    )
    first = compute(*[delayed(_pass1)(part, job) for part in parts])
    ranks = IncomeRanks()
    for index, (part_ranks, head, _) in enumerate(first):
        if index and head is not None and first[index - 1][2] is not None and head == first[index - 1][2]:
            raise HouseholdError(
                Note("error.dask_split_household", household=str(head), group=index), file=str(path)
            )
        ranks.merge(part_ranks)
    second = compute(*[delayed(_pass2)(part, job, ranks) for part in parts])
    tally = Tally()
    groups: dict[GroupKey, Group] = {}
    dropped = 0
    skipped: list[Any] = []
    for part_tally, part_groups, part_dropped, part_skipped in second:
        tally.merge(part_tally)
        for key, g in part_groups.items():
            groups.setdefault(key, g)
        dropped += part_dropped
        skipped.extend(part_skipped)
    single = [k for k in ranks.groups if k != EVERYTHING]
    if by_region and len(single) == 1 and single[0] not in tally.groups:
        tally.groups[single[0]] = tally.groups[EVERYTHING]
    return finish(book, ranks, tally, groups, skipped, dropped, thresholds=thresholds, min_cell=min_cell)
