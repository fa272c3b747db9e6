"""Build the static web page: Pyodide, the wheels of the household path and the project itself,
all in one folder that any static host can serve (nothing is fetched from a CDN at page load).

::

    OUTDIR/
        index.html, app.js, chart.js,     the page (premium_calc/web/static)
        style.css
        texts.json                        the page's texts in Chinese and English (the catalog)
        places.json                       the gazetteer's tree for the place picker
        manifest.json                     versions, file names and sha256 of what the page loads
        pyodide/                          Pyodide's core files (npm package ``pyodide``)
        wheels/*.whl                      typing-extensions, ..., pydantic-core (wasm), pydantic
        premium_calc-<version>.zip        the project's package with its rate data

The project is bundled as a zip of the importable package (not a wheel), unpacked into
site-packages in the browser: it is made from whatever ``premium_calc`` is imported, an
editable checkout (the rate tree beside the package is added as ``premium_calc/rates``) or an
installed wheel alike, with no build tool. Its command line (typer, rich) is left out.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .._version import __version__
from .fetch import obtain, sha256_of
from .pins import PYODIDE, PYODIDE_FILES, PYODIDE_VERSION, WHEELS

PACKAGE = Path(__file__).resolve().parent.parent
#: Sub-folders of the package the browser never imports (the command line needs typer).
LEFT_OUT = ("cli", "web/static")
#: The page's own files (premium_calc/web/static).
STATIC = ("index.html", "app.js", "chart.js", "style.css")
#: A fixed time stamp for the project zip, so the same sources give the same bytes.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Site:
    """What a build made: the folder, its number of files and their total size in bytes."""

    outdir: Path
    files: int
    size: int
    manifest: dict[str, object]


def _pyodide(tarball: Path, into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:gz") as tar:
        for name in PYODIDE_FILES:
            member = tar.extractfile(f"package/{name}")
            if member is None:  # pragma: no cover - a pinned tarball always has them
                raise FileNotFoundError(name)
            with member, (into / name).open("wb") as out:
                shutil.copyfileobj(member, out)


def _package_files() -> list[tuple[Path, str]]:
    """(file, name in the zip) for the importable package and its rate tree, sorted."""
    from ..ratefiles.reading import bundled_rates_dir

    out: list[tuple[Path, str]] = []
    skip = tuple(f"{d}/" for d in LEFT_OUT)
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not path.is_file() or "__pycache__" in rel or rel.endswith((".pyc", ".po")):
            continue
        if rel.startswith(skip):
            continue
        out.append((path, f"premium_calc/{rel}"))
    rates = bundled_rates_dir()
    if PACKAGE not in rates.parents:  # a source checkout: the tree lives beside the package
        for path in sorted(rates.rglob("*")):
            if path.is_file():
                out.append((path, f"premium_calc/rates/{path.relative_to(rates).as_posix()}"))
    return out


def _project_zip(into: Path) -> Path:
    target = into / f"premium_calc-{__version__}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path, name in _package_files():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return target


def build_site(outdir: Path, *, pyodide_dir: Path | None = None, wheel_dir: Path | None = None) -> Site:
    """Build the page into ``outdir`` (made or refreshed; other files there are left alone).
    Pinned files come from ``pyodide_dir``/``wheel_dir`` when given, else the cache, else
    their pinned address (see :mod:`.fetch`); each is checked against its sha256."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    tarball = obtain(PYODIDE, pyodide_dir, "--pyodide-dir")
    wheels = [obtain(w, wheel_dir, "--wheel-dir") for w in WHEELS]
    _pyodide(tarball, outdir / "pyodide")
    (outdir / "wheels").mkdir(exist_ok=True)
    for wheel in wheels:
        shutil.copyfile(wheel, outdir / "wheels" / wheel.name)
    project = _project_zip(outdir)
    static = resources.files("premium_calc.web") / "static"
    for name in STATIC:
        (outdir / name).write_bytes((static / name).read_bytes())
    from .api import ui_texts

    texts = json.dumps(ui_texts(), ensure_ascii=False, indent=1, sort_keys=True)
    (outdir / "texts.json").write_text(texts + "\n", encoding="utf-8")
    from .api import places

    (outdir / "places.json").write_text(places(), encoding="utf-8")
    from ..ratefiles.reading import data_version

    manifest: dict[str, object] = {
        "premium_calc": __version__,
        "data_version": data_version(),
        "pyodide": PYODIDE_VERSION,
        "wheels": [{"file": w.name, "sha256": w.sha256} for w in WHEELS],
        "project": {"file": project.name, "sha256": sha256_of(project)},
    }
    stamp = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:12]
    manifest["build"] = stamp
    (outdir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    shipped = [outdir / n for n in (*STATIC, "texts.json", "places.json", "manifest.json", project.name)]
    shipped += [outdir / "pyodide" / n for n in PYODIDE_FILES]
    shipped += [outdir / "wheels" / w.name for w in WHEELS]
    return Site(outdir, len(shipped), sum(p.stat().st_size for p in shipped), manifest)
