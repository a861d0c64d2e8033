"""The shape of the code, read from the source with `ast`: no import cycle in leadjournal,
nothing below the command line imports it, and no test module imports another.

Every import statement counts, wherever it is: at module level, inside a function, under
`if TYPE_CHECKING:`. An import names the most specific module that exists: `from
leadjournal import store` is leadjournal.store, `from leadjournal.models import Entry` is
leadjournal.models, and a package's __init__.py is the module of the package's name.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping
from pathlib import Path

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src"

Graph = dict[str, set[str]]  # module -> the modules it imports


def modules(root: Path, package: str, pattern: str = "**/*.py") -> dict[str, Path]:
    """The modules of `package` (the folder root/package) whose files match `pattern`."""
    found = {}
    for path in sorted((root / package).glob(pattern)):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def most_specific(name: str, known: Collection[str]) -> str | None:
    """`name` if it is a known module, else its nearest known parent ("a.b.c" -> "a.b")."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imported_names(tree: ast.Module, module: str, is_package: bool) -> list[str]:
    """What every import statement in `tree` names, relative imports made absolute; for
    `from m import x` that is "m.x" (x may be a module of m, or just a name in m)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def import_graph(root: Path, package: str, pattern: str = "**/*.py") -> Graph:
    """Which modules of `package` each of its modules imports (itself left out)."""
    known = modules(root, package, pattern)
    graph: Graph = {}
    for module, path in known.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        is_package = path.name == "__init__.py"
        targets = {most_specific(n, known) for n in imported_names(tree, module, is_package)}
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def find_cycle(graph: Mapping[str, Collection[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None; depth first, in name order."""
    finished: set[str] = set()  # explored: no cycle is reachable from these

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in finished:
            return None
        for target in sorted(graph.get(module, ())):
            if cycle := visit(target, [*path, module]):
                return cycle
        finished.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module, []):
            return cycle
    return None


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


# ---------------------------------------------------------------------------------------
# The rules


def test_src_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph(SRC, "leadjournal"))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_nothing_below_cli_imports_cli() -> None:
    """The command line sits on top: only it, and the `python -m` entry, may import it."""
    graph = import_graph(SRC, "leadjournal")
    offending = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if not within(module, "leadjournal.cli") and module != "leadjournal.__main__"
        for target in targets
        if within(target, "leadjournal.cli")
    )
    assert offending == []


def test_no_test_module_imports_another() -> None:
    """Tests share code through tests/helpers.py only (and conftest is never imported)."""
    graph = import_graph(ROOT, "tests", "*.py")
    offending = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if target != "tests.helpers"
    )
    assert offending == []


# ---------------------------------------------------------------------------------------
# The scan itself, on a made-up package


def test_the_scan_counts_every_kind_of_import_and_names_the_most_specific_module(
    tmp_path: Path,
) -> None:
    files = {
        "__init__.py": "from pkg import sub\n",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import X\n",
        "b.py": "def f():\n    from pkg import c\n",
        "c.py": "import pkg.sub.deep\nfrom pkg.sub import name\nimport os.path\n",
        "sub/__init__.py": "from . import deep\nfrom .. import a\n",
        "sub/deep.py": "from .. import b\nfrom ..sub import thing\nfrom . import missing\n",
    }
    for name, text in files.items():
        (tmp_path / "pkg" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pkg" / name).write_text(text, "utf-8")
    assert import_graph(tmp_path, "pkg") == {
        "pkg": {"pkg.sub"},
        "pkg.a": {"pkg.b"},
        "pkg.b": {"pkg.c"},
        "pkg.c": {"pkg.sub.deep", "pkg.sub"},
        "pkg.sub": {"pkg.sub.deep", "pkg.a"},
        "pkg.sub.deep": {"pkg.b", "pkg.sub"},
    }


def test_a_cycle_is_named_in_full() -> None:
    graph = {"a": {"b"}, "b": {"c", "d"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_every_name_of_the_models_modules_is_importable_from_the_package() -> None:
    """`from leadjournal.models import X` works for every public name any models module
    defines (models/__init__.py names the module of each, imported on first use), and
    for no other: a model added to a module without its entry there fails here."""
    import importlib

    import leadjournal.models as package

    defined: dict[str, str] = {}
    for path in sorted((SRC / "leadjournal" / "models").glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            targets: list[ast.expr] = []
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                names = [node.name]
            else:
                if isinstance(node, ast.Assign):
                    targets = node.targets
                elif isinstance(node, ast.AnnAssign):
                    targets = [node.target]
                names = [
                    n.id
                    for t in targets
                    for n in (t.elts if isinstance(t, ast.Tuple) else [t])
                    if isinstance(n, ast.Name)
                ]
            for name in names:
                if not name.startswith("_"):
                    defined[name] = path.stem
    assert sorted(package.__all__) == sorted(defined)
    for name, module in defined.items():
        value = getattr(package, name)
        assert value is getattr(importlib.import_module(f"leadjournal.models.{module}"), name)
