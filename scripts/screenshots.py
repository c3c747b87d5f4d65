"""Save a PNG of every public page at 375 px and 1280 px wide into screenshots/ (gitignored).

`make screenshots` loads the demo data first. This script serves the site with `runserver` on a
spare port, drives Debian's chromium through Playwright (no browser download) and stops the server.
Tiles come from the internet: offline, the map shows its markers on a plain background.

    .venv/bin/python scripts/screenshots.py [--port 8765] [--docs]

--docs also refreshes the two images the README shows (docs/screenshots/).
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
DOCS = ROOT / "docs" / "screenshots"
WIDTHS = (375, 1280)
CHROMIUM = os.environ.get("TWH_CHROMIUM", "/usr/bin/chromium")
README_IMAGES = ("home-1280.png", "map-375.png")

PAGES = [
    ("home", "/"),
    ("about", "/about/"),
    ("privacy", "/privacy/"),
    ("accessibility", "/accessibility/"),
    ("submit", "/events/submit/"),
    ("message-form", "/events/messages/new/"),
    ("map", "/map/"),
    ("list", "/map/list/"),
    ("messages", "/map/messages/"),
    ("embed", "/map/embed/"),
    ("data", "/map/data/"),
    ("coverage", "/map/coverage/"),
    ("area", "/map/areas/68/"),
    ("summit", "/summit/"),
    ("register", "/summit/register/"),
    ("reflections", "/summit/reflections/"),
    ("reflection-form", "/summit/reflections/new/"),
]


def first_event_path() -> str | None:
    """The public page of one approved event, read from the same database the server uses."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twh.settings")
    import django

    django.setup()
    from events.models import HealingEvent

    event = HealingEvent.objects.approved().order_by("starts_at").first()
    return f"/events/{event.pk}/" if event else None


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server at {url} did not start in {seconds:.0f} s.")


def shoot(base_url: str, pages: list[tuple[str, str]]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for width in WIDTHS:
            context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900},
                                          locale="en-US")
            page = context.new_page()
            page.set_default_timeout(15000)
            for name, path in pages:
                page.goto(path)
                try:
                    page.wait_for_load_state("networkidle", timeout=5000)
                except Exception:  # tiles that never answer offline: take the picture anyway
                    pass
                target = OUT / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                saved.append(target)
                print(f"saved {target.relative_to(ROOT)}")
            context.close()
        browser.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("SCREENSHOTS_PORT", "8765")))
    parser.add_argument("--docs", action="store_true", help="also update docs/screenshots/ for the README")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium.", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    pages = list(PAGES)
    event_path = first_event_path()
    if event_path:
        pages.append(("event", event_path))
    base_url = f"http://127.0.0.1:{args.port}/"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{args.port}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(base_url)
        shoot(base_url, pages)
    finally:
        server.terminate()
        server.wait(timeout=10)
    if args.docs:
        DOCS.mkdir(parents=True, exist_ok=True)
        for name in README_IMAGES:
            shutil.copyfile(OUT / name, DOCS / name)
            print(f"updated docs/screenshots/{name}")
    print(f"{len(pages) * len(WIDTHS)} screenshots in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
