"""The shape of lightrig's imports: the core imports pydantic and the standard library only, the
command line starts without the heavy libraries, and no two subpackages import each other.

The module checks run in fresh interpreters and read ``sys.modules``, so they see what an import
really loads, through every indirection. The cycle check reads the source: each module's
top-level imports (not those under ``if TYPE_CHECKING:`` nor inside functions, which do not run
at import), gathered per subpackage.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "lightrig"

#: The core: what a user of the analyzer and the prompt compiler loads.
CORE_PACKAGES = ("lighting", "models", "fibo", "analysis", "records")
CORE_MODULES = ("lightrig", "lightrig.errors", "lightrig.presets", "lightrig.conventions")

#: Third-party packages the core may load: pydantic and what pydantic itself imports.
CORE_ALLOWED = frozenset(
    {"pydantic", "pydantic_core", "typing_extensions", "annotated_types", "typing_inspection"}
)

#: Packages that neither the core nor the command line's start may load (numba and llvmlite
#: compile, NumPy, SciPy and Pillow compute, the rest serve, store and queue).
HEAVY = (
    "numba",
    "llvmlite",
    "numpy",
    "scipy",
    "PIL",
    "httpx",
    "sqlalchemy",
    "alembic",
    "aiosqlite",
    "asyncpg",
    "redis",
    "fastapi",
    "starlette",
    "uvicorn",
    "prometheus_client",
    "boto3",
    "botocore",
    "taskiq",
    "taskiq_redis",
)

#: Imports each module in turn and says, for each third-party package loaded, which module's
#: import first brought it in.
_PROBE = """
import importlib, json, sys

def packages():
    tops = {name.split(".", 1)[0] for name in list(sys.modules)}
    # private names: the interpreter's build data and compiled helpers, not packages
    return {top for top in tops if top not in sys.stdlib_module_names and top[0] != "_"}

brought = {}
before = packages()
for module in sys.argv[1:]:
    importlib.import_module(module)
    now = packages()
    for package in sorted(now - before):
        brought.setdefault(package, module)
    before = now
print(json.dumps(brought))
"""


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules_under(package: str) -> list[str]:
    return sorted(_module_name(path) for path in (SOURCE / package).rglob("*.py"))


def _loaded_by(modules: list[str]) -> dict[str, str]:
    """Third-party package → the first of ``modules`` whose import loaded it (in a fresh
    interpreter)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded: dict[str, str] = json.loads(done.stdout)
    return loaded


def _core_modules() -> list[str]:
    modules = list(CORE_MODULES)
    for package in CORE_PACKAGES:
        modules += _modules_under(package)
    return modules


def test_the_core_modules_exist() -> None:
    modules = _core_modules()
    assert "lightrig.models.generation" in modules
    assert "lightrig.analysis.analyzer" in modules
    assert "lightrig.fibo.compile" in modules


def test_the_core_loads_pydantic_and_the_standard_library_only() -> None:
    loaded = _loaded_by(_core_modules())
    assert "pydantic" in loaded  # the probe sees what it should
    extra = {
        package: module
        for package, module in loaded.items()
        if package not in CORE_ALLOWED and package != "lightrig"
    }
    assert not extra, "; ".join(f"{module} loads {package}" for package, module in extra.items())


@pytest.mark.parametrize("module", ["lightrig.cli", "lightrig.verify.models", "lightrig.models"])
def test_a_light_entry_point_loads_nothing_heavy(module: str) -> None:
    loaded = _loaded_by([module])
    heavy = sorted(package for package in loaded if package in HEAVY)
    assert not heavy, f"importing {module} loads {', '.join(heavy)}"


def test_every_command_module_is_light() -> None:
    """Each command group's module, and the command line's help, load nothing heavy: their
    commands import what they need when they run."""
    modules = _modules_under("cli")
    assert len(modules) > 3  # the command line is a package of command groups
    loaded = _loaded_by(modules)
    heavy = {package: module for package, module in loaded.items() if package in HEAVY}
    assert not heavy, "; ".join(f"{module} loads {package}" for package, module in heavy.items())


# --- cycles between subpackages ---------------------------------------------------------------


def _top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported: those at module level,
    also inside module-level ``if``/``try``/``with`` blocks, but not under ``if
    TYPE_CHECKING:`` and not in functions or classes."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            test = node.test
            checking = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
            )
            if not checking:
                pending += node.body
            pending += node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                pending += handler.body
        elif isinstance(node, ast.With):
            pending += node.body


def _package_of(module: str) -> str:
    """The node a module belongs to: its subpackage under ``lightrig`` (``lightrig.verify.models``
    → ``verify``), a top-level module's own name (``lightrig.service`` → ``service``), or
    ``lightrig`` for the package's ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "lightrig"


def _imported(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The lightrig modules an import statement names (absolute, relative resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "lightrig"]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    if target.split(".")[0] != "lightrig":
        return []
    if target == "lightrig":  # ``from lightrig import x``: a subpackage or a name of __init__
        return [
            f"lightrig.{alias.name}"
            if (SOURCE / alias.name).is_dir() or (SOURCE / f"{alias.name}.py").exists()
            else "lightrig"
            for alias in node.names
        ]
    return [target]


def package_graph() -> dict[str, set[str]]:
    """Subpackage → the subpackages its modules import at import time."""
    graph: dict[str, set[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        module = _module_name(path)
        here = _package_of(module)
        edges = graph.setdefault(here, set())
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _top_level_imports(tree):
            for target in _imported(module, path.name == "__init__.py", node):
                there = _package_of(target)
                if there != here:
                    edges.add(there)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _path(graph: dict[str, set[str]], group: list[str]) -> str:
    """One cycle through ``group``, written ``a → b → a``, for the failure message."""
    start = group[0]
    trail = [start]
    seen = {start}
    while True:
        successor = next(
            (n for n in sorted(graph[trail[-1]]) if n in group and (n == start or n not in seen)),
            start,
        )
        trail.append(successor)
        if successor == start:
            return " → ".join(trail)
        seen.add(successor)


def test_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert _path(graph, ["a", "b", "c"]) == "a → b → c → a"
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_imports_as_python_runs_them(tmp_path: Path) -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import lightrig.models\n"
        "if TYPE_CHECKING:\n    from lightrig.service import X\n"
        "try:\n    from lightrig.render import y\nexcept ImportError:\n    pass\n"
        "def f():\n    from lightrig.db import z\n"
    )
    found = [
        target
        for node in _top_level_imports(tree)
        for target in _imported("lightrig.verify.a", False, node)
    ]
    assert found == ["lightrig.models", "lightrig.render"]
    relative = ast.parse("from ..models import scene\nfrom . import b\n")
    assert [
        target
        for node in _top_level_imports(relative)
        for target in _imported("lightrig.verify.a", False, node)
    ] == ["lightrig.models", "lightrig.verify"]


def test_the_analysis_sits_above_the_models_and_the_models_above_lighting() -> None:
    """The layers of the core: lighting (pure reading of numbers) → models (the public shapes,
    which validate with it) → analysis, presets, conventions (built on the models)."""
    graph = package_graph()
    assert "lighting" in graph["models"]
    assert "models" in graph["analysis"]
    assert "models" not in graph["lighting"]
    assert "analysis" not in graph["models"]


def test_the_core_sits_below_everything_else() -> None:
    graph = package_graph()
    core = {*CORE_PACKAGES, "errors", "presets", "conventions"}
    for package in core:
        outside = graph[package] - core
        assert not outside, f"{package} imports {', '.join(sorted(outside))}"


def test_no_import_cycle_between_subpackages() -> None:
    graph = package_graph()
    assert {"verify", "render", "models", "cli"} <= set(graph)
    found = cycles(graph)
    assert not found, "; ".join(_path(graph, group) for group in found)
