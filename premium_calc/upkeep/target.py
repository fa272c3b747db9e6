"""Which file an edit of a region writes to, and whether it may write there."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import EditError
from ..messages import Note
from ..ratebook.book import RateBook


def resolve_target(book_or_path: RateBook | Path | str, region: str) -> tuple[RateBook, str, Path]:
    """The book, region id and file an edit of ``region`` writes to (checked).

    ``book_or_path`` is a rate book, or a rate directory: then the book is that directory
    over the bundled rates, and the region's file must be in that directory.
    """
    limit: Path | None = None
    if isinstance(book_or_path, RateBook):
        book = book_or_path
    else:
        directory = Path(book_or_path)
        if not directory.is_dir():
            raise EditError(Note("edit.not_a_directory", directory=directory))
        book = RateBook([directory], use_env=False)
        limit = directory.resolve()
    region_id = book.find(region)
    path = book.path_of(region_id)
    real = path.resolve()
    roots = [limit] if limit is not None else list(book.dirs)
    if not any(_inside(real, root) for root in roots):
        where = str(limit) if limit is not None else "the rate directories"
        raise EditError(Note("edit.outside", region=region_id, file=real, where=where))
    if not real.is_file():
        raise EditError(Note("edit.not_a_file", region=region_id, file=real))
    if not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK):
        raise EditError(Note("edit.not_writable", region=region_id, file=real))
    return book, region_id, real


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
