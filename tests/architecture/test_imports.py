"""The layers hold by construction: no import cycle anywhere in the application, and no import of a
project module hidden inside a function (the usual way to dodge a cycle). import-linter's contracts
in pyproject.toml (`make lint`) say which layer may import which."""

import ast
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("cms", "api", "home", "news", "events", "webhooks")


def _packages():
    return [name for name in APP_PACKAGES if (ROOT / name / "__init__.py").exists()]


def _imported(graph, module, modules):
    return iter(sorted(graph.find_modules_directly_imported_by(module) & modules))


def _cycles(graph, modules):
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, _imported(graph, start, modules))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child) & modules)))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c", "d"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    graph.add_import(importer="c", imported="d")
    assert _cycles(graph, {"a", "b", "c", "d"}) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_application():
    graph = grimp.build_graph(*_packages(), include_external_packages=False)
    modules = {module for module in graph.modules if ".migrations" not in module}
    assert _cycles(graph, modules) == []


def _function_level_imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        # Django's documented place for importing what registers itself once the apps are loaded.
        if path.name == "apps.py" and function.name == "ready":
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom):
                names = ["<relative>"]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name == "<relative>" or name.split(".")[0] in APP_PACKAGES:
                    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                    yield f"{where}:{node.lineno} {function.name}() imports {name}"


def _application_files():
    for package in _packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_project_module_is_imported_inside_a_function():
    found = [line for path in _application_files() for line in _function_level_imports(path)]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "def f():\n    from cms.paths import frontend_path\n",
        "def f():\n    import api.visibility\n",
        "class A:\n    def f(self):\n        from . import models\n",
    ],
)
def test_the_check_sees_function_level_imports(tmp_path, source):
    path = tmp_path / "probe.py"
    path.write_text(source)
    assert list(_function_level_imports(path))


def _layers_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(contract for contract in contracts if contract["id"] == "layers")


def test_every_module_of_the_project_package_sits_in_a_layer():
    # A module the layers contract does not name is checked by no layer: a new one must pick its place.
    named = {
        module.strip()
        for layer in _layers_contract()["layers"]
        for module in layer.replace("|", ":").split(":")
    }
    cms = ROOT / "cms"
    modules = {f"cms.{path.stem}" for path in cms.glob("*.py") if path.stem != "__init__"}
    modules |= {
        f"cms.{path.parent.name}" for path in cms.glob("*/__init__.py") if path.parent.name != "migrations"
    }
    assert sorted(modules - named) == []


def test_every_application_package_sits_in_a_layer():
    named = {
        module.strip().split(".")[0]
        for layer in _layers_contract()["layers"]
        for module in layer.replace("|", ":").split(":")
    }
    assert set(_packages()) <= named
