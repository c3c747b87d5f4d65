"""Shared by the serving benches and the two-instance test: run the site under gunicorn on a
loopback port with production settings, and talk to it like a browser (cookies, CSRF, forms).

Only processes started here are ever stopped here, by their own process id.
"""

import base64
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reachable(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def psql(dsn: str, sql: str, *, autocommit=True):
    import psycopg

    with psycopg.connect(dsn, autocommit=autocommit) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else None


def fresh_database(host: str, port: int, name: str) -> str:
    """An empty database of that name (dropped first): benches seed their own, never a shared one."""
    admin = f"postgresql://postgres@{host}:{port}/postgres"
    psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(admin, f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@{host}:{port}/{name}"


def production_env(*, database_url: str, redis_url: str = "", **extra: str) -> dict[str, str]:
    """The environment of an app server: DEBUG off, shared database and cache, offline geocoder,
    plain HTTP on loopback (a load balancer would terminate TLS)."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + base64.b32encode(b"loopback-only-secret-key-1234567").decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "GEOCODER": "fake",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "FORM_MIN_FILL_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        check=check, timeout=300,
    )


@contextmanager
def gunicorn(*, port: int, env: dict[str, str], workers: int = 2, threads: int = 1, log=None):
    """Serve the site on 127.0.0.1:port until the block ends; waits for /healthz."""
    process = subprocess.Popen(
        [str(GUNICORN), "twh.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--graceful-timeout", "5", "--timeout", "60",
         "--no-control-socket"],
        cwd=ROOT, env=env, stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL,
    )
    try:
        _wait_until_healthy(process, port, "gunicorn")
        yield process
    finally:
        _stop(process)


@contextmanager
def serve(*, port: int, env: dict[str, str], workers: int = 2, log=None):
    """`make serve`'s processes (scripts/serve.py prod: gunicorn, the task worker and, without
    REDIS_URL, a Redis of its own) on 127.0.0.1:port until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "scripts/serve.py", "prod", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL,
    )
    try:
        _wait_until_healthy(process, port, "serve.py")
        yield process
    finally:
        _stop(process, timeout=30)


def _wait_until_healthy(process: subprocess.Popen, port: int, name: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} on port {port} exited with {process.returncode}")
        try:
            if Client(port).get("/healthz").status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} on port {port} did not become healthy in {seconds:.0f} s")
        time.sleep(0.2)


def _stop(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server():
    """A Redis of our own on a free loopback port (never anyone else's, never flushed):
    yields its URL, and stops it when the block ends."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not reachable("127.0.0.1", port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {port} did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process, timeout=10)


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One visitor: keeps its cookies, reuses one keep-alive connection."""

    def __init__(self, port: int, *, timeout: float = 30, forwarded_for: str | None = None):
        self.port, self.timeout, self.cookies = port, timeout, {}
        self.forwarded_for = forwarded_for
        self._conn = None

    def _request(self, method: str, path: str, body: bytes | None = None, headers=None) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self._conn.request(method, path, body=body, headers=headers)
                raw = self._conn.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # the server closed an idle keep-alive connection: retry once
                if attempt == 2:
                    raise
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)

    def get(self, path: str) -> Response:
        return self._request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self._request(
            "POST", path, urlencode(fields, doseq=True).encode(),
            {"Content-Type": "application/x-www-form-urlencoded",
             "Referer": f"http://127.0.0.1:{self.port}{path}",
             "Origin": f"http://127.0.0.1:{self.port}"},
        )

    def form_fields(self, path: str) -> dict[str, str]:
        """GET a form page and return its hidden fields (CSRF token, form token)."""
        page = self.get(path)
        if page.status != 200:
            raise RuntimeError(f"GET {path} gave {page.status}")
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
