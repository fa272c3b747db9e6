"""The rate cache: what a :class:`~premium_calc.ratebook.book.RateBook` found in its rate
directories, kept between processes, so a calculation reads no TOML and validates nothing.

Two kinds of entries, in the user's cache directory (never inside the package):

* an **index** per set of rate directories (``index-<key>.pickle``): the look-ups built from
  the rate files' ``[region]`` headers (region id -> directory and SHA-256 of its file, name
  -> region id in buckets, code -> region id), in a shape a warm look-up loads in well under
  a ms (:class:`Index`); beside it its **detail** (``detail-<key>.pickle``: every file's
  path, size, ``mtime_ns``, hash and header), which only a rebuild reads;
* one **validated rate file** per content hash (``files/<sha256>.pickle``): the
  :class:`~premium_calc.ratefiles.model.RateFile` as :func:`load_rate_file` returned it.
  Keyed by content alone, an entry is shared by every directory set and is never stale.

Both live under a folder named after the code version (the package version, the Python and
pydantic versions and the size and ``mtime_ns`` of the modules that define or read what is
stored): other code never reads them.

**Freshness.** Each use walks the directories and stats every rate file (no file is read;
:mod:`~premium_calc.ratebook.stamps`, by folder descriptor where the system can):
the index serves only if the list of (file, size, ``mtime_ns``) is the one it was built from,
and the data versions (``DATA_VERSION``) are the same. Size and ``mtime_ns`` alone can miss an
edit made within the file system's timestamp resolution of the moment the file was hashed
(git's "racily clean" files): a file whose ``mtime_ns`` is not at least :data:`RACY_NS` older
than the moment it was hashed is read and hashed again at every use, and the index is rebuilt
if its content differs. Hashing every file at every use would cost a read of thousands of
files; the stat walk costs a few ms. On a rebuild, unchanged files keep their hash and header.

**Safety.** Entries are written to a temporary file in the same folder and moved into place
with :func:`os.replace` (atomic: concurrent processes each see a whole entry, the last writer
wins and both wrote the same thing). Anything that cannot be read back exactly (a truncated,
corrupt or foreign file, another format) is ignored and rebuilt; a cache folder that cannot
be written is no error, the book then works from the files. ``pickle`` is used for plain
data and the validated models only, in the user's own cache directory.

Location: ``$PREMIUM_CALC_CACHE_DIR``, else ``$XDG_CACHE_HOME/premium-calc``, else
``~/.cache/premium-calc`` (``%LOCALAPPDATA%\\premium-calc`` on Windows);
``PREMIUM_CALC_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import sys
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .stamps import Stamp, scan

if TYPE_CHECKING:
    from ..ratefiles.model import RateFile

#: Environment variable: the cache folder (overrides the user cache directory).
CACHE_DIR_ENV = "PREMIUM_CALC_CACHE_DIR"
#: Environment variable: ``1`` (any value but ``0`` or empty) turns the cache off.
NO_CACHE_ENV = "PREMIUM_CALC_NO_CACHE"
#: The layout of what is stored; a change makes every entry foreign.
FORMAT = 2
#: A file modified less than this before it was hashed is hashed again at every use.
RACY_NS = 2_000_000_000

#: The modules whose code decides what is cached (a change to one of them is a new code version).
_CODE_MODULES = (
    "_version.py",
    "_frozen.py",
    "units.py",
    "messages/__init__.py",
    "ratefiles/model.py",
    "ratefiles/reading.py",
    "ratebook/cache.py",
    "ratebook/stamps.py",
    "ratebook/names.py",
    "ratebook/income.py",
    "ratefiles/income_model.py",
)

_PACKAGE = Path(__file__).resolve().parent.parent


def cache_root() -> Path | None:
    """The cache folder, or ``None`` when the cache is off (or would be inside the package)."""
    if os.environ.get(NO_CACHE_ENV, "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get(CACHE_DIR_ENV, "").strip()
    if explicit:
        root = Path(explicit)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        local = os.environ.get("LOCALAPPDATA", "").strip() if os.name == "nt" else ""
        try:
            base = (
                Path(xdg) if xdg and os.path.isabs(xdg) else Path(local) if local else Path.home() / ".cache"
            )
        except RuntimeError:  # no home directory
            return None
        root = base / "premium-calc"
    root = Path(os.path.abspath(root))
    real = Path(os.path.realpath(root))
    if _PACKAGE in (root, real) or _PACKAGE in root.parents or _PACKAGE in real.parents:
        return None  # never write into the package
    return root


_code_key: str | None = None


def code_key() -> str:
    """The code version: package, Python and pydantic versions and the modules' size and mtime."""
    global _code_key
    if _code_key is None:
        from .._version import __version__

        parts = [str(FORMAT), __version__, sys.version, _pydantic_version()]
        for name in _CODE_MODULES:
            try:
                info = os.stat(_PACKAGE / name)
                parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
            except OSError:
                parts.append(f"{name}:-")
        _code_key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]
    return _code_key


def _pydantic_version() -> str:
    from pydantic.version import VERSION

    return str(VERSION)


# -- entries


#: What the index keeps of one rate file: (SHA-256, header names and aliases, header code,
#: when it was hashed in ns). The hash is ``None`` for a file that cannot be read: that file
#: is then always read from disk, where its error is raised.
FileInfo = tuple[str | None, tuple[str, ...], str | None, int]


@dataclass
class Detail:
    """What a rebuild reuses (a file of its own: a book whose files did not change never
    loads it): every file's stamp and what was read of it."""

    format: int
    code: str
    dirs: tuple[str, ...]
    stamps: tuple[Stamp, ...]
    #: One per stamp (``None``: no rate file of a region, a name REGION_ID refuses).
    files: list[FileInfo | None]


@dataclass
class Index:
    """What a rate book finds in a set of directories: only what a look-up needs, in a shape
    quick to load (a warm look-up unpickles a dict of region ids and a few ``bytes``; the
    names and codes are decoded when asked for, the names one bucket at a time), and the
    fingerprint of the stamps it was built from."""

    format: int
    code: str
    dirs: tuple[str, ...]
    data_versions: tuple[str, ...]
    fingerprint: str
    #: Files modified too shortly before they were hashed: (path, size, hash), hashed again
    #: at every use.
    racy: list[tuple[str, int, str]] = field(default_factory=list)
    #: region id -> its position (the file: ``<dirs[folders[position]]>/<region id>.toml``)
    regions: dict[str, int] = field(default_factory=dict)
    folders: tuple[int, ...] = ()
    #: The SHA-256 of each region's file, 32 bytes per position (a position in ``unreadable``:
    #: a file that cannot be read, always read from disk, where its error is raised).
    shas: bytes = b""
    unreadable: frozenset[int] = frozenset()
    #: normalised name -> first region id: pickled dicts, a name in bucket
    #: ``crc32(name) % len(names)``.
    names: tuple[bytes, ...] = ()
    shared: dict[str, list[str]] = field(default_factory=dict)
    codes: bytes = b""  # a pickled dict: code -> region id

    def folder(self, region_id: str) -> int:
        """The directory (its position in ``dirs``) of a region's file."""
        return self.folders[self.regions[region_id]]

    def sha(self, region_id: str) -> bytes | None:
        """The SHA-256 of a region's file as it was hashed (``None``: not readable)."""
        at = self.regions.get(region_id)
        if at is None or at in self.unreadable:
            return None
        return self.shas[32 * at : 32 * at + 32]

    def names_like(self, name: str) -> dict[str, str] | None:
        """The bucket of names a normalised name is in (``None``: the entry is damaged)."""
        if not self.names:
            return {}
        return _decoded(self.names[zlib.crc32(name.encode("utf-8")) % len(self.names)])

    def all_names(self) -> dict[str, str] | None:
        """Every normalised name -> first region id (``None``: the entry is damaged)."""
        out: dict[str, str] = {}
        for blob in self.names:
            bucket = _decoded(blob)
            if bucket is None:
                return None
            out.update(bucket)
        return out

    def code_map(self) -> dict[str, str] | None:
        """行政区划代码 -> region id (``None``: the entry is damaged)."""
        return _decoded(self.codes)


def _decoded(blob: bytes) -> dict[str, str] | None:
    try:
        value = pickle.loads(blob)
    except Exception:  # a damaged entry can raise nearly anything: the caller reads the files
        return None
    return value if isinstance(value, dict) else None


def _packed(
    index: Index,
    paths: dict[str, int],
    shas: dict[str, str | None],
    names: dict[str, str],
    codes: dict[str, str],
) -> Index:
    """``index`` with the look-ups in the shape :class:`Index` keeps (region id -> directory
    and hash, name -> region id, code -> region id)."""
    index.regions = {region_id: at for at, region_id in enumerate(paths)}
    index.folders = tuple(paths.values())
    index.shas = b"".join(bytes.fromhex(sha) if sha is not None else bytes(32) for sha in shas.values())
    index.unreadable = frozenset(at for at, sha in enumerate(shas.values()) if sha is None)
    buckets: list[dict[str, str]] = [{} for _ in range(max(1, len(names) // 32))]
    for name, region_id in names.items():
        buckets[zlib.crc32(name.encode("utf-8")) % len(buckets)][name] = region_id
    index.names = tuple(pickle.dumps(bucket, protocol=pickle.HIGHEST_PROTOCOL) for bucket in buckets)
    index.codes = pickle.dumps(codes, protocol=pickle.HIGHEST_PROTOCOL)
    return index


def fingerprint(stamps: tuple[Stamp, ...]) -> str:
    """A digest of the stamps (``marshal`` version 2: no back-references, so the same stamps
    are the same bytes in every process of one Python version, which the code key names)."""
    return hashlib.sha256(marshal.dumps(stamps, 2)).hexdigest()


def _folder(root: Path) -> Path:
    return root / f"rates-{code_key()}"


def index_path(root: Path, dirs: Sequence[Path], kind: str = "index") -> Path:
    """The index (``kind="detail"``: its detail) of a set of directories."""
    key = hashlib.sha256("\0".join(str(d) for d in dirs).encode()).hexdigest()[:24]
    return _folder(root) / f"{kind}-{key}.pickle"


def read_entry(path: Path) -> Any:
    """An entry as stored, or ``None`` (missing, corrupt, unreadable: never an error)."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # a corrupt entry can raise nearly anything: it is rebuilt
        return None


def write_entry(path: Path, value: object) -> None:
    """Write atomically (temp file + :func:`os.replace`); failures are silent (no cache)."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        os.replace(tmp, path)
    except Exception:  # a value that cannot be pickled, a full disk: no cache, no error
        with contextlib.suppress(OSError):
            os.unlink(tmp)


_LOCKS = (type(threading.Lock()), type(threading.RLock()))


def _new_lock(reentrant: bool) -> object:
    return threading.RLock() if reentrant else threading.Lock()


class _Pickler(pickle.Pickler):
    """A pickler that stores a lock as a new, unlocked lock (what a loaded object needs)."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) in _LOCKS:
            return _new_lock, (type(obj) is _LOCKS[1],)
        return NotImplemented


def data_versions(dirs: Sequence[Path]) -> tuple[str, ...]:
    out = []
    for d in dirs:
        try:
            out.append((d / "DATA_VERSION").read_text(encoding="utf-8").strip())
        except OSError:
            out.append("")
    return tuple(out)


def _racy(info: FileInfo, mtime_ns: int) -> bool:
    return info[0] is not None and mtime_ns + RACY_NS > info[3]


def _hash_file(path: str, size: int, limit: int) -> tuple[str | None, str | None]:
    """(SHA-256, text) of a regular UTF-8 file of at most ``limit`` bytes, else (None, None)."""
    if size < 0 or size > limit:
        return None, None
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError:
        return None, None
    if len(raw) > limit:
        return None, None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, None
    return hashlib.sha256(raw).hexdigest(), text


def fresh(index: object, dirs: tuple[str, ...], stamps: tuple[Stamp, ...], versions: tuple[str, ...]) -> bool:
    """Whether a stored index still describes the directories (its racy files are hashed again)."""
    from ..ratefiles.reading import MAX_FILE_BYTES

    if not isinstance(index, Index) or index.format != FORMAT or index.code != code_key():
        return False
    if index.dirs != dirs or index.data_versions != versions or index.fingerprint != fingerprint(stamps):
        return False
    return all(_hash_file(path, size, MAX_FILE_BYTES)[0] == sha for path, size, sha in index.racy)


def build_index(
    dirs: tuple[str, ...],
    stamps: tuple[Stamp, ...],
    versions: tuple[str, ...],
    old: object,
    region_id_of: Any,
) -> tuple[Index, Detail]:
    """A new index; files unchanged since ``old`` (same size and mtime, not racy) keep their
    hash and header, the others are read once (a racy file whose hash did not change keeps
    its header). ``region_id_of(rel)`` is the region id of a relative path, or ``None`` for a
    file that is no rate file of a region."""
    from ..ratefiles.reading import MAX_FILE_BYTES
    from .names import header_of_text, normalize_name

    previous: dict[tuple[int, str], tuple[Stamp, FileInfo]] = {}
    if isinstance(old, Detail) and old.format == FORMAT and old.code == code_key() and old.dirs == dirs:
        previous = {
            (s[0], s[1]): (s, f) for s, f in zip(old.stamps, old.files, strict=False) if f is not None
        }
    index = Index(FORMAT, code_key(), dirs, versions, fingerprint(stamps))
    detail = Detail(FORMAT, code_key(), dirs, stamps, [])
    files = detail.files
    paths: dict[str, int] = {}
    shas: dict[str, str | None] = {}
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for stamp in stamps:
        i, rel, size, mtime = stamp
        region_id = region_id_of(rel)
        if region_id is None:
            files.append(None)
            continue
        seen = previous.get((i, rel))
        info = seen[1] if seen is not None and seen[0] == stamp else None
        if info is None or _racy(info, mtime):
            now = time.time_ns()
            sha, text = _hash_file(os.path.join(dirs[i], rel), size, MAX_FILE_BYTES)
            if sha is None or text is None:
                info = (None, (), None, now)
            elif info is not None and sha == info[0]:
                info = (sha, info[1], info[2], now)  # racy, but the same content
            else:
                found, code = header_of_text(text)
                info = (sha, tuple(found), code, now)
        files.append(info)
        if info[0] is not None and _racy(info, mtime):
            index.racy.append((os.path.join(dirs[i], rel), size, info[0]))
        if region_id in paths:
            continue  # earlier directories win
        paths[region_id] = i
        shas[region_id] = info[0]
        if info[2] is not None:
            codes[info[2]] = region_id  # as RateBook._code_index: the last file read wins
        for key_name in info[1]:
            name = normalize_name(key_name)
            first = names.setdefault(name, region_id)
            if first != region_id:
                claims = index.shared.setdefault(name, [first])
                if region_id not in claims:
                    claims.append(region_id)
    _packed(index, paths, shas, names, codes)
    return index, detail


def load_index(root: Path, dirs: Sequence[Path], skip: frozenset[str], region_id_of: Any) -> Index:
    """The index of a set of directories: the stored one if it is fresh, else a new one
    (written back for the next process)."""
    names = tuple(str(d) for d in dirs)
    stamps = scan(dirs, skip)
    versions = data_versions(dirs)
    path = index_path(root, dirs)
    stored = read_entry(path)
    if fresh(stored, names, stamps, versions):
        assert isinstance(stored, Index)
        if not stored.racy:
            return stored
    # Stale, missing or corrupt; or fresh with racy files, hashed again (and no longer racy
    # once they are RACY_NS old).
    detail_path = index_path(root, dirs, "detail")
    index, detail = build_index(names, stamps, versions, read_entry(detail_path), region_id_of)
    write_entry(detail_path, detail)
    write_entry(path, index)
    return index


def file_path(root: Path, sha: str) -> Path:
    return _folder(root) / "files" / f"{sha}.pickle"


def load_validated(root: Path, sha: str) -> RateFile | None:
    """The validated rate file of a content hash, if the cache has it."""
    from ..ratefiles.model import RateFile

    entry = read_entry(file_path(root, sha))
    if (
        isinstance(entry, tuple)
        and len(entry) == 3
        and entry[0] == FORMAT
        and entry[1] == sha
        and isinstance(entry[2], RateFile)
    ):
        return entry[2]
    return None


def store_validated(root: Path, sha: str, data: RateFile) -> None:
    write_entry(file_path(root, sha), (FORMAT, sha, data))


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- income statistics

_T = TypeVar("_T")


def _stats_stamps(dirs: Sequence[Path], folder: str) -> tuple[Stamp, ...]:
    """The statistics files (``<dir>/<folder>/*.toml``, not below) as stamps."""
    out: list[Stamp] = []
    for index, root in enumerate(dirs):
        try:
            with os.scandir(root / folder) as it:
                entries = sorted((e for e in it if e.name.endswith(".toml")), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat()
                out.append((index, entry.name, info.st_size, info.st_mtime_ns))
            except OSError:
                out.append((index, entry.name, -1, -1))
    return tuple(out)


def load_stats(root: Path, dirs: Sequence[Path], folder: str, make: Callable[[], _T | None]) -> _T | None:
    """The loaded income statistics of a set of directories: as stored if no statistics file
    changed (same names, sizes and ``mtime_ns``, same code), else ``make()`` (``None``: they
    could not be loaded; nothing is stored), stored unless a file is too recent to trust its
    stamp (then it is loaded again next time)."""
    stamps = _stats_stamps(dirs, folder)
    path = index_path(root, dirs, "stats")
    entry = read_entry(path)
    if (
        isinstance(entry, tuple)
        and len(entry) == 5
        and entry[:4] == (FORMAT, code_key(), tuple(str(d) for d in dirs), stamps)
    ):
        loaded: _T = entry[4]
        return loaded
    made = make()
    now = time.time_ns()
    if made is not None and all(mtime > 0 and mtime + RACY_NS <= now for *_, mtime in stamps):
        write_entry(path, (FORMAT, code_key(), tuple(str(d) for d in dirs), stamps, made))
    return made
