"""Benefit rules (what the fund pays back) for a region and coverage year, from the benefit files
``<rate dir>/benefits/**/*.toml`` (format: :mod:`premium_calc.ratefiles.benefit_model`).

Inheritance is by section, not by value. For each section (``inpatient``, ``outpatient``,
``chronic``, ``critical_illness``, ``assistance``, ``waiting``, ``utilisation``, ``national``)
the region's chain is searched
child first: in each region, the latest coverage year at or before the asked year that has the
section; the first such section with values wins, whole. A section that says ``missing`` is
recorded as a gap and the search goes on up the chain, so a city whose own rule is unknown gets
its province's rule or the national floor, and the result says so (``gaps``,
``national_floor``). A section found in ``cn`` is the national floor or target (``kind``): a
local rule is at least as generous (a ratio of at least, a deductible of at most), or an aim.

Each :class:`Resolved` section keeps its :class:`BenefitOrigin`: the region and coverage year it
came from, the file and key path, its source, and ``through`` (the last year the source vouches
for; :attr:`Resolved.beyond_source` tells when the asked year is later). Its
:attr:`~Resolved.confidence` is the weakest of every source inside the section (a row or a cap
may cite a weaker source than the section's).

Nothing here prints; every problem in a file is a :class:`~premium_calc.errors.RateFileError`
with file, line and key path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import expect_type
from ..ratefiles.benefit_model import (
    SECTIONS,
    AssistanceSection,
    BenefitFile,
    ChronicSection,
    CriticalIllnessSection,
    InpatientSection,
    NationalSection,
    OutpatientSection,
    Section,
    UtilisationSection,
    WaitingSection,
)
from ..ratefiles.keypaths import KeyPath, format_path, line_in_file
from ..ratefiles.model import Confidence, Prose, Source, weakest
from ..ratefiles.pydantic_errors import validation_error
from ..ratefiles.reading import BENEFITS_DIR, REGION_ID, bundled_rates_dir, rate_dirs, read_toml

S = TypeVar("S", bound=Section)


def load_benefit_file(path: Path, region_id: str) -> BenefitFile:
    """Read and validate one benefit file of region ``region_id`` (only ``cn`` may hold
    national figures); every problem is a RateFileError naming the file and line."""
    data = read_toml(path)
    try:
        return BenefitFile.model_validate(data, context={"region": region_id})
    except ValidationError as exc:
        raise validation_error(path, exc) from None


def path_chain(region_id: str) -> tuple[str, ...]:
    """``cn/a/b`` -> (``cn``, ``cn/a``, ``cn/a/b``): a region id and its ancestors by its path,
    root first (for a place that has a benefit file but no rate file, such as a city whose
    premiums are its province's)."""
    parts = region_id.split("/")
    return tuple("/".join(parts[: i + 1]) for i in range(len(parts)))


@dataclass(frozen=True)
class BenefitOrigin:
    """Where a resolved section was set: region, coverage year, file, key path and source.

    ``source`` is the section's own source or else its year's (``None`` only for a ``missing``
    section in a year without a source); ``through`` the section's last vouched-for year.
    """

    region: str
    coverage: int
    file: Path
    key: KeyPath
    source: Source | None
    through: int | None = None

    @property
    def confidence(self) -> Confidence | None:
        return self.source.confidence if self.source is not None else None

    @property
    def national_floor(self) -> bool:
        """True when the section is the national one (``cn``)."""
        return self.region == "cn"

    @property
    def key_text(self) -> str:
        """The key path as text: ``year[2].inpatient``."""
        return format_path(self.key)

    def line(self) -> int | None:
        """The line that opens the section (computed on demand)."""
        return line_in_file(self.file, self.key)


@dataclass(frozen=True)
class Gap:
    """A section on the way up the chain that says its rule is unknown, and why."""

    origin: BenefitOrigin
    reason: Prose


def _sources(value: object) -> Iterator[Source]:
    """Every source inside a section (rows, caps, tilts, figures)."""
    if isinstance(value, Source):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _sources(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _sources(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _sources(item)


@dataclass(frozen=True)
class Resolved(Generic[S]):
    """One section for a region and year: the section with values (``None`` when no region of
    the chain has one), where it came from, and the ``missing`` sections met on the way (child
    first, all of them when nothing was found)."""

    name: str
    year: int
    value: S | None
    origin: BenefitOrigin | None
    gaps: tuple[Gap, ...] = ()

    @property
    def found(self) -> bool:
        return self.value is not None

    @property
    def national_floor(self) -> bool:
        """True when the section came from the national file (a floor or target, not a local rule)."""
        return self.origin is not None and self.origin.national_floor

    @property
    def missing(self) -> Prose | None:
        """Why nothing was found: the reason of the nearest ``missing`` section (``None`` when a
        section was found, or when no region says anything about it)."""
        if self.value is not None or not self.gaps:
            return None
        return self.gaps[0].reason

    @property
    def beyond_source(self) -> bool:
        """True when the asked year is after the last year the section's source vouches for."""
        return self.origin is not None and self.origin.through is not None and self.year > self.origin.through

    @property
    def confidence(self) -> Confidence | None:
        """The weakest confidence of the section's sources (``None`` when nothing was found)."""
        if self.value is None or self.origin is None:
            return None
        found = [s.confidence for s in _sources(self.value)]
        if self.origin.source is not None:
            found.append(self.origin.source.confidence)
        return weakest(found) if found else None


@dataclass(frozen=True)
class BenefitRules:
    """The benefit rules of a region (the last of ``chain``) for coverage year ``year``."""

    chain: tuple[str, ...]
    year: int
    inpatient: Resolved[InpatientSection]
    outpatient: Resolved[OutpatientSection]
    chronic: Resolved[ChronicSection]
    critical_illness: Resolved[CriticalIllnessSection]
    assistance: Resolved[AssistanceSection]
    waiting: Resolved[WaitingSection]
    utilisation: Resolved[UtilisationSection]
    national: Resolved[NationalSection]

    @property
    def region(self) -> str:
        return self.chain[-1] if self.chain else ""

    def sections(self) -> dict[str, Resolved[Any]]:
        """Every section by name, in :data:`~premium_calc.ratefiles.benefit_model.SECTIONS` order."""
        return {name: getattr(self, name) for name in SECTIONS}


class BenefitBook:
    """The benefit files of one or more rate directories (read on first use).

    Directories are searched in the order given (user directories first, the bundled tree
    last): the first file of a region id wins, as for rate files. ``dirs=None`` is the bundled
    tree. A book is safe to share between threads.
    """

    def __init__(self, dirs: Sequence[Path] | None = None) -> None:
        self.dirs: tuple[Path, ...] = rate_dirs(dirs) if dirs is not None else (bundled_rates_dir(),)
        self._lock = threading.Lock()
        self._paths: dict[str, Path] | None = None
        self._files: dict[str, BenefitFile] = {}

    def _discover(self) -> dict[str, Path]:
        with self._lock:
            if self._paths is None:
                paths: dict[str, Path] = {}
                for root in self.dirs:
                    folder = root / BENEFITS_DIR
                    if not folder.is_dir():
                        continue
                    for path in sorted(folder.rglob("*.toml")):
                        region_id = path.relative_to(folder).with_suffix("").as_posix()
                        if REGION_ID.match(region_id):
                            paths.setdefault(region_id, path)  # earlier directories win
                self._paths = paths
            return self._paths

    def region_ids(self) -> list[str]:
        """The region ids that have a benefit file, sorted."""
        return sorted(self._discover())

    def path_of(self, region_id: str) -> Path | None:
        """The benefit file of a region id, or None."""
        return self._discover().get(region_id)

    def file(self, region_id: str) -> BenefitFile | None:
        """The parsed benefit file of a region id (``None``: the region has none)."""
        expect_type(region_id, str, "region_id", "a region id such as 'cn/guizhou'")
        path = self.path_of(region_id)
        if path is None:
            return None
        with self._lock:
            cached = self._files.get(region_id)
        if cached is not None:
            return cached
        parsed = load_benefit_file(path, region_id)
        with self._lock:
            return self._files.setdefault(region_id, parsed)

    def rules(self, chain: Sequence[str], year: int) -> BenefitRules:
        """The benefit rules for the last region of ``chain`` (root first: ``["cn",
        "cn/guizhou", "cn/guizhou/bijie"]``) and coverage year ``year``, each section from the
        nearest region that has it (see the module docstring)."""
        if isinstance(chain, str | bytes) or not isinstance(chain, Sequence):
            expect_type(chain, list, "chain", "a list of region ids, national first")
        for region in chain:
            expect_type(region, str, "chain", "region ids (text)")
        expect_type(year, int, "year", "a coverage year (a whole number)")
        ids = tuple(chain)
        sections = {name: self._resolve(name, ids, year) for name in SECTIONS}
        return BenefitRules(chain=ids, year=year, **sections)

    def _resolve(self, name: str, chain: tuple[str, ...], year: int) -> Resolved[Any]:
        gaps: list[Gap] = []
        for region in reversed(chain):
            data = self.file(region)
            if data is None:
                continue
            candidates = [
                (entry.coverage, index)
                for index, entry in enumerate(data.year)
                if entry.coverage <= year and entry.section(name) is not None
            ]
            if not candidates:
                continue
            _, index = max(candidates)
            entry = data.year[index]
            section = entry.section(name)
            assert section is not None
            path = self.path_of(region)
            assert path is not None
            origin = BenefitOrigin(
                region=region,
                coverage=entry.coverage,
                file=path,
                key=("year", index, name),
                source=section.source or entry.source,
                through=section.through,
            )
            if section.missing is None:
                return Resolved(name=name, year=year, value=section, origin=origin, gaps=tuple(gaps))
            gaps.append(Gap(origin=origin, reason=section.missing))
        return Resolved(name=name, year=year, value=None, origin=None, gaps=tuple(gaps))
