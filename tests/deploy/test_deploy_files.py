"""deploy/ as a city's IT team would run it: `nginx -t` on the site with a test certificate,
`systemd-analyze verify` on the units, and nginx serving a page and a static file in front of
gunicorn, all on loopback (nginx in the foreground with its own prefix, pid and logs)."""

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.serving import free_port, gunicorn, manage, production_env, reachable

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HOST = "healing.example.org"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
# Commands whose timers are enabled in production (deploy/README.md), and any that wait for
# their command (none now: request_event_reports arrived with issue 16).
ENABLED_TIMERS = {"twh-send-pending-emails.timer": "send_pending_emails",
                  "twh-summit-reminders.timer": "send_summit_reminders",
                  "twh-request-event-reports.timer": "request_event_reports"}
WAITING_TIMERS: dict[str, str] = {}

needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs it)")


def port(preferred: int) -> int:
    """The preferred loopback port when it is free (this project's range), else any free one."""
    return free_port() if reachable("127.0.0.1", preferred) else preferred


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def nginx_conf(folder: Path, *, cert: Path, key: Path, https_port: int, http_port: int,
               app_port: int, static_root: Path) -> Path:
    """deploy/nginx/twh.conf on loopback ports, inside a minimal nginx.conf of its own."""
    site = (DEPLOY / "nginx" / "twh.conf").read_text()
    for old, new in {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "/etc/ssl/twh/fullchain.pem": str(cert),
        "/etc/ssl/twh/privkey.pem": str(key),
        "/srv/twh/staticfiles/": f"{static_root}/",
    }.items():
        assert old in site, f"deploy/nginx/twh.conf no longer has {old!r}: update this test"
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site)
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(f"""
{"user root root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {folder}/site.conf;
}}
""")
    return conf


def nginx_args(conf: Path) -> list[str]:
    return [NGINX, "-p", str(conf.parent), "-e", str(conf.parent / "error.log"), "-c", str(conf)]


@needs_nginx
def test_nginx_site_passes_nginx_t(tmp_path, certificate):
    conf = nginx_conf(tmp_path, cert=certificate[0], key=certificate[1], https_port=8243,
                      http_port=8280, app_port=8201, static_root=tmp_path)
    result = subprocess.run([*nginx_args(conf), "-t"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path):
    """Every unit loads with no warning; ExecStart paths point into this checkout for the check."""
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {"twh-web.service", "twh-worker.service", "twh-manage@.service",
            *ENABLED_TIMERS, *WAITING_TIMERS} <= {u.name for u in units}
    for unit in units:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/twh", str(ROOT)))
    for command in {**ENABLED_TIMERS, **WAITING_TIMERS}.values():  # the instances the timers start
        shutil.copy(tmp_path / "twh-manage@.service", tmp_path / f"twh-manage@{command}.service")
    names = [p.name for p in sorted(tmp_path.iterdir()) if p.name != "twh-manage@.service"]
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", "--man=no", *[f"./{n}" for n in names]],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    if result.returncode != 0 and "Failed to" in result.stderr and "bus" in result.stderr.lower():
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr


def test_timers_start_commands_that_exist_or_are_left_disabled():
    from django.core.management import get_commands

    commands = get_commands()
    for timer, command in ENABLED_TIMERS.items():
        assert command in commands, f"{timer} runs manage.py {command}, which does not exist"
        assert f"Unit=twh-manage@{command}.service" in (DEPLOY / "systemd" / timer).read_text()
    readme = (DEPLOY / "README.md").read_text()
    enable_lines = [line for line in readme.splitlines() if line.startswith("systemctl enable")]
    for timer in ENABLED_TIMERS:
        assert any(timer in line for line in enable_lines), f"{timer} is not enabled in deploy/README.md"
    for timer, command in WAITING_TIMERS.items():
        assert "NOT ENABLED YET" in (DEPLOY / "systemd" / timer).read_text()
        if command not in commands:
            enable_lines = [line for line in readme.splitlines() if line.startswith("systemctl enable")]
            assert enable_lines and all(timer not in line for line in enable_lines), \
                f"{timer} is enabled in deploy/README.md but manage.py {command} does not exist"


@contextmanager
def nginx(conf: Path, *, ports: list[int]):
    process = subprocess.Popen(nginx_args(conf), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not all(reachable("127.0.0.1", p) for p in ports):
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited: {process.stderr.read().decode()[:500]}")
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not listen within 20 s")
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful shutdown of this master only
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def fetch(port: int, path: str, *, tls_ca: Path | None = None, method: str = "GET", body=None,
          headers=None):
    if tls_ca:
        context = ssl.create_default_context(cafile=str(tls_ca))
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@needs_nginx
def test_nginx_in_front_of_gunicorn_serves_a_page_and_a_static_file(tmp_path, certificate):
    static_root = tmp_path / "staticfiles"
    env = production_env(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="true",  # only X-Forwarded-Proto from nginx avoids a loop
        STATIC_ROOT=str(static_root),
        LOG_FORMAT="json",
        DJANGO_SETTINGS_MODULE="twh.settings",
    )
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    css = next(name for name in sorted(manifest) if name.endswith(".css") and (ROOT / "static" / name).exists())
    hashed = manifest[css]
    assert re.search(r"\.[0-9a-f]{12}\.css$", hashed), hashed

    app_port, https_port, http_port = port(8241), port(8243), port(8280)
    (tmp_path / "nginx").mkdir()
    conf = nginx_conf(tmp_path / "nginx", cert=certificate[0], key=certificate[1], https_port=https_port,
                      http_port=http_port, app_port=app_port, static_root=static_root)
    with gunicorn(port=app_port, env=env, workers=1), nginx(conf, ports=[https_port, http_port]):
        status, headers, body = fetch(https_port, "/about/", tls_ca=certificate[0])
        assert status == 200 and b"<html" in body
        assert "strict-transport-security" in headers  # Django saw X-Forwarded-Proto: https
        assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])  # nginx's $request_id

        status, headers, body = fetch(https_port, f"/static/{hashed}", tls_ca=certificate[0])
        assert status == 200 and body == (static_root / hashed).read_bytes()
        assert "immutable" in headers["cache-control"] and "max-age=31536000" in headers["cache-control"]
        assert headers["content-type"].startswith("text/css")
        if (static_root / f"{hashed}.gz").exists():
            status, headers, body = fetch(https_port, f"/static/{hashed}", tls_ca=certificate[0],
                                          headers={"Accept-Encoding": "gzip"})
            assert headers.get("content-encoding") == "gzip"
            assert gzip.decompress(body) == (static_root / hashed).read_bytes()

        status, _, body = fetch(http_port, "/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok"}
        status, headers, _ = fetch(http_port, "/about/")
        assert status == 301 and headers["location"] == f"https://{HOST}/about/"
        status, _, _ = fetch(https_port, "/events/submit/", tls_ca=certificate[0], method="POST",
                             body=b"x" * (2 * 1024 * 1024),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 413  # client_max_body_size
    access_log = (tmp_path / "nginx" / "access.log").read_text()
    assert "GET /about/" in access_log
