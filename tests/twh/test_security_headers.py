"""Security headers on every public page, HTTPS when DEBUG is off, and a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.conftest import make_event
from tests.twh.public_pages import DATA, PAGES, existing, url

pytestmark = pytest.mark.django_db

EMBEDDABLE = {"healingmap:embed"}  # the one page partner sites may frame


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def public_paths():
    event = make_event()
    names = existing(PAGES + DATA)
    return [(name, url(name)) for name in names] + [
        ("events:detail", f"/events/{event.pk}/"), ("404", "/no-such-page/"), ("healthz", "/healthz"),
    ]


def test_every_public_page_sends_the_security_headers():
    client = Client()
    for name, path in public_paths():
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        csp = directives(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], path
        # django-csp adds a nonce only when the page used one; either way no inline code.
        assert csp["script-src"].split()[1:2] == ["'self'"], path
        assert csp["default-src"] == "default-src 'self'", path
        assert csp["object-src"] == "object-src 'none'", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        if name in EMBEDDABLE:
            assert "frame-ancestors 'none'" not in csp.get("frame-ancestors", ""), path
            assert "X-Frame-Options" not in response, path
        else:
            assert csp["frame-ancestors"] == "frame-ancestors 'none'", path
            assert response["X-Frame-Options"] == "DENY", path


def test_inline_scripts_carry_the_nonce():
    """Any <script> or <style> a page has is either external or carries this response's nonce."""
    import re

    client = Client()
    for _name, path in public_paths():
        response = client.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        html = content.decode()
        found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        nonce = found.group(1) if found else None
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if 'type="application/json"' in tag:
                continue  # json_script data is never executed
            assert "src=" in tag or (nonce and f'nonce="{nonce}"' in tag), (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html.split("<body", 1)[-1]), path  # no onclick=


@override_settings(
    DEBUG=False, SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_REDIRECT_EXEMPT=[r"^healthz$"],
)
def test_https_everywhere_when_debug_is_off():
    client = Client()
    for _name, path in public_paths():
        if path == "/healthz":
            assert client.get(path).status_code == 200  # load balancers probe over plain HTTP
            continue
        insecure = client.get(path)
        assert insecure.status_code == 301 and insecure["Location"].startswith("https://"), path
        secure = client.get(path, secure=True)
        assert secure["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), path
        behind_proxy = client.get(path, HTTP_X_FORWARDED_PROTO="https")
        assert behind_proxy.status_code != 301, path


def test_production_settings_pass_the_deploy_check():
    root = Path(__file__).resolve().parents[2]
    env = {
        # The browser tests' async-unsafe switch is for this test process only, not a deployment.
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "test-" + "k3y-for-the-deploy-check-only-" * 3,
        "DJANGO_ALLOWED_HOSTS": "healing.example.org", "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
