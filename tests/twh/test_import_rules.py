"""The layers' import rules (docs/ARCHITECTURE.md), read from every project file with `ast`.

The floor (twh/core) imports no app and nothing of the roof; events imports neither healingmap nor
summit; summit imports neither events nor healingmap; healingmap may read events. Apps reach
twh only through twh.core. Every import counts: at any depth (inside functions too), `import x.y`,
`from x import y`, relative imports, and `importlib.import_module("x.y")` with a literal name.
Tests, scripts and everything else outside the apps and the floor belong to the roof.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("events", "healingmap", "summit")
FLOOR, ROOF = "floor", "roof"
SKIPPED_DIRS = {".venv", "node_modules", "static_vendor", ".git", "__pycache__"}

# What each layer may not import.
FORBIDDEN = {
    FLOOR: {"events", "healingmap", "summit", ROOF},
    "events": {"healingmap", "summit", ROOF},
    "summit": {"events", "healingmap", ROOF},
    "healingmap": {"summit", ROOF},
}


def layer_of_module(name: str) -> str | None:
    """The layer a dotted module (or module.attribute) name belongs to; None for other packages."""
    parts = name.split(".")
    if parts[0] in APPS:
        return parts[0]
    if parts[0] == "twh":
        return FLOOR if parts[1:2] == ["core"] else ROOF
    return None


def module_name(path: Path) -> str:
    """The dotted name of a project file (a package's __init__ is the package)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of_file(path: Path) -> str:
    """Files of the floor and of the apps are theirs; tests and everything else are the roof."""
    return layer_of_module(module_name(path)) or ROOF


def _resolve_relative(module: str | None, level: int, importer: str, is_package: bool) -> str:
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, module] if module else base)


def imported_names(source: str, *, importer: str = "", is_package: bool = False) -> list[tuple[int, str]]:
    """(line, dotted name) of everything a module's source imports, at any depth."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = _resolve_relative(node.module, node.level, importer, is_package)
            for alias in node.names:
                # `from twh import core` is twh.core; `from twh.x import y` is twh.x.y (same layer)
                found.append((node.lineno, module if alias.name == "*" else f"{module}.{alias.name}"))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return found


def violations_in(source: str, *, layer: str, importer: str = "", is_package: bool = False) -> list[str]:
    forbidden = FORBIDDEN.get(layer, set())
    return [
        f"{importer or '<source>'}:{line} ({layer}) imports {name} ({layer_of_module(name)})"
        for line, name in imported_names(source, importer=importer, is_package=is_package)
        if layer_of_module(name) in forbidden
    ]


def project_files():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def all_violations() -> list[str]:
    problems = []
    for path in project_files():
        problems += violations_in(path.read_text(encoding="utf-8"), layer=layer_of_file(path),
                                  importer=module_name(path), is_package=path.name == "__init__.py")
    return problems


def test_every_project_file_keeps_to_its_layer():
    assert all_violations() == []


def test_the_project_has_files_in_every_layer():
    layers = {layer_of_file(path) for path in project_files()}
    assert {FLOOR, ROOF, *APPS} <= layers


def test_the_checker_flags_the_floor_importing_an_app_or_the_roof():
    source = "import events.models\n\ndef later():\n    from twh import dashboard\n"
    assert violations_in(source, layer=FLOOR, importer="twh.core.x") == [
        "twh.core.x:1 (floor) imports events.models (events)",
        "twh.core.x:4 (floor) imports twh.dashboard (roof)",
    ]


def test_the_checker_flags_each_apps_forbidden_neighbours():
    assert violations_in("from summit.models import Summit", layer="events")
    assert violations_in("import healingmap.geojson", layer="events")
    assert violations_in("from events import models", layer="summit")
    assert violations_in("from healingmap import geojson", layer="summit")
    assert violations_in("from summit import services", layer="healingmap")
    assert violations_in("from twh.views import home", layer="healingmap")
    assert violations_in("importlib.import_module('summit.models')", layer="events")


def test_the_checker_allows_what_the_layers_may_import():
    assert violations_in("from events.models import HealingEvent\nfrom twh.core import outbox",
                         layer="healingmap") == []
    assert violations_in("from twh.core.moderation import Status", layer="summit") == []
    assert violations_in("from twh import core", layer="events") == []
    assert violations_in("import summit.models\nimport healingmap", layer=ROOF) == []


def test_relative_imports_are_resolved_against_the_importer():
    assert imported_names("from . import geojson", importer="healingmap.views") == [(1, "healingmap.geojson")]
    assert imported_names("from ..dashboard import x", importer="twh.core.csv") == [(1, "twh.dashboard.x")]
    assert imported_names("from .models import y", importer="twh.core", is_package=True) == [
        (1, "twh.core.models.y")]
    assert violations_in("from ..dashboard import x", layer=FLOOR, importer="twh.core.csv")


def test_files_belong_to_the_layer_of_their_folder():
    assert layer_of_file(ROOT / "twh" / "core" / "outbox.py") == FLOOR
    assert layer_of_file(ROOT / "twh" / "settings.py") == ROOF
    assert layer_of_file(ROOT / "twh" / "migrations" / "0001_initial.py") == ROOF
    assert layer_of_file(ROOT / "events" / "migrations" / "0001_initial.py") == "events"
    assert layer_of_file(ROOT / "tests" / "events" / "test_submit.py") == ROOF
