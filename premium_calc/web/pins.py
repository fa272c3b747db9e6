"""What the static site bundles from outside the project, pinned by version and sha256.

Pyodide's core files come from the npm registry package ``pyodide`` (one tarball); the wheels of
the household path's dependencies from PyPI. pydantic-core is compiled: its wheel must match the
Pyodide version's Python and Emscripten ABI (``cp314``, ``pyemscripten_2026_0``: see
``info`` in Pyodide's ``pyodide-lock.json``). numpy, pyarrow, rich, typer, rapidfuzz and tomlkit
are not bundled: the household path does not import them (tests/test_web_api.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Artifact:
    """One file fetched at build time: its name, where it comes from, its sha256."""

    name: str
    url: str
    sha256: str
    what: str  # the package and version, for messages


PYODIDE_VERSION = "314.0.8"
#: Python and ABI of that Pyodide (its pyodide-lock.json ``info``).
PYODIDE_PYTHON = "3.14"
PYODIDE_ABI = "pyemscripten_2026_0"

PYODIDE = Artifact(
    name=f"pyodide-{PYODIDE_VERSION}.tgz",
    url=f"https://registry.npmjs.org/pyodide/-/pyodide-{PYODIDE_VERSION}.tgz",
    sha256="9a52704e0ae5b07aaacb8e4fed9f1658e8024694a078695ea45ac79dee4cefcb",
    what=f"pyodide {PYODIDE_VERSION} (npm)",
)

#: The files of the npm package the page needs (the rest: consoles, source maps, typings).
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)

_PY = "https://files.pythonhosted.org/packages"

#: Wheels installed in the browser before the project, in this order.
WHEELS = (
    Artifact(
        "typing_extensions-4.16.0-py3-none-any.whl",
        f"{_PY}/49/d3/b8441a820a491ddfc024b0b0cf0393375b75ea13866d9c66727e54c2fc80/"
        "typing_extensions-4.16.0-py3-none-any.whl",
        "481caa481374e813c1b176ada14e97f1f67a4539ce9cfeb3f350d78d6370c2e8",
        "typing-extensions 4.16.0 (PyPI)",
    ),
    Artifact(
        "typing_inspection-0.4.5-py3-none-any.whl",
        f"{_PY}/de/0c/ea2544850a7c135e15033a5c7a8e7211136184b7ae63e2239d557c2b3019/"
        "typing_inspection-0.4.5-py3-none-any.whl",
        "bc210535442b39e1bf2805e0c7a17dfd6a4ace760c84c7f7d16245d23a6b1c39",
        "typing-inspection 0.4.5 (PyPI)",
    ),
    Artifact(
        "annotated_types-0.7.0-py3-none-any.whl",
        f"{_PY}/78/b6/6307fbef88d9b5ee7421e68d78a9f162e0da4900bc5f5793f6d3d0e34fb8/"
        "annotated_types-0.7.0-py3-none-any.whl",
        "1f02e8b43a8fbbc3f3e0d4f0f4bfc8131bcb4eebe8849b8e5c773f3a1c582a53",
        "annotated-types 0.7.0 (PyPI)",
    ),
    Artifact(
        f"pydantic_core-2.50.5-cp314-cp314-{PYODIDE_ABI}_wasm32.whl",
        f"{_PY}/83/47/375ab34f3907a0f40cebe2c3cea3e2c25dcf58e0f591991b85604b7258fc/"
        f"pydantic_core-2.50.5-cp314-cp314-{PYODIDE_ABI}_wasm32.whl",
        "b2910ec0fa5aeb9bef70156f2b79f4783978fdcfaa7b2f1b5d1814458d2e79a1",
        "pydantic-core 2.50.5 for Pyodide (PyPI)",
    ),
    Artifact(
        "pydantic-2.14.4-py3-none-any.whl",
        f"{_PY}/8a/8c/824a686c4ba815ddb0722f9e66272088bccd4e1ae1d2f7015375e4a4fc7f/"
        "pydantic-2.14.4-py3-none-any.whl",
        "653a2ad9f6d8858529c77c72717d0ea991d6c6837fe683246b2f4b2bbfc3fadc",
        "pydantic 2.14.4 (PyPI)",
    ),
)
