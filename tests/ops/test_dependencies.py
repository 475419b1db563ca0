"""The dependency locks: hashed, complete, runtime apart from development, every imported package declared."""

import ast
import re
import sys
import tomllib
from importlib.metadata import distribution, packages_distributions

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from packaging.requirements import Requirement
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.ops.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
APPLICATION = ["cms", "api", "home", "news", "events", "formpages", "webhooks"]
FIRST_PARTY = {*APPLICATION, "bench", "tests"}
DEV_TOOLS = {
    "pytest",
    "ruff",
    "mypy",
    "django-stubs",
    "import-linter",
    "pre-commit",
    "playwright",
    "schemathesis",
    "hypothesis",
    "uv",
}
# Named in the dev group because the tests import it, but also one of Wagtail's own dependencies.
ALSO_AT_RUN_TIME = {"beautifulsoup4"}


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
    """`make run` and the production image install the runtime lock: no test, lint or lock tool."""
    dev_only = declared(PYPROJECT["dependency-groups"]["dev"]) - ALSO_AT_RUN_TIME
    assert DEV_TOOLS <= dev_only
    assert not dev_only & set(lock("runtime"))


def test_development_lock_is_the_runtime_lock_plus_tools():
    runtime, dev = lock("runtime"), lock("dev")
    assert {name: runtime[name] for name in runtime} == {name: dev.get(name) for name in runtime}
    assert DEV_TOOLS <= set(dev)


def test_every_declared_package_is_locked():
    assert declared(PYPROJECT["project"]["dependencies"]) <= set(lock("runtime"))
    assert declared(PYPROJECT["dependency-groups"]["dev"]) <= set(lock("dev"))


EXCLUDED = {normalise(name) for name in PYPROJECT["tool"]["uv"]["exclude-dependencies"]}


def dependency_closure(requirements):
    """Every package the requirements need, through the dependencies (and extras) their metadata name."""
    extras_wanted = {}
    queue = [Requirement(text) for text in requirements]
    while queue:
        requirement = queue.pop()
        name = normalise(requirement.name)
        if name in EXCLUDED or (name in extras_wanted and requirement.extras <= extras_wanted[name]):
            continue
        extras_wanted[name] = extras_wanted.get(name, set()) | requirement.extras
        for text in distribution(name).requires or []:
            dependency = Requirement(text)
            marker = dependency.marker
            if marker is None or any(marker.evaluate({"extra": e}) for e in {"", *extras_wanted[name]}):
                queue.append(dependency)
    return set(extras_wanted)


def test_each_lock_is_exactly_what_its_packages_need():
    """`make` and the image install the locks with `pip --no-deps`: a missing package would go unnoticed."""
    runtime, dev = PYPROJECT["project"]["dependencies"], PYPROJECT["dependency-groups"]["dev"]
    for name, requirements in [("runtime", runtime), ("dev", runtime + dev)]:
        pins = lock(name)
        needed = dependency_closure(requirements)
        assert needed == set(pins), f"{name}: missing {needed - set(pins)}, unneeded {set(pins) - needed}"
        # The metadata read is that of the locked versions (the suite runs in an install of the dev lock).
        assert {package: distribution(package).version for package in needed} == {
            package: pins[package][0] for package in needed
        }, name


@pytest.mark.django_db
def test_heic_uploads_are_refused_so_the_locks_leave_out_the_heic_codec(admin_client):
    """pillow-heif (Willow's `heif` extra) is excluded in pyproject.toml: HEIC is no accepted upload."""
    assert "pillow-heif" in EXCLUDED
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Phone photo",
            "file": SimpleUploadedFile("march.heic", heic, content_type="image/heic"),
            "description": "A march in Lima",
            "collection": Collection.get_first_root_node().id,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Not a supported image format. Supported formats: AVIF, GIF, JPG, JPEG, PNG, WEBP."
    ]
    assert not get_image_model().objects.exists()


def imported_top_level_modules(paths):
    modules = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - FIRST_PARTY


def dotted_paths_to_installed_modules(paths, distributions):
    """Modules the settings name as strings for Django to import ("storages.backends.s3.S3Storage")."""
    modules = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+", node.value):
                    modules.add(node.value.split(".")[0])
    return (modules & set(distributions)) - set(sys.stdlib_module_names) - FIRST_PARTY


def test_every_package_the_application_imports_is_a_runtime_dependency():
    """Declared by name, not left to arrive as another package's dependency."""
    paths = [path for package in APPLICATION for path in (ROOT / package).rglob("*.py")]
    paths += [*(ROOT / "docker").glob("*.py"), ROOT / "manage.py"]
    runtime = declared(PYPROJECT["project"]["dependencies"])
    distributions = packages_distributions()
    modules = imported_top_level_modules(paths) | dotted_paths_to_installed_modules(paths, distributions)
    assert {"storages", "whitenoise", "axes"} <= modules  # named only as strings in the settings
    undeclared = {
        module: distributions.get(module)
        for module in modules
        if not {normalise(name) for name in distributions.get(module, [])} & runtime
    }
    assert not undeclared, f"imported but not in pyproject.toml's dependencies: {undeclared}"
