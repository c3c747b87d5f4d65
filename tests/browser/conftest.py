"""Playwright driving Debian's chromium against pytest-django's live server.

The browser tests never download a browser. When chromium is missing they fail, so CI
cannot go green without them (set TWH_SKIP_BROWSER=1 to skip them on purpose locally).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TWH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make
# around it are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("TWH_SKIP_BROWSER") == "1":
        pytest.skip("TWH_SKIP_BROWSER=1: browser tests skipped on purpose")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# How long a step may wait: generous, because a full run on 2 loaded cores can take seconds to
# render a page; a step that is really broken still fails, only later.
WAIT_MS = 30_000


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    # The tile server is outside this machine's network: answer tile requests with nothing.
    context.route("https://**/*", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


@pytest.fixture
def js_off_page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()
