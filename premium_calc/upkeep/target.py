"""Which file an edit of a region writes to, and whether it may write there.

Besides being inside the book's rate directories and writable, a file of the *bundled* rates
is written only where that tree is the ``rates/`` directory of a source checkout of
premium-calc, and the checkout the working directory is in: an installed package's data
(``site-packages``) would be lost on the next upgrade, and an editable install that points
to another clone would change that clone behind the user's back. ``allow_outside=True``
lifts both checks. Files of the user's own rate directories (``--rates-dir``,
``PREMIUM_CALC_RATES``) are always allowed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import EditError, RateFileError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratefiles import reading

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

#: The name of this project in a ``pyproject.toml`` (that is how a checkout is recognised).
PROJECT = "premium-calc"
#: Directory names that hold installed packages.
INSTALLED = frozenset({"site-packages", "dist-packages"})


def book_of(book_or_path: RateBook | Path | str) -> tuple[RateBook, Path | None]:
    """The rate book an edit works in, and the directory it must write in (``None``: any of the
    book's): ``book_or_path`` itself, or a rate directory over the bundled rates."""
    if isinstance(book_or_path, RateBook):
        return book_or_path, None
    directory = Path(book_or_path)
    if not directory.is_dir():
        raise EditError(Note("edit.not_a_directory", directory=directory))
    return RateBook([directory], use_env=False), directory.resolve()


def resolve_target(
    book_or_path: RateBook | Path | str, region: str, *, allow_outside: bool = False
) -> tuple[RateBook, str, Path]:
    """The book, region id and file an edit of ``region`` writes to (checked).

    ``book_or_path`` is a rate book, or a rate directory: then the book is that directory
    over the bundled rates, and the region's file must be in that directory. A file of the
    bundled rates must be in the working directory's checkout unless ``allow_outside``
    (see :func:`check_place`).
    """
    book, limit = book_of(book_or_path)
    region_id = book.find(region)
    path = book.path_of(region_id)
    real = path.resolve()
    roots = [limit] if limit is not None else list(book.dirs)
    if not any(_inside(real, root) for root in roots):
        where = str(limit) if limit is not None else "the rate directories"
        raise EditError(Note("edit.outside", region=region_id, file=real, where=where))
    if not real.is_file():
        raise EditError(Note("edit.not_a_file", region=region_id, file=real))
    check_place(real, allow_outside=allow_outside)
    if not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK):
        raise EditError(Note("edit.not_writable", region=region_id, file=real))
    return book, region_id, real


def check_place(path: Path, *, allow_outside: bool = False) -> None:
    """Refuse (:class:`EditError`) to write ``path`` (existing or new) inside the bundled rates
    of an installed package, or of a checkout other than the working directory's; anything
    else (a user's rate directory), or ``allow_outside``, passes."""
    if allow_outside:
        return
    bundled = bundled_dir()
    real = path.resolve()
    if bundled is None or not _inside(real, bundled):
        return
    checkout = checkout_of_rates(bundled)
    if checkout is None:
        raise EditError(Note("edit.installed_package", file=real))
    here = checkout_above(Path.cwd())
    if here != checkout:
        raise EditError(Note("edit.other_checkout", file=real, checkout=checkout))


def bundled_dir() -> Path | None:
    """The bundled rate tree the rate book reads (``None`` if there is none)."""
    try:
        return reading.bundled_rates_dir().resolve()
    except RateFileError:
        return None


def checkout_of_rates(rates: Path) -> Path | None:
    """The source checkout whose ``rates/`` directory ``rates`` is; ``None`` for the data of an
    installed package (below ``site-packages``, or with no premium-calc ``pyproject.toml`` above)."""
    real = rates.resolve()
    if INSTALLED & set(real.parts):
        return None
    return real.parent if is_checkout(real.parent) else None


def checkout_above(directory: Path) -> Path | None:
    """The nearest source checkout of premium-calc at or above ``directory``."""
    try:
        start = directory.resolve()
    except OSError:
        return None
    for candidate in (start, *start.parents):
        if INSTALLED & set(candidate.parts):
            return None
        if is_checkout(candidate):
            return candidate
    return None


def is_checkout(directory: Path) -> bool:
    """Whether ``directory`` holds a ``pyproject.toml`` of premium-calc."""
    try:
        data = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    project = data.get("project")
    name = project.get("name") if isinstance(project, dict) else None
    return isinstance(name, str) and name.lower().replace("_", "-") == PROJECT


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
