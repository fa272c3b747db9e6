"""Check rate and benefit files: every problem as ``file:line:col: key.path: what is wrong (expected ...)``.

:func:`validate` checks the rate files of a :class:`~premium_calc.ratebook.RateBook` (or
given paths) and returns :class:`Problem` s, errors and warnings. Errors make a file
unusable or wrong; warnings flag likely data-entry slips that may be intended.

Rules (``rule`` id, severity, what it catches):

``file`` (error)
    the file cannot be read or is not UTF-8.
``toml`` (error)
    the file is not valid TOML (line and column from the parser).
``schema`` (error)
    a key or value the rate-file schema does not allow (:mod:`premium_calc.ratefiles.model`;
    every such problem of a file, up to 50, where a calculation reports the first).
``benefit-region`` (error)
    a benefit file (``benefits/**/*.toml``) whose path under ``benefits/`` is not a region id
    (lower-case letters, digits and ``_``, one folder per level): the benefit rules skip it.
    A benefit file's ``file``, ``toml`` and ``schema`` problems are those of the benefit-file
    schema (:mod:`premium_calc.ratefiles.benefit_model`), every one of a file in one run.
``stats-duplicate`` (error)
    a row of a statistics file (``stats/*.toml``) that gives a figure an earlier row of the
    same file gives (same statistic, region, year and measure): only the first is read.
``year-duplicate`` (error)
    two ``[[year]]`` entries for the same coverage year.
``year-overlap`` (error)
    the collection windows of two coverage years overlap.
``year-gap`` (warning)
    coverage years that are not consecutive (a year between two entries is missing).
``policy-year`` (warning)
    a notice (``policy``) year after the coverage year.
``window-order`` (error)
    ``collection`` or ``late`` ends before it starts.
``window-year`` (warning)
    a collection window that ends after its coverage year, or starts more than a year
    before it (usually the notice year entered as the coverage year).
``late-window`` (warning)
    late enrollment that starts before the same entry's collection window ends.
``parent-unknown`` (error)
    ``[region] parent`` names no rate file.
``parent-cycle`` (error)
    the chain of parents comes back to the file.
``parent-invalid`` (error)
    an ancestor cannot be loaded (reported only when that ancestor is not validated too).
``tier-duplicate``, ``category-duplicate``, ``assisted-duplicate`` (error)
    the same id twice in one year's ``tier``, ``category`` or ``assisted`` list.
``tier-undeclared`` (error)
    a category of this file gives an amount for a tier id that the year's tier list (this
    file's or the inherited one) does not declare.
``tier-missing`` (error)
    a category of this file with ``tiers`` lacks an amount for a declared tier.
``tier-conflict`` (error)
    this file replaces the tier list, but a category it inherits (the whole list, or a
    category that reuses a parent category's id without an amount of its own) carries
    amounts for tiers the new list does not declare: the child's ids collide with the
    parent's in an incompatible way.
``tier-unused`` (warning)
    a tier this file declares that no category gives an amount for.
``category-amount-conflict`` (error)
    a category that sets both ``individual`` and ``tiers``, or ``missing`` and an amount.
``category-no-amount`` (error)
    a category of this file with no ``individual``, ``tiers`` or ``missing``, here or in a
    parent category with the same id.
``category-none`` (error)
    a coverage year with no category, here or in any parent.
``category-unreachable`` (error), ``category-gap`` (warning)
    no member of any age, or members of some ages, find a category in the resolved year
    (:mod:`.reach`): their calculations would fail.
``includes-exceeds`` (error)
    ``includes`` components that add up to more than the category's amount.
``below-minimum`` (warning)
    an amount (flat or a tier) below the national minimum of its coverage year
    (:meth:`RateBook.national_minimum`), unless the category says ``below_minimum = true``.
    Assisted rules are exempt: they are below the minimum on purpose.
``source-missing`` (error)
    a source whose title is empty or a placeholder (``TODO``, ``?`` ...): the values it
    should back have no source.
``source-unchecked`` (warning)
    a low-confidence source without a ``url``: nobody can check the value.
``source-orphan`` (warning)
    ``subsidy_source`` in an entry that sets no ``subsidy``.
``name-shared`` (warning)
    a name or alias that another rate file in use also claims (an overlay that reuses a
    bundled region's name): looking it up is ambiguous (:meth:`RateBook.shared_names`).
``redundant`` (warning)
    a city or county entry that sets values, all equal to its parent's for that year (an
    entry that applies the parent's standard needs only ``coverage``, ``policy`` and
    ``source``).
``change-band``, ``subsidy-minimum``, ``province-band``, ``policy-same-year``, ``window-inside`` (warning)
    plausibility: the rules and their bands are in :mod:`.plausibility` and ``rates/README.md``.

Problems point at the line and column of the key in the file
(:func:`~premium_calc.ratefiles.keypaths.position_of`). Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import (
    DataMissingError,
    PremiumCalcError,
    RateFileError,
)
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratefiles.keypaths import KeyPath, format_path, is_type_tag, position_of
from ..ratefiles.reading import (
    BENEFITS_DIR,
    NOT_REGIONS,
    REGION_ID,
    STATS_DIR,
    Region,
    load_rate_file,
)
from .file_rules import check_entry, check_sources, check_years
from .plausibility import check_plausibility
from .problems import FileCheck, Problem
from .reach import check_reach
from .resolved_rules import check_amounts, check_chain, check_redundant, check_tiers


def validate(book: RateBook, paths: Sequence[Path | str] | None = None) -> list[Problem]:
    """Check rate and benefit files; problems sorted by file, line and column.

    ``paths=None`` checks every rate file and benefit file in use by ``book`` (files overridden
    by a user directory are not in use) and the statistics files. Otherwise each path is a
    file or a directory of files; a rate file outside the book's directories is checked as a
    region of its own that inherits from the book's regions. A file under a ``benefits/``
    folder is a benefit file (:func:`check_benefit_file`).
    """
    targets = _targets(book, paths)
    validated = {rid for rid, _ in targets if rid is not None}
    problems: list[Problem] = []
    for rid, path in targets:
        problems += check_file(FileCheck(book, path, rid, validated, direct=paths is None))
    for rid, path in _benefit_targets(book, paths):
        problems += check_benefit_file(book, path, rid)
    if paths is None:
        problems += check_statistics(book)
        problems += check_shared_names(book)
    return sorted(problems, key=Problem.sort_key)


def check_shared_names(book: RateBook) -> list[Problem]:
    """``name-shared`` (warning): names or aliases that several rate files claim (an overlay
    that reuses a bundled region's name, two files with one alias), once per file; where a
    user's file is among them, on the user's files only. Looking such a name up asks which
    region is meant instead of taking one."""
    from ..ratebook.names import header_names, normalize_name

    bundled = book.dirs[-1] if book.dirs else None
    by_file: dict[str, dict[str, list[str]]] = {}  # region id -> name -> the other claimants
    for name, claims in book.shared_names().items():
        users = [r for r in claims if bundled is None or not book.path_of(r).is_relative_to(bundled)]
        for rid in users or claims:
            by_file.setdefault(rid, {})[name] = [r for r in claims if r != rid]
    problems: list[Problem] = []
    for rid, shared in sorted(by_file.items()):
        path = book.path_of(rid)
        written = {normalize_name(n): n for n in header_names(path)}
        names = ", ".join(repr(written.get(n, n)) for n in shared)
        others = ", ".join(dict.fromkeys(r for claims in shared.values() for r in claims))
        check = FileCheck(book, path, rid, set(), direct=True)
        check.warning("name-shared", ("region",), Note("validate.name_shared", names=names, others=others))
        problems += check.problems
    return problems


def check_statistics(book: RateBook) -> list[Problem]:
    """The statistics files (``stats/*.toml`` of every rate directory), as the income lookups
    read them: a broken one is reported here, not first by a calculation."""
    from pydantic import ValidationError

    from ..ratefiles.income_model import IncomeFile
    from ..ratefiles.pydantic_errors import validation_error
    from ..ratefiles.reading import read_toml

    problems: list[Problem] = []
    for root in book.dirs:
        folder = root / STATS_DIR
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                try:
                    parsed = IncomeFile.model_validate(read_toml(path))
                except ValidationError as exc:
                    raise validation_error(path, exc) from None
            except RateFileError as exc:
                where = (str(path), exc.line, exc.column, exc.key or "")
                problems.append(Problem("error", *where, exc.detail_note, exc.rule))
                continue
            check = FileCheck(book, path, path.stem, set(), direct=True)
            for key, first in _repeated_rows(parsed):
                note = Note("validate.stats_duplicate", first=format_path(first))
                check.error("stats-duplicate", key, note)
            problems += check.problems
    return problems


def check_benefit_file(book: RateBook, path: Path, region_id: str) -> list[Problem]:
    """One benefit file of region ``region_id`` (its path under ``benefits/``), as the benefit
    rules read it: ``benefit-region`` when the id is not a region id, and every ``file``,
    ``toml`` or ``schema`` problem (up to 50; a calculation reports the first)."""
    from ..ratebook.benefits import load_benefit_file

    check = FileCheck(book, path, region_id, set(), direct=True)
    if not REGION_ID.match(region_id):
        check.error("benefit-region", (), Note("validate.benefit_region", region=region_id))
    try:
        load_benefit_file(path, region_id)
    except RateFileError as exc:
        found = _every_benefit_error(path, region_id) if exc.rule == "schema" else []
        check.problems += [from_load_error(check, e) for e in found or [exc]]
    return check.problems


def _every_benefit_error(path: Path, region_id: str) -> list[RateFileError]:
    """All schema errors of a benefit file (the loader stops at the first)."""
    from pydantic import ValidationError

    from ..ratefiles.benefit_model import BenefitFile
    from ..ratefiles.pydantic_errors import validation_errors
    from ..ratefiles.reading import read_toml

    try:
        BenefitFile.model_validate(read_toml(path), context={"region": region_id})
    except ValidationError as exc:
        return validation_errors(path, exc)
    except RateFileError:
        pass
    return []


def _repeated_rows(parsed: Any) -> list[tuple[KeyPath, KeyPath]]:
    """Rows of a statistics file that give a figure an earlier row of the file already gives
    (the same statistic, region, year and measure): only the first is ever read."""
    seen: dict[tuple[object, ...], KeyPath] = {}
    out: list[tuple[KeyPath, KeyPath]] = []
    for table in ("income", "median"):
        for index, row in enumerate(getattr(parsed, table)):
            for population in ("all", "urban", "rural"):
                if getattr(row, population) is not None:
                    figure = (table, row.region, row.year, row.measure, population)
                    first = seen.setdefault(figure, (table, index))
                    if first != (table, index):
                        out.append(((table, index, population), first))
    for index, q in enumerate(parsed.quintile):
        quintile = ("quintile", q.year, q.population, q.measure)
        first = seen.setdefault(quintile, ("quintile", index))
        if first != ("quintile", index):
            out.append((("quintile", index), first))
    return out


def validate_text(book: RateBook, path: Path, text: str, region_id: str | None = None) -> list[Problem]:
    """Check ``text`` as the new content of ``path`` (region ``region_id``), without writing it.

    The text is checked in a private temporary copy; problems name ``path``.
    """
    with tempfile.TemporaryDirectory(prefix="premium-calc-") as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(text.encode("utf-8"))
        rid = region_id or _region_id_of(book, path) or path.stem
        found = check_file(FileCheck(book, copy, rid, {rid}, force_overlay=True))
    shown = str(path)
    return sorted(
        (dataclasses.replace(p, file=shown) for p in found),
        key=Problem.sort_key,
    )


def validate_descendants(book: RateBook, region_id: str, override: Region | None = None) -> list[Problem]:
    """Problems of every region that inherits from ``region_id`` (with ``override`` in its place)."""
    view: RateBook = _Overlay(book, {region_id: override}) if override is not None else book
    out: list[Problem] = []
    for rid in book.region_ids():
        if rid == region_id or not _inherits_from(book, rid, region_id):
            continue
        out += check_file(FileCheck(view, book.path_of(rid), rid, {rid}))
    return sorted(out, key=Problem.sort_key)


def _region_id_of(book: RateBook, path: Path) -> str | None:
    real = path.resolve()
    for root in book.dirs:
        try:
            rel = real.relative_to(root)
        except ValueError:
            continue
        if rel.suffix != ".toml" or rel.parts[0] in NOT_REGIONS:
            continue
        return rel.with_suffix("").as_posix()
    return None


def _targets(book: RateBook, paths: Sequence[Path | str] | None) -> list[tuple[str | None, Path]]:
    """The rate files to check, with their region ids (``None``: a file outside the book)."""
    if paths is None:
        return [(rid, book.path_of(rid)) for rid in book.region_ids()]
    return [(_region_id_of(book, file), file) for file, benefit in _files(book, paths) if benefit is None]


def _benefit_targets(book: RateBook, paths: Sequence[Path | str] | None) -> list[tuple[str, Path]]:
    """The benefit files to check, with their region ids. ``paths=None``: those of every rate
    directory's ``benefits/`` folder that are in use (the first directory's file of a region id
    wins), and every one whose path is not a region id (the benefit rules skip it)."""
    if paths is not None:
        return [(benefit, file) for file, benefit in _files(book, paths) if benefit is not None]
    benefits = book.benefit_book()
    out: list[tuple[str, Path]] = []
    for root in book.dirs:
        folder = root / BENEFITS_DIR
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.toml")):
            rid = path.relative_to(folder).with_suffix("").as_posix()
            if not REGION_ID.match(rid) or benefits.path_of(rid) == path:
                out.append((rid, path))
    return out


def _files(book: RateBook, paths: Sequence[Path | str]) -> list[tuple[Path, str | None]]:
    """The files a validation of ``paths`` looks at, each with its benefit region id (``None``
    for a rate file). A directory gives its TOML files but not those of its ``stats/`` folder."""
    out: list[tuple[Path, str | None]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.toml") if p.relative_to(path).parts[0] != STATS_DIR)
            out += [(file, _benefit_id_of(book, file, path)) for file in files]
        else:
            out.append((path, _benefit_id_of(book, path, path.parent)))
    return out


def _benefit_id_of(book: RateBook, file: Path, base: Path) -> str | None:
    """The region id of ``file`` as a benefit file, or ``None`` for a rate file. A benefit file
    is under the ``benefits/`` folder of one of the book's rate directories, or else (when the
    file is not a rate file of the book) under a folder ``benefits`` in ``base`` (a directory
    given to validate, or a given file's folder), ``base`` itself or one of its parents: the
    nearest such folder, the id is the path below it."""
    real = file.resolve()
    for root in book.dirs:
        below = _below(real, (root / BENEFITS_DIR).resolve())
        if below is not None:
            return below
    if _region_id_of(book, file) is not None:
        return None
    folder = base.resolve()
    below = _below(real, folder / BENEFITS_DIR)
    if below is not None:
        return below
    for parent in (folder, *folder.parents):
        if parent.name == BENEFITS_DIR:
            return _below(real, parent)
    return None


def _below(path: Path, folder: Path) -> str | None:
    """``path`` relative to ``folder``, without ``.toml``, as a region id would be written
    (``None`` when ``path`` is not inside ``folder``)."""
    try:
        return path.relative_to(folder).with_suffix("").as_posix()
    except ValueError:
        return None


class _Overlay(RateBook):
    """A rate book in which some regions come from given data instead of the directories."""

    def __init__(self, base: RateBook, regions: dict[str, Region | None]) -> None:
        super().__init__(base.dirs, include_bundled=False, use_env=False)
        self._base = base
        self._overlay = {k: v for k, v in regions.items() if v is not None}

    def region(self, region_id: str) -> Region:
        found = self._overlay.get(region_id)
        if found is not None:
            return found
        return self._base.region(region_id)

    def region_ids(self) -> list[str]:
        return sorted({*self._base.region_ids(), *self._overlay})

    def path_of(self, region_id: str) -> Path:
        found = self._overlay.get(region_id)
        return found.path if found is not None else self._base.path_of(region_id)

    def find(self, query: str) -> str:
        if query in self._overlay:
            return query
        return self._base.find(query)


def _inherits_from(book: RateBook, region_id: str, ancestor: str) -> bool:
    seen: set[str] = set()
    current: str | None = region_id
    while current is not None and current not in seen:
        seen.add(current)
        try:
            current = book.region(current).parent
        except PremiumCalcError:
            return False
        if current == ancestor:
            return True
    return False


def check_file(check: FileCheck) -> list[Problem]:
    region = load(check)
    if region is None:
        return check.problems
    data = region.data
    check_years(check, data)
    for index, entry in enumerate(data.year):
        check_entry(check, index, entry)
        check_sources(check, index, entry)
    if not check_chain(check, region):
        return check.problems
    book: RateBook = check.book if check.direct else _Overlay(check.book, {check.rid: region})
    first: dict[int, int] = {}
    for index, entry in enumerate(data.year):
        first.setdefault(entry.coverage, index)
    for coverage, index in first.items():
        entry = data.year[index]
        try:
            schedule = book.schedule(check.rid, coverage)
        except DataMissingError as exc:
            if exc.kind == "no-category":
                check.error(
                    "category-none",
                    ("year", index),
                    Note("validate.category_none", year=coverage),
                )
            continue
        except PremiumCalcError as exc:
            check.error(
                "resolve",
                ("year", index),
                Note("validate.resolve", year=coverage, error=exc.note),
            )
            continue
        check_tiers(check, index, entry, schedule)
        check_amounts(check, index, schedule)
        check_reach(check, index, schedule)
        check_redundant(check, book, region, index, entry, schedule)
    check_plausibility(check, book, region)
    return check.problems


def load(check: FileCheck) -> Region | None:
    try:
        if check.direct:
            return check.book.region(check.rid)
        return Region(check.rid, check.path, load_rate_file(check.path))
    except RateFileError as exc:
        found = _every_schema_error(check.path) if exc.rule == "schema" else []
        check.problems += [from_load_error(check, e) for e in found or [exc]]
        return None


def _every_schema_error(path: Path) -> list[RateFileError]:
    """All schema errors of a file (the loader stops at the first), for one run to show all."""
    from pydantic import ValidationError

    from ..ratefiles.model import RateFile
    from ..ratefiles.pydantic_errors import validation_errors
    from ..ratefiles.reading import read_toml

    try:
        RateFile.model_validate(read_toml(path))
    except ValidationError as exc:
        return validation_errors(path, exc)
    except RateFileError:
        pass
    return []


def from_load_error(check: FileCheck, exc: RateFileError) -> Problem:
    """A loading error as a problem of its rule (``file``, ``toml``, ``schema`` ...)."""
    column = exc.column
    if column is None and exc.key_path:
        pos = position_of(check._text(), exc.key_path)
        if pos is not None and pos[0] == exc.line:
            column = pos[1]
    return Problem(
        "error",
        str(check.path),
        exc.line,
        column,
        exc.key or "",
        exc.detail_note,
        exc.rule,
        _data_path(exc.key_path or ()),
    )


def _data_path(loc: KeyPath) -> KeyPath:
    """A loader's key path without pydantic's type tags (``function-after[...]``), the parts
    :func:`~premium_calc.ratefiles.keypaths.format_path` leaves out of the text form too."""
    return tuple(p for p in loc if isinstance(p, int) or not is_type_tag(p))


def count_files(book: RateBook, paths: Sequence[Path] | None) -> int:
    """How many rate and benefit files a validation of ``paths`` (default: the whole book)
    looks at (the statistics files are not counted)."""
    if not paths:
        return len(book.region_ids()) + len(_benefit_targets(book, None))
    return len(_files(book, paths))
