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
         "--threads", str(threads), "--graceful-timeout", "5", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
            try:
                if Client(port).get("/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn on port {port} did not become healthy in 30 s")
            time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


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
