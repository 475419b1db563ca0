"""The dependency locks: hashed, runtime apart from development, and every imported package declared."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.ops.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
APPLICATION = ["cms", "api", "home", "news", "events"]
FIRST_PARTY = {*APPLICATION, "bench", "tests"}
DEV_TOOLS = {"pytest", "ruff", "mypy", "django-stubs", "import-linter", "pre-commit", "playwright", "uv"}


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements):
    return {normalise(re.match(r"[A-Za-z0-9._-]+", requirement).group(0)) for requirement in requirements}


def lock(name):
    """{package: (version, hashes)} from requirements/<name>.txt."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)", block)
        if match:
            pins[normalise(match.group(1))] = (match.group(2), set(re.findall(r"--hash=(\S+)", block)))
    return pins


def test_every_pin_is_hashed():
    for name in ("runtime", "dev"):
        pins = lock(name)
        assert pins, name
        assert all(hashes for _version, hashes in pins.values()), name


def test_runtime_lock_holds_no_development_tool():
    assert not DEV_TOOLS & set(lock("runtime"))


def test_development_lock_is_the_runtime_lock_plus_tools():
    runtime, dev = lock("runtime"), lock("dev")
    assert {name: runtime[name] for name in runtime} == {name: dev.get(name) for name in runtime}
    assert DEV_TOOLS <= set(dev)


def test_every_declared_package_is_locked():
    assert declared(PYPROJECT["project"]["dependencies"]) <= set(lock("runtime"))
    assert declared(PYPROJECT["dependency-groups"]["dev"]) <= set(lock("dev"))


def imported_top_level_modules(paths):
    modules = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - FIRST_PARTY


def test_every_package_the_application_imports_is_a_runtime_dependency():
    """Declared by name, not left to arrive as another package's dependency."""
    paths = [path for package in APPLICATION for path in (ROOT / package).rglob("*.py")]
    paths.append(ROOT / "docker" / "serve.py")
    runtime = declared(PYPROJECT["project"]["dependencies"])
    distributions = packages_distributions()
    undeclared = {
        module: distributions.get(module)
        for module in imported_top_level_modules(paths)
        if not {normalise(name) for name in distributions.get(module, [])} & runtime
    }
    assert not undeclared, f"imported but not in pyproject.toml's dependencies: {undeclared}"
