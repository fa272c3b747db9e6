"""The stat walk of the rate cache: every rate file below a set of directories, with its size
and ``mtime_ns`` (how :mod:`~premium_calc.ratebook.cache` knows that no file changed)."""

from __future__ import annotations

import operator
import os
import stat
from collections.abc import Sequence
from pathlib import Path

#: One rate file as the walk saw it: (directory index, relative path, size, mtime_ns).
Stamp = tuple[int, str, int, int]


def scan(dirs: Sequence[Path], skip: frozenset[str]) -> tuple[Stamp, ...]:
    """Every ``*.toml`` below each directory (the top-level folders in ``skip`` left out),
    directories in order, files sorted by path within each (as ``sorted(Path.rglob(...))``:
    a walk in name order), symlinked folders not entered. Size ``-1``: the file cannot be
    stat'ed; ``-2``: it is no regular file."""
    out: list[Stamp] = []
    for index, root in enumerate(dirs):
        if _BY_FD:
            try:
                fd = os.open(root, _ROOT_FLAGS)
            except OSError:
                continue
            try:
                _walk(index, fd, "", out, skip)
            finally:
                os.close(fd)
        else:
            _walk(index, str(root), "", out, skip)
    return tuple(out)


_BY_NAME = operator.attrgetter("name")
#: Where the system can, folders are walked by descriptor: each file is then stat'ed by its
#: name within its open folder (``fstatat``), not by its whole path, which the kernel would
#: look up again component by component (about a third of the cost of a stat).
_BY_FD = os.scandir in os.supports_fd and os.open in os.supports_dir_fd
_ROOT_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_FOLDER_FLAGS = _ROOT_FLAGS | getattr(os, "O_NOFOLLOW", 0)  # a folder swapped for a link: not entered


def _walk(index: int, folder: int | str, prefix: str, out: list[Stamp], skip: frozenset[str]) -> None:
    """The files below ``folder`` (an open folder's descriptor, or its path)."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=_BY_NAME)
    except OSError:
        return
    append, is_file = out.append, stat.S_ISREG
    for entry in entries:
        name = entry.name
        if name.endswith(".toml"):
            try:
                info = entry.stat()
            except OSError:  # a broken link: no folder either
                append((index, prefix + name, -1, -1))
                continue
            if is_file(info.st_mode):  # a file: no folder to enter (the common case, kept short)
                append((index, prefix + name, info.st_size, info.st_mtime_ns))
                continue
            append((index, prefix + name, -2, info.st_mtime_ns))
        try:
            folder_entry = entry.is_dir(follow_symlinks=False)
        except OSError:
            folder_entry = False
        if not folder_entry or (not prefix and name in skip):
            continue
        if isinstance(folder, str):
            _walk(index, entry.path, f"{prefix}{name}/", out, skip)
            continue
        try:
            sub = os.open(name, _FOLDER_FLAGS, dir_fd=folder)
        except OSError:
            continue
        try:
            _walk(index, sub, f"{prefix}{name}/", out, skip)
        finally:
            os.close(sub)
