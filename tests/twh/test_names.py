"""Names line up: each app's URL name is its view's name, and the view renders the template of
the same stem (`healingmap:event_list` -> `event_list` -> `healingmap/event_list.html`)."""

import ast
from pathlib import Path

import pytest
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2]
APPS = ("events", "healingmap", "summit")
# URL names that are second doors into a view named otherwise, kept for old links.
ALIASES = {"summit:summit_calendar", "summit:already_registered"}


def _patterns():
    resolver = get_resolver()
    for app in APPS:
        for pattern in resolver.namespace_dict[app][1].url_patterns:
            yield app, pattern


@pytest.mark.parametrize("app,pattern", list(_patterns()), ids=lambda p: getattr(p, "name", p))
def test_each_url_name_is_its_views_name(app, pattern):
    if f"{app}:{pattern.name}" in ALIASES:
        return
    view = pattern.callback
    if hasattr(view, "view_class"):  # a class-based view is named by its class
        return
    assert view.__name__ == pattern.name


def _rendered_templates(module: Path) -> dict[str, set[str]]:
    """{view function: the app templates it passes to render()} from a views module's source."""
    found = {}
    for node in ast.parse(module.read_text()).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            found[node.name] = {
                call.args[1].value for call in ast.walk(node)
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "render"
                and len(call.args) > 1 and isinstance(call.args[1], ast.Constant)
            }
    return found


# Views that render a second page for another state (already reported, link no longer valid).
OTHER_STATES = {"report_received", "link_invalid", "closed", "registered"}


@pytest.mark.parametrize("app", [*APPS, "twh"])
def test_each_view_renders_the_template_of_its_name(app):
    for view, templates in _rendered_templates(ROOT / app / "views.py").items():
        for template in templates:
            stem = template.removeprefix(f"{app}/").removesuffix(".html")
            assert stem == view or stem in OTHER_STATES, (view, template)
