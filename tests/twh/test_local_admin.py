"""`make run`'s local admin: a restart (ensure_local_admin again) keeps staff signed in."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_rerunning_ensure_local_admin_keeps_the_admin_signed_in(client, settings, tmp_path, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr("twh.management.commands.ensure_local_admin.PASSWORD_FILE",
                        tmp_path / ".admin-password")
    out = StringIO()
    call_command("ensure_local_admin", "--port", "8851", stdout=out)
    assert "http://127.0.0.1:8851/admin/" in out.getvalue()
    password = (tmp_path / ".admin-password").read_text().strip()
    assert client.login(username="admin", password=password)
    assert client.get("/admin/").status_code == 200
    call_command("ensure_local_admin", "--port", "8851", stdout=StringIO())
    assert client.get("/admin/").status_code == 200  # not redirected to the login page
