"""Fetch the pinned files the web page bundles, once, into the user cache (``<cache>/web``).

A file is taken, in order, from a folder the user names (``--pyodide-dir``, ``--wheel-dir``: for
building offline), from the cache, or from its pinned address; every copy is checked against
its pinned sha256 before use. A failed download is a :class:`~premium_calc.errors.FetchError`
naming the file, the address and the option that provides it offline.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import PremiumCalcError
from ..messages import Note
from .pins import Artifact


class FetchError(PremiumCalcError):
    """A file the web page bundles (Pyodide, a wheel) could not be fetched or did not match its
    pinned sha256; the message says how to provide it offline. (The page builder's own error,
    not part of the library's API: the command line prints it in one line, exit 2.)"""

    code = "fetch"

    def __init__(self, what: str, url: str, detail: Note | str) -> None:
        self.what = what
        self.url = url
        super().__init__(detail)


#: The environment variable naming the download cache.
WEB_CACHE_ENV = "PREMIUM_CALC_WEB_CACHE"
#: Seconds before a download that sends nothing is given up.
TIMEOUT = 60


def web_cache_dir() -> Path:
    """Where fetched files are kept between builds: ``$PREMIUM_CALC_WEB_CACHE``, else
    ``$XDG_CACHE_HOME/premium-calc/web``, else ``~/.cache/premium-calc/web``. Downloads, not
    derived data: the rate cache's switches (``PREMIUM_CALC_CACHE_DIR``, ``_NO_CACHE``) leave it."""
    explicit = os.environ.get(WEB_CACHE_ENV, "").strip()
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    except RuntimeError:  # no home directory
        base = Path(tempfile.gettempdir())
    return base / "premium-calc" / "web"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _checked(path: Path, artifact: Artifact, option: str) -> Path:
    got = sha256_of(path)
    if got != artifact.sha256:
        note = Note(
            "error.web_hash", file=artifact.name, what=artifact.what, expected=artifact.sha256[:16],
            got=got[:16], where=str(path.parent), option=option,
        )
        raise FetchError(artifact.what, artifact.url, note)
    return path


def obtain(artifact: Artifact, offline_dir: Path | None, option: str) -> Path:
    """The local, verified copy of ``artifact`` (see the module docstring)."""
    if offline_dir is not None:
        given = offline_dir / artifact.name
        if given.is_file():
            return _checked(given, artifact, option)
    cache = web_cache_dir()
    cached = cache / artifact.name
    if cached.is_file() and sha256_of(cached) == artifact.sha256:
        return cached
    cache.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache, prefix=f".{artifact.name}.")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(artifact.url, timeout=TIMEOUT) as resp:
            for chunk in iter(lambda: resp.read(1 << 20), b""):
                out.write(chunk)
        _checked(Path(tmp), artifact, option)
        os.replace(tmp, cached)  # atomic: a half-written file never looks cached
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", None) or exc.__class__.__name__
        note = Note(
            "error.web_fetch", what=artifact.what, url=artifact.url, reason=str(reason)[:80],
            option=option, file=artifact.name,
        )
        raise FetchError(artifact.what, artifact.url, note) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return cached
