"""Healing Map benchmark: `python bench/map.py` (or .venv/bin/python bench/map.py).

Seeds 10,000 approved events into a scratch database (SQLite in a temporary folder, or the
PostgreSQL database named by BENCH_DATABASE_URL, which is emptied first), starts the site under
gunicorn on a loopback port with production settings (DEBUG off, WhiteNoise, collected static
files) and measures in one run:

- the GeoJSON's cold (empty cache) and warm median latency, against the same bytes served as a
  static file by the same server (both gzipped, both through urllib);
- gzipped bytes per event;
- in headless chromium, the time from navigation until every marker and cluster is drawn;
- the map page's weight without tiles and GeoJSON (bytes on the wire and decoded).

It prints every figure and its ratio to the target; it does not fail on a missed target.
Options: --events N (default 10000), --runs N (warm/static samples, default 30).
"""

import argparse
import gzip
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("TWH_CHROMIUM", "/usr/bin/chromium")
TARGETS = {"warm_ratio": 1.5, "cold_ratio": 5.0, "bytes_per_event": 200, "drawn_s": 2.0, "page_kb": 300}

SETTINGS = '''
from twh.settings import *  # noqa: F401,F403
import dj_database_url
DATABASES = {"default": dj_database_url.parse(%(database_url)r)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
STATIC_ROOT = %(static_root)r
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}}
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "map_bench_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": "",
        "GEOCODER": "none",
    })
    return env


def run(args, env, **kwargs):
    subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


# --- Runs inside the child process (Django configured for the scratch database).


def seed_and_export(events: int, static_file: str) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone

    from events.demo import build_event
    from events.models import CommunityArea, HealingEvent
    from twh.moderation import Status

    HealingEvent.objects.all().delete()
    areas = list(CommunityArea.objects.order_by("number"))
    batch = []
    for index in range(events):
        event = build_event(index, 7, areas)
        event.status = Status.APPROVED
        event.moderated_at = timezone.now()
        batch.append(event)
        if len(batch) == 1000:
            HealingEvent.objects.bulk_create(batch)
            batch = []
    HealingEvent.objects.bulk_create(batch)
    # The very bytes the site serves, written as a static file for the comparison.
    body = Client().get("/map/events.geojson").content
    path = Path(static_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    path.with_suffix(".geojson.gz").write_bytes(gzip.compress(body, compresslevel=6, mtime=0))
    print(f"seeded {HealingEvent.objects.approved().count()} approved events; "
          f"GeoJSON {len(body):,} bytes, {len(json.loads(body)['features']):,} features")


# --- The measuring parent.


def fetch(url: str) -> tuple[float, bytes, dict]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        headers = dict(response.headers)
    return time.perf_counter() - start, body, headers


def median_ms(samples) -> float:
    return statistics.median(samples) * 1000


def wait_until_up(base: str, process) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited early")
        try:
            fetch(base + "/healthz")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def browser_figures(base: str, runs: int) -> tuple[list[float], int, int, int]:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"]
    drawn, wire, decoded, markers = [], 0, 0, 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        for attempt in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("https://**/*", lambda route: route.abort())  # tiles: not measured
            page = context.new_page()
            responses = []
            page.on("requestfinished", lambda request, sink=responses: sink.append(request))
            page.goto(base + "/map/")
            page.wait_for_selector("#healing-map[data-state=ready]", timeout=60000)
            drawn.append(float(page.get_attribute("#healing-map", "data-drawn-ms")) / 1000)
            markers = int(page.get_attribute("#healing-map", "data-markers"))
            if attempt == 0:
                for request in responses:
                    if "events.geojson" in request.url or request.url.startswith("https://"):
                        continue
                    sizes = request.sizes()
                    wire += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                    response = request.response()
                    decoded += len(response.body()) if response else 0
            context.close()
        browser.close()
    return drawn, wire, decoded, markers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=7)
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("_child", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options._child[:1] == ["seed"]:
        seed_and_export(options.events, options._child[1])
        return

    workdir = Path(tempfile.mkdtemp(prefix="twh-map-bench-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    static_root = workdir / "static"
    (workdir / "map_bench_settings.py").write_text(
        SETTINGS % {"database_url": database_url, "static_root": str(static_root)}
    )
    env = child_env(workdir)
    gunicorn = None
    try:
        print(f"scratch folder {workdir}; database {database_url.split('@')[-1]}")
        t0 = time.perf_counter()
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
        static_file = static_root / "bench" / "events.geojson"
        run([PYTHON, __file__, "--events", str(options.events), "seed", str(static_file)], env)
        print(f"set-up took {time.perf_counter() - t0:.1f} s")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "twh.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )
        wait_until_up(base, gunicorn)
        fetch(base + "/map/data/")  # the worker has imported everything before we time it

        # Cold: each distinct (but all-matching) filter is a new cache key, so it is built anew.
        cold = []
        for day in range(1, options.cold_runs + 1):
            seconds, body, headers = fetch(f"{base}/map/events.geojson?start=2001-01-{day:02d}")
            cold.append(seconds)
        fetch(base + "/map/events.geojson")  # prime the warm key
        warm, static = [], []
        for _ in range(options.runs):  # interleaved, so both see the same machine load
            seconds, gz_dynamic, dynamic_headers = fetch(base + "/map/events.geojson")
            warm.append(seconds)
            seconds, gz_static, static_headers = fetch(base + "/static/bench/events.geojson")
            static.append(seconds)
        etag = dynamic_headers["ETag"]
        not_modified = []
        for _ in range(options.runs):
            request = urllib.request.Request(base + "/map/events.geojson",
                                             headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
            start = time.perf_counter()
            try:
                urllib.request.urlopen(request, timeout=30)
            except urllib.error.HTTPError as error:
                assert error.code == 304, error.code
            not_modified.append(time.perf_counter() - start)

        same = gzip.decompress(gz_dynamic) == gzip.decompress(gz_static)
        raw = gzip.decompress(gz_dynamic)
        features = json.loads(raw)["features"]
        event_count = sum(f["properties"].get("count", 1) for f in features)
        per_event = len(gz_dynamic) / max(event_count, 1)

        drawn, wire, decoded, markers = browser_figures(base, options.browser_runs)

        cold_ms, warm_ms, static_ms = median_ms(cold), median_ms(warm), median_ms(static)
        print()
        print(f"events in GeoJSON                 {event_count:,} ({len(features):,} features, {markers:,} markers drawn)")
        print(f"GeoJSON size                      {len(raw):,} B raw, {len(gz_dynamic):,} B gzipped"
              f" ({dynamic_headers.get('Content-Encoding')}); same bytes as the static file: {same}")
        print(f"static file (gzip, WhiteNoise)    median {static_ms:.2f} ms over {len(static)} runs"
              f" ({static_headers.get('Content-Encoding')})")
        print(f"GeoJSON warm                      median {warm_ms:.2f} ms over {len(warm)} runs"
              f"  -> {warm_ms / static_ms:.2f}x static (target <= {TARGETS['warm_ratio']}x)")
        print(f"GeoJSON cold (cache miss)         median {cold_ms:.2f} ms over {len(cold)} runs"
              f"  -> {cold_ms / static_ms:.2f}x static (target <= {TARGETS['cold_ratio']}x)")
        print(f"GeoJSON 304 (If-None-Match)       median {median_ms(not_modified):.2f} ms")
        print(f"gzipped bytes per event           {per_event:.1f} B"
              f"  -> {per_event / TARGETS['bytes_per_event']:.2f} of the {TARGETS['bytes_per_event']} B target")
        print(f"map drawn (navigation -> ready)   median {statistics.median(drawn):.2f} s over {len(drawn)} runs"
              f" {[f'{d:.2f}' for d in drawn]}  -> {statistics.median(drawn) / TARGETS['drawn_s']:.2f}"
              f" of the {TARGETS['drawn_s']} s target")
        print(f"map page weight (no tiles/GeoJSON) {wire / 1024:.1f} KB on the wire, {decoded / 1024:.1f} KB decoded"
              f"  -> {wire / 1024 / TARGETS['page_kb']:.2f} of the {TARGETS['page_kb']} KB target")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
