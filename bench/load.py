"""Bench: the site under load on loopback, with nothing lost, nothing duplicated, no 5xx.

    .venv/bin/python bench/load.py [--clients 8] [--events 500] [--registrations 500]
                                   [--restart-db] [--max-seconds 240]

Creates a scratch PostgreSQL database (`twh_bench` on 127.0.0.1:5432; with --restart-db a
private PostgreSQL cluster of its own, which it restarts in the middle of the run), uses Redis
on a port of its own (--redis-port, a server it starts and stops), and serves the site with gunicorn and production settings.
N concurrent clients then submit events and summit registrations through the public forms
(the rate limit raised for the run; one in ten posted twice, like a double click). It checks
that every accepted submission exists exactly once with its confirmation email, counts 5xx,
and prints throughput and p50/p95 latency. Then it measures public pages (home, map list,
GeoJSON) against a hello-world view on the same server and prints the ratio.

Targets: 1,000 submissions, 0 lost, 0 duplicated, 0 x 5xx (503 only while the database
restarts); public pages >= 50% of the hello-world throughput. Everything is bounded: request
counts, seconds, and loopback only. Only processes it started are stopped, by their id.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving import (
    ROOT,
    Client,
    free_port,
    fresh_database,
    gunicorn,
    manage,
    production_env,
    psql,
    redis_server,  # noqa: E402
)

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
PAGES = {"home": "/", "map": "/map/", "map list": "/map/list/", "GeoJSON": "/map/events.geojson",
         "markers": "/map/markers.json", "CSV": "/map/events.csv"}


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


# --- Databases ---------------------------------------------------------------------------


class PrivateCluster:
    """A throwaway PostgreSQL cluster on a free loopback port, so restarting it disturbs no one."""

    def __init__(self):
        if PG_BIN is None:
            raise SystemExit("--restart-db needs PostgreSQL's server binaries (/usr/lib/postgresql)")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="twh-bench-pg-"))
        self.data = self.dir / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args, check=True):
        return subprocess.run([*self.as_postgres, *args], check=check, capture_output=True,
                              text=True, timeout=120)

    def start(self):
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8", "--no-sync")
        self.pg_ctl("start")

    def pg_ctl(self, action: str, *extra: str):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                  "-l", str(self.dir / "log"), action, *extra)

    def stop(self):
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop",
                  check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Submissions -------------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.accepted: dict[str, set[str]] = {"event": set(), "registration": set()}
        self.retried_503 = 0

    def record(self, status: int, seconds: float | None):
        with self.lock:
            self.statuses[status] += 1
            if seconds is not None:
                self.latencies.append(seconds)


# When the run starts: a person who retries sends the same date they typed the first time.
RUN_STARTED = datetime.now()


def event_data(n: int, fields: dict, area: str) -> dict:
    start = RUN_STARTED + timedelta(days=5 + n % 30)
    return {
        **fields, "title": f"Load event {n}", "kind": "dialogue", "format": "virtual",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": "", "participants": "12",
        "language_of_event": "en", "description": "A bench submission.",
        "host_type": "organization", "host_name": f"Bench Block Club {n}", "website": "",
        "location_basis": "host", "address": "121 N LaSalle St", "community_area": area,
        "latitude": "", "longitude": "", "message": "", "contact_name": f"Bench Person {n}",
        "contact_email": f"load-e{n}@example.net", "contact_phone": "", "homepage": "",
    }


def registration_data(n: int, fields: dict, role: str) -> dict:
    return {**fields, "name": f"Bench Attendee {n}", "email": f"load-r{n}@example.net",
            "role": role, "consent": "on", "homepage": ""}


def submit_one(client: Client, kind: str, n: int, tally: Tally, choices: dict, deadline: float):
    path = "/events/submit/" if kind == "event" else "/summit/register/"
    for _attempt in range(30):  # a person retries a page that says "try again in a moment"
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        page = client.get(path)
        if page.status != 200:
            tally.record(page.status, None)
        if page.status == 503:
            with tally.lock:
                tally.retried_503 += 1
            time.sleep(0.5)
            continue
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        data = (event_data(n, fields, choices["area"]) if kind == "event"
                else registration_data(n, fields, choices["role"]))
        posts = 2 if n % 10 == 0 else 1  # a double click: the same form posted twice
        for _ in range(posts):
            response = client.post(path, data)
            tally.record(response.status, time.perf_counter() - started)
            if response.status == 503:
                break
        if response.status == 503:
            with tally.lock:
                tally.retried_503 += 1
            time.sleep(0.5)
            continue
        if response.status == 302:
            key = data["title"] if kind == "event" else data["email"]
            with tally.lock:
                tally.accepted[kind].add(key)
        return


def form_choices(port: int) -> dict:
    client = Client(port)
    choices = {}
    page = client.get("/events/submit/").text
    choices["area"] = re.search(r'<option value="(\d+)"', page).group(1)
    register = client.get("/summit/register/")
    role = re.search(r'name="role" value="([^"]+)"', register.text) if register.status == 200 else None
    choices["role"] = role.group(1) if role else None
    return choices


def run_submissions(port, args, restart=None) -> tuple[Tally, float]:
    choices = form_choices(port)
    jobs = [("event", n) for n in range(args.events)]
    if choices["role"]:
        jobs += [("registration", n) for n in range(args.registrations)]
    else:
        print("summit registration is not open on this site: registrations skipped")
    jobs.sort(key=lambda job: (job[1], job[0]))  # interleave the two kinds
    tally = Tally()
    local = threading.local()
    deadline = time.monotonic() + args.max_seconds

    def work(job):
        if not hasattr(local, "client"):
            local.client = Client(port)
        submit_one(local.client, *job, tally, choices, deadline)

    started = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        futures = [pool.submit(work, job) for job in jobs]
        if restart:
            restart(lambda: sum(f.done() for f in futures) / len(futures))
        for future in futures:
            future.result()
    return tally, time.perf_counter() - started


def verify(dsn: str, tally: Tally) -> dict:
    dsn = dsn.replace("postgres://", "postgresql://")
    events = dict(psql(dsn, "SELECT title, count(*) FROM events_healingevent "
                            "WHERE title LIKE 'Load event %' GROUP BY title"))
    confirmations = dict(psql(dsn, "SELECT e.title, count(o.id) FROM events_healingevent e "
                                   "LEFT JOIN twh_outboxemail o ON o.\"to\"::text LIKE "
                                   "'%' || e.contact_email || '\"%' "
                                   "WHERE e.title LIKE 'Load event %' GROUP BY e.title"))
    registrations = {}
    if tally.accepted["registration"]:
        registrations = dict(psql(dsn, "SELECT email, count(*) FROM summit_registration "
                                       "WHERE email LIKE 'load-r%' GROUP BY email"))
    unsent = psql(dsn, "SELECT count(*) FROM twh_outboxemail WHERE sent_at IS NULL")[0][0]
    stored = {"event": events, "registration": registrations}
    result = {}
    for kind in ("event", "registration"):
        accepted = tally.accepted[kind]
        result[f"{kind} lost"] = len([k for k in accepted if stored[kind].get(k, 0) == 0])
        result[f"{kind} duplicated"] = sum(1 for count in stored[kind].values() if count > 1)
        result[f"{kind} stored but not confirmed to the client"] = len(set(stored[kind]) - accepted)
    result["events without their confirmation email"] = sum(
        1 for title in events if confirmations.get(title, 0) != 1
    )
    result["emails still unsent"] = unsent
    return result


# --- Public pages against hello world ----------------------------------------------------


def throughput(port: int, path: str, *, clients: int, requests: int, seconds: float):
    latencies, statuses, lock = [], Counter(), threading.Lock()
    deadline = time.monotonic() + seconds
    per_client = max(1, requests // clients)

    def work(_):
        client = Client(port)
        for _ in range(per_client):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            response = client._request("GET", path, headers={"Accept-Encoding": "gzip"})
            with lock:
                latencies.append(time.perf_counter() - started)
                statuses[response.status] += 1
        client.close()

    Client(port)._request("GET", path)  # warm: the first request fills caches
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(work, range(clients)))
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 50), statuses


# --- Main --------------------------------------------------------------------------------


@contextmanager
def database(args):
    if args.restart_db:
        cluster = PrivateCluster()
        cluster.start()
        try:
            yield fresh_database("127.0.0.1", cluster.port, "twh_bench"), cluster
        finally:
            cluster.stop()
    else:
        host, port = args.pg_host, args.pg_port
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("This bench runs on loopback only.")
        yield fresh_database(host, port, args.database), None


def restarter(cluster, args):
    """Restart PostgreSQL once a third of the submissions are done; return the outage."""
    outage = {}

    def restart(progress):
        while progress() < 1 / 3:
            time.sleep(0.05)
        started = time.perf_counter()
        cluster.pg_ctl("stop", "-m", "fast")
        time.sleep(args.outage_seconds)
        cluster.pg_ctl("start")
        outage["seconds"] = time.perf_counter() - started

    return restart, outage


@contextmanager
def task_worker(env):
    process = subprocess.Popen([sys.executable, "manage.py", "task_worker", "--interval", "0.2"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_outbox(dsn, seconds: float = 120) -> None:
    """Give the task worker a bounded time to send what the run queued."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if psql(dsn, "SELECT count(*) FROM twh_outboxemail WHERE sent_at IS NULL")[0][0] == 0:
            return
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=240, help="Submission phase cap.")
    parser.add_argument("--page-requests", type=int, default=400, help="Per page, over all rounds.")
    parser.add_argument("--page-seconds", type=float, default=10, help="Cap per measurement.")
    parser.add_argument("--rounds", type=int, default=3, help="Alternating measurement rounds.")
    parser.add_argument("--demo-events", type=int, default=300, help="Approved events seeded.")
    parser.add_argument("--restart-db", action="store_true",
                        help="Use a private PostgreSQL cluster and restart it mid-run.")
    parser.add_argument("--outage-seconds", type=float, default=3)
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--database", default="twh_bench")
    args = parser.parse_args()
    if not (1 <= args.clients <= 64 and 0 <= args.events <= 5000 and 0 <= args.registrations <= 5000):
        parser.error("keep it bounded: 1-64 clients, at most 5,000 events and registrations")

    with ExitStack() as stack:
        # A Redis of its own (never a shared one, never flushed), when Debian's redis-server is here.
        redis_url = stack.enter_context(redis_server()) if shutil.which("redis-server") else ""
        dsn, cluster = stack.enter_context(database(args))
        env = production_env(database_url=dsn, redis_url=redis_url,
                             DJANGO_SETTINGS_MODULE="bench.settings",
                             SUBMIT_RATE_LIMIT="1000000/h", DB_CONN_MAX_AGE="60")
        print(f"Database: {dsn}; cache: {redis_url or 'local memory (redis-server not installed)'}")
        prepared = time.perf_counter()
        manage("migrate", "--noinput", env=env)
        manage("seed_demo", "--events", str(args.demo_events), env=env)
        summit = manage("seed_summit", env=env, check=False)
        if summit.returncode != 0:
            print("seed_summit failed; the summit is skipped:", summit.stderr.strip()[-300:])
        manage("collectstatic", "--noinput", env=env)
        print(f"Prepared (migrate, seed, collectstatic) in {time.perf_counter() - prepared:.1f} s")

        port = free_port()
        stack.enter_context(gunicorn(port=port, env=env, workers=args.workers, threads=args.threads))
        stack.enter_context(task_worker(env))  # sends the emails, as in production
        print(f"gunicorn: {args.workers} workers x {args.threads} threads on 127.0.0.1:{port}; "
              f"{args.clients} concurrent clients")

        restart, outage = restarter(cluster, args) if cluster else (None, {})
        tally, elapsed = run_submissions(port, args, restart)
        submissions = len(tally.accepted["event"]) + len(tally.accepted["registration"])
        wait_for_outbox(dsn)
        checks = verify(dsn, tally)
        server_errors = sum(n for status, n in tally.statuses.items() if status >= 500 and status != 503)

        print("\n== Submissions")
        print(f"accepted: {len(tally.accepted['event'])} events + "
              f"{len(tally.accepted['registration'])} registrations = {submissions} in {elapsed:.1f} s")
        print(f"throughput: {submissions / elapsed:.1f} submissions/s (each a form GET and a POST)")
        print(f"latency (form GET + POST): p50 {percentile(tally.latencies, 50) * 1000:.0f} ms, "
              f"p95 {percentile(tally.latencies, 95) * 1000:.0f} ms")
        print("POST responses (and any GET that was not 200):", dict(sorted(tally.statuses.items())))
        if cluster:
            print(f"PostgreSQL restarted mid-run: down {outage.get('seconds', 0):.1f} s; "
                  f"{tally.retried_503} friendly 503 answers, each retried by the client")
        for name, value in checks.items():
            print(f"{name}: {value}")
        print(f"5xx other than the friendly 503: {server_errors}")

        print("\n== Public pages against hello world (same server, same run)")
        # Rounds alternate hello world and each page, so a busy moment on a shared machine
        # weighs on both sides of a ratio; the median round is reported.
        rates = {name: [] for name in ["hello world", *PAGES]}
        p50s = {name: [] for name in rates}
        ratios = {name: [] for name in PAGES}
        per_round = max(args.clients, args.page_requests // args.rounds)
        for _round in range(args.rounds):
            hello, p50, statuses = throughput(port, "/bench/hello", clients=args.clients,
                                              requests=per_round, seconds=args.page_seconds)
            rates["hello world"].append(hello)
            p50s["hello world"].append(p50)
            server_errors += sum(n for status, n in statuses.items() if status >= 500)
            for name, path in PAGES.items():
                rate, p50, statuses = throughput(port, path, clients=args.clients,
                                                 requests=per_round, seconds=args.page_seconds)
                rates[name].append(rate)
                p50s[name].append(p50)
                ratios[name].append(rate / hello)
                server_errors += sum(n for status, n in statuses.items() if status >= 500)
        for name in rates:
            ratio = f", {statistics.median(ratios[name]):.0%} of hello world" if name in ratios else ""
            print(f"{name:>12}: {statistics.median(rates[name]):.0f} req/s, "
                  f"p50 {statistics.median(p50s[name]) * 1000:.1f} ms{ratio}")
        worst = min(statistics.median(r) for r in ratios.values())

    lost = checks["event lost"] + checks["registration lost"]
    duplicated = checks["event duplicated"] + checks["registration duplicated"]
    ok = (lost == 0 and duplicated == 0 and server_errors == 0
          and checks["events without their confirmation email"] == 0)
    print(f"\nRESULT: {submissions} submissions, {lost} lost, {duplicated} duplicated, "
          f"{server_errors} x 5xx; slowest public page at {worst:.0%} of hello world "
          f"(target >= 50%) -> {'PASS' if ok and worst >= 0.5 else 'CHECK'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
