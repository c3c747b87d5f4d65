"""The client address behind proxies: the right-most untrusted hop, and never an error."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from events.models import HealingEvent
from tests.conftest import event_form_data
from twh.core.client_ip import client_ip

PEER = "10.0.0.7"


def _ip(header, trusted, settings, peer=PEER):
    settings.TRUSTED_PROXY_COUNT = trusted
    meta = {"REMOTE_ADDR": peer}
    if header is not None:
        meta["HTTP_X_FORWARDED_FOR"] = header
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize("header,trusted,expected", [
    (None, 0, PEER),
    ("198.51.100.1", 0, PEER),  # no proxy trusted: the header is the client's own words
    ("198.51.100.1", 1, "198.51.100.1"),
    ("198.51.100.1, 203.0.113.9", 1, "203.0.113.9"),  # the left part is whatever the client sent
    ("198.51.100.1, 203.0.113.9", 2, "198.51.100.1"),
    ("198.51.100.1,203.0.113.9,  192.0.2.4 ", 1, "192.0.2.4"),
    ("2001:db8::1", 1, "2001:db8::1"),
    ("[2001:db8::1]:443", 1, "2001:db8::1"),
    ("203.0.113.9:8080", 1, "203.0.113.9"),
])
def test_the_right_most_untrusted_hop_is_the_client(settings, header, trusted, expected):
    assert _ip(header, trusted, settings) == expected


@pytest.mark.parametrize("header", [
    None, "", " ", ",", ", ,", "unknown", "not an address", "198.51.100.1 203.0.113.9",
    "999.1.1.1", "<script>", "\x00", "1" * 5000, ",".join(["x"] * 10000), "_gateway",
    "198.51.100.1; 203.0.113.9", "::ffff:999.0.0.1",
])
@pytest.mark.parametrize("trusted", [1, 2, 3])
def test_a_missing_short_or_garbage_header_falls_back_to_the_peer(settings, header, trusted):
    assert _ip(header, trusted, settings) == PEER


@pytest.mark.django_db
@pytest.mark.parametrize("header", [
    "198.51.100.1, 203.0.113.9", "garbage", "", ",,,", "198.51.100.1, garbage", "\u202e1.2.3.4",
])
@pytest.mark.parametrize("trusted", [0, 1])
def test_every_public_form_post_survives_any_forwarded_for(client, settings, header, trusted):
    settings.TRUSTED_PROXY_COUNT = trusted
    from tests.summit.conftest import make_summit, registration_form_data

    make_summit()
    posts = [
        (reverse("events:submit"), event_form_data()),
        (reverse("events:new_message"), {"text": "Hello", "form_token": event_form_data()["form_token"]}),
        (reverse("summit:register"), registration_form_data()),
        (reverse("summit:new_reflection"), {"prompt": "progress", "text": "We grew.",
                                             "form_token": event_form_data()["form_token"]}),
    ]
    for path, data in posts:
        response = client.post(path, data, HTTP_X_FORWARDED_FOR=header)
        assert response.status_code == 302, (path, response.status_code)


@pytest.mark.django_db
def test_the_limit_counts_the_client_behind_the_proxy_not_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SUBMIT_RATE_LIMIT = "2/m"

    def post(client_address, title):
        return client.post(reverse("events:submit"), event_form_data(title=title),
                           REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_address}")

    assert [post("198.51.100.1", f"A{i}").status_code for i in range(3)] == [302, 302, 429]
    assert post("198.51.100.2", "B").status_code == 302  # another client behind the same proxy
    assert HealingEvent.objects.count() == 3


def test_the_old_raw_header_setting_is_refused_with_the_fix(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import twh.settings

    monkeypatch.setenv("RATELIMIT_IP_META_KEY", "HTTP_X_FORWARDED_FOR")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        importlib.reload(twh.settings)
    monkeypatch.delenv("RATELIMIT_IP_META_KEY")
    importlib.reload(twh.settings)
