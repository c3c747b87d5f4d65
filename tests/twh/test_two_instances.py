"""Two app servers (gunicorn on two loopback ports) sharing one PostgreSQL and one Redis: the
rate limit counts across both, and a moderation decision made through one is in the other's
GeoJSON at once. This is the scaled-out shape the README describes.

Runs when the test database is PostgreSQL and Debian's redis-server is installed (as in CI): it
starts a Redis of its own on a free port and stops it afterwards (never anyone else's data).
"""

import json
import re
import shutil
from contextlib import ExitStack
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.serving import Client, free_port, gunicorn, production_env, redis_server
from tests.conftest import event_form_data
from tests.twh.test_staff_security import current_code

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None,
                       reason="needs Debian's redis-server (apt-get install redis-server)"),
]


def served_database_url() -> str:
    """The test database, as app servers started by the test reach it."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def shared_services(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("two app servers need a shared PostgreSQL (set DATABASE_URL=postgres://...)")
    with redis_server() as redis_url:
        yield production_env(
            database_url=served_database_url(),
            redis_url=redis_url,
            DJANGO_SETTINGS_MODULE="tests.twh.serving_settings",
            SUBMIT_RATE_LIMIT="4/d",  # a long window: no reset mid-test
            DB_CONN_MAX_AGE="60",
            MAP_SERVE_STALE="false",  # decisions at once; stale serving has tests of its own
        )


@pytest.fixture
def staff_with_authenticator(shared_services):
    user = get_user_model().objects.create_user("mod2", "mod2@example.org", "a-long-test-password-9")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Moderators"))
    call_command("enrol_totp", "mod2", "--no-qr", stdout=StringIO())
    return TOTPDevice.objects.get(user=user)


def submit(client: Client, title: str):
    fields = client.form_fields("/events/submit/")
    return client.post("/events/submit/", event_form_data(title=title, **fields))


def geojson_ids(client: Client) -> set[int]:
    response = client.get("/map/events.geojson")
    assert response.status == 200, response.status
    return {int(f["properties"]["id"]) for f in json.loads(response.body)["features"]}


def test_two_app_servers_share_rate_limits_and_see_decisions_at_once(
    shared_services, staff_with_authenticator
):
    with ExitStack() as stack:
        ports = [free_port(), free_port()]
        for port in ports:
            stack.enter_context(gunicorn(port=port, env=shared_services, workers=1))
        a, b = Client(ports[0]), Client(ports[1])

        # The rate limit (4 a day from one address) counts POSTs to either server.
        statuses = [submit(client, f"Circle {n}").status for n, client in enumerate([a, b, a, b])]
        assert statuses == [302, 302, 302, 302]
        assert submit(a, "One too many").status == 429
        assert submit(b, "One too many").status == 429

        # Server B has served (and cached, in Redis) the public GeoJSON: nothing approved yet.
        from events.models import HealingEvent

        event = HealingEvent.objects.get(title="Circle 0")
        assert event.pk not in geojson_ids(b)

        # A moderator signs in to server A with a password and a one-time code, and approves.
        fields = a.form_fields("/admin/login/")
        refused = a.post("/admin/login/", {**fields, "username": "mod2",
                                           "password": "a-long-test-password-9"})
        assert refused.status == 200 and 'name="otp_token"' in refused.text
        signed_in = a.post("/admin/login/", {
            **fields, "username": "mod2", "password": "a-long-test-password-9",
            "otp_token": current_code(staff_with_authenticator), "next": "/admin/",
        })
        assert signed_in.status == 302, signed_in.text[:2000]
        changelist = "/admin/events/healingevent/"
        page = a.get(changelist)
        assert page.status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        decided = a.post(changelist, {"csrfmiddlewaretoken": token, "action": "approve_selected",
                                      "_selected_action": [event.pk], "index": "0"})
        assert decided.status == 302

        # No waiting, no cache expiry: B's very next GeoJSON has the event.
        assert event.pk in geojson_ids(b)
        assert event.pk in geojson_ids(a)
