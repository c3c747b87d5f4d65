"""The Healing Map in a real browser at city scale: `.venv/bin/python bench/map_browser.py`.

    .venv/bin/python bench/map_browser.py --events 50000 [--database postgres://.../twh_x]
        [--port 8460] [--redis-port 6420] [--runs 3]

Seeds a PostgreSQL database of its own (emptied first) with approved events of unique text,
serves it with gunicorn (2 workers, production settings, a Redis of its own) and loads, in
Debian's chromium driven by Playwright, interleaved:

- **our map**: `/map/` as a visitor gets it (the compact markers document, shared per-kind
  icons, markers added in chunks by markercluster);
- **the floor**: plain Leaflet + markercluster on the same data (the same markers document,
  one default `L.marker` per row, `addLayers` chunked), from the same server, nothing else on
  the page: what any map of these points costs at the least.

For each it reads the time from navigation to the markers drawn, the longest main-thread task
(a `longtask` PerformanceObserver from the first byte), the JS heap after a forced garbage
collection and the DOM node count, and prints the medians with issue 14's targets (drawn
<= 1.3x the floor, longest task <= 200 ms, heap <= 1.5x the floor), met or not. Tile requests
are answered with one blank tile for both pages, so no network is used and neither page pays
for a fallback. Not part of `make test`.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.map import each_scale, prepared_site, start_redis, stop, verdict  # noqa: E402
from bench.serving import gunicorn  # noqa: E402

CHROMIUM = os.environ.get("TWH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--enable-precise-memory-info"]
# A 1x1 transparent PNG: every tile, for both pages.
BLANK_TILE = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                           "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")

FLOOR_PATH = "/bench-floor/"
FLOOR_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>floor</title>
<link rel="stylesheet" href="/static/leaflet/leaflet.css">
<link rel="stylesheet" href="/static/vendor/markercluster/MarkerCluster.css">
<link rel="stylesheet" href="/static/vendor/markercluster/MarkerCluster.Default.css">
<style>html, body, #map { height: 100%; margin: 0; }</style></head>
<body><div id="map"></div>
<script src="/static/leaflet/leaflet.js"></script>
<script src="/static/vendor/markercluster/leaflet.markercluster.js"></script>
<script>
  var map = L.map("map").setView([41.84, -87.68], 10);
  L.tileLayer("https://tiles.bench.invalid/{z}/{x}/{y}.png").addTo(map);
  // The same compact document our map loads: one plain marker per event and per area row.
  fetch("/map/markers.json").then(function (r) { return r.json(); }).then(function (doc) {
    performance.mark("floor:data");
    var markers = doc.events.map(function (row) { return L.marker([row[2], row[1]]); })
      .concat(doc.areas.map(function (row) { return L.marker([row[1], row[0]]); }));
    performance.mark("floor:built");
    var clusters = L.markerClusterGroup({ chunkedLoading: true, chunkProgress: function (done, total) {
      performance.mark("floor:chunk");
      // total > 0: adding the group to the map reports an empty first batch (0 of 0) at once.
      if (total > 0 && done >= total) {
        document.body.dataset.drawnMs = String(Math.round(performance.now()));
        document.body.dataset.clustered = String(clusters.getLayers().length);
      }
    } });
    map.addLayer(clusters);
    map.fitBounds(L.featureGroup(markers).getBounds(), { animate: false });
    clusters.addLayers(markers);
  });
</script></body></html>
"""

# Before any page script: every long task from the first byte on.
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) { window.__longTasks.push(entry.duration); });
}).observe({ type: "longtask", buffered: true });
"""


def measure(browser, url: str, drawn_js: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.add_init_script(LONG_TASKS)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))

        def route(route):
            request_url = route.request.url
            if request_url.startswith(origin + FLOOR_PATH):
                route.fulfill(status=200, content_type="text/html", body=FLOOR_HTML)
            elif request_url.startswith(origin):
                route.continue_()
            else:
                route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)

        page.route("**/*", route)
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_function(drawn_js, timeout=120_000, polling=100)
        drawn_ms = float(page.evaluate(drawn_js))
        page.wait_for_timeout(1500)  # markercluster's last chunk and animations settle
        session = context.new_cdp_session(page)
        session.send("HeapProfiler.collectGarbage")
        heap = session.send("Runtime.getHeapUsage")["usedSize"]
        return {
            "drawn_ms": drawn_ms,
            "longest_task_ms": max(page.evaluate("() => window.__longTasks") or [0]),
            "heap_mb": heap / 1024 / 1024,
            "dom_nodes": page.evaluate("() => document.getElementsByTagName('*').length"),
            # Where the time goes: the page's load event, and the data's request start and end.
            **page.evaluate("""() => {
                const nav = performance.getEntriesByType('navigation')[0];
                const data = performance.getEntriesByType('resource').find(
                    (r) => /markers\\.json/.test(r.name));
                const marks = {};
                performance.getEntriesByType('mark').forEach((m) => { marks[m.name] = (marks[m.name] ? marks[m.name] + "," : "") + Math.round(m.startTime); });
                return {load_ms: nav ? nav.loadEventEnd : -1, data_start_ms: data ? data.startTime : -1,
                        data_end_ms: data ? data.responseEnd : -1,
                        dcl_ms: nav ? nav.domContentLoadedEventEnd : -1,
                        data_requests: performance.getEntriesByType('resource').filter(
                            (r) => /markers\\.json/.test(r.name)).length, marks: marks};
            }"""),
        }
    finally:
        context.close()


# Functions, not expressions: the site's CSP refuses a string evaluated as code.
OURS_DRAWN = ("() => { const c = document.getElementById('healing-map');"
              " return c && c.dataset.state === 'ready' && c.dataset.drawnMs ? c.dataset.drawnMs : null; }")
FLOOR_DRAWN = "() => document.body && document.body.dataset.drawnMs ? document.body.dataset.drawnMs : null"


def run(events: int, options, workdir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    redis = start_redis(options.redis_port, workdir)
    try:
        env, seeded = prepared_site(events, options, workdir)
        print(f"\n== {seeded['events']:,} approved events; GeoJSON {seeded['bytes']:,} B ==", flush=True)
        base = f"http://127.0.0.1:{options.port}"
        samples: dict[str, list[dict]] = {"our map": [], "floor": []}
        with gunicorn(port=options.port, env=env, workers=2), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                measure(browser, base + "/map/", OURS_DRAWN)  # warm the server's caches once
                measure(browser, base + FLOOR_PATH, FLOOR_DRAWN)
                for _ in range(options.runs):  # interleaved: both see the same machine
                    samples["our map"].append(measure(browser, base + "/map/", OURS_DRAWN))
                    samples["floor"].append(measure(browser, base + FLOOR_PATH, FLOOR_DRAWN))
            finally:
                browser.close()
    finally:
        stop(redis)
    return {name: {key: statistics.median([s[key] for s in runs]) for key in
                   ("drawn_ms", "longest_task_ms", "heap_mb", "dom_nodes", "load_ms", "data_start_ms",
                    "data_end_ms")} | {"runs": runs}
            for name, runs in samples.items()}


def report(figures: dict) -> None:
    ours, floor = figures["our map"], figures["floor"]
    print(f"{'page':10} {'drawn ms':>9} {'longest task ms':>16} {'heap MB':>8} {'DOM nodes':>10}   (medians)")
    for name in ("our map", "floor"):
        f = figures[name]
        print(f"{name:10} {f['drawn_ms']:9.0f} {f['longest_task_ms']:16.0f} {f['heap_mb']:8.1f} {f['dom_nodes']:10.0f}")
    for name in ("our map", "floor"):
        print(f"  {name} runs: " + json.dumps([{k: round(v, 1) if isinstance(v, float) else v for k, v in run.items()}
                                               for run in figures[name]["runs"]]))
    for name in ("our map", "floor"):
        f = figures[name]
        print(f"  {name}: load event {f['load_ms']:.0f} ms, markers requested at {f['data_start_ms']:.0f} ms, "
              f"received at {f['data_end_ms']:.0f} ms, drawn at {f['drawn_ms']:.0f} ms")
    drawn, heap = ours["drawn_ms"] / floor["drawn_ms"], ours["heap_mb"] / floor["heap_mb"]
    print("targets:")
    print(f"  drawn <= 1.3x the floor      {drawn:.2f}x ({ours['drawn_ms']:.0f} vs {floor['drawn_ms']:.0f} ms)  {verdict(drawn <= 1.3)}")
    print(f"  longest task <= 200 ms       {ours['longest_task_ms']:.0f} ms (floor {floor['longest_task_ms']:.0f} ms)  "
          f"{verdict(ours['longest_task_ms'] <= 200)}")
    print(f"  heap <= 1.5x the floor       {heap:.2f}x ({ours['heap_mb']:.1f} vs {floor['heap_mb']:.1f} MB)  {verdict(heap <= 1.5)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="50000", help="comma-separated counts")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL",
                                                             "postgres://postgres@127.0.0.1:5432/twh_bench_map_browser"))
    parser.add_argument("--port", type=int, default=8460)
    parser.add_argument("--redis-port", type=int, default=6420)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"needs {CHROMIUM}: bash scripts/ensure_chromium.sh")
    each_scale(options, "twh-map-browser-", lambda events, workdir: report(run(events, options, workdir)))


if __name__ == "__main__":
    main()
