"""The package's floor plan holds: no import runs up the data flow, and no modules import each
other in a circle. Every import counts, function-level and ``TYPE_CHECKING`` ones included.

Data flows one way: rate files -> rate book -> household -> analyses (and rate-file upkeep) ->
renderers -> command line. A module may import its own layer or any lower one.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "premium_calc"
#: Lower index = lower layer.
LAYERS = [
    "_version",
    "messages",
    "errors",
    "units",
    "_frozen",
    "ratefiles",
    "gazetteer",
    "ratebook",
    "household",
    "presets",
    "analyses",
    "upkeep",
    "json_schemas",
    "render",
    "web",
    "cli",
    "snapshot",
    "__init__",
    "__main__",
]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            if node.module:
                out.add(".".join([*base, *node.module.split(".")]))
            else:  # from . import a, b: the submodules a and b
                out.update(".".join([*base, alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("premium_calc"):
            out.add(node.module or "")
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("premium_calc"))
    return {m for m in out if m not in ("premium_calc", _module(path))}


def _layer(module: str) -> int:
    head = module.split(".")[1] if "." in module else "__init__"
    return LAYERS.index(head)


GRAPH = {_module(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _known(target: str) -> str | None:
    """The module of the graph an import names (``a.b`` may be a module or a package)."""
    return target if target in GRAPH else None


def test_every_module_has_a_layer() -> None:
    heads = {m.split(".")[1] if "." in m else "__init__" for m in GRAPH}
    assert heads <= set(LAYERS), f"modules outside the floor plan: {sorted(heads - set(LAYERS))}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_runs_up(module: str) -> None:
    up = sorted(t for t in GRAPH[module] if _known(t) and _layer(t) > _layer(module))
    assert not up, f"{module} imports a higher layer: {up}"


def test_no_circle() -> None:
    graph = {m: {t for t in ts if _known(t)} for m, ts in GRAPH.items()}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import circle: {' -> '.join(exc.args[1])}")


def test_every_subpackage_says_what_it_owns() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{init.parent.name}/__init__.py needs a docstring saying what it owns"


def test_modules_stay_small() -> None:
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    big = {name: n for name, n in sizes.items() if n > 520}
    assert not big, f"modules over ~500 lines (split them along their ideas): {big}"


def test_the_guard_sees_a_circle_and_an_upward_import() -> None:
    """The checks above would fail on a circle and on an import of a higher layer."""
    graph = {"a": {"b"}, "b": {"a"}}
    with pytest.raises(graphlib.CycleError):
        tuple(graphlib.TopologicalSorter(graph).static_order())
    assert _layer("premium_calc.render.history") > _layer("premium_calc.household.premium")
    assert "premium_calc.ratebook.book" in GRAPH["premium_calc.household.burden"]
