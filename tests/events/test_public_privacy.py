"""No contact detail, precise private point or moderation note reaches a public page."""

import pytest

from tests.conftest import make_event, make_message
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/about/", "/privacy/", "/accessibility/", "/map/", "/map/messages/", "/summit/"]


def test_contact_details_never_appear_on_public_pages(client):
    event = make_event(host_type="individual", host_name="Sam", contact_name="Samantha Secretname",
                       contact_email="samantha.secret@example.net", contact_phone="312-555-0142",
                       address="1234 W Secret Street", latitude=41.881234, longitude=-87.629876,
                       rejection_note="internal note")
    make_message(email="hidden.ambassador@example.net")
    pages = [client.get(url) for url in PUBLIC_PAGES + [event.get_absolute_url()]]
    secrets = ["Samantha Secretname", "samantha.secret@example.net", "312-555-0142",
               "1234 W Secret Street", "41.881234", "-87.629876", "hidden.ambassador@example.net",
               "internal note"]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        for secret in secrets:
            assert secret not in html, (response.request["PATH_INFO"], secret)
    assert "Sam" in pages[-1].content.decode()


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.WITHDRAWN])
def test_unapproved_events_are_not_public(client, status):
    event = make_event(status=status, title="Not yet public")
    assert client.get(event.get_absolute_url()).status_code == 404
    assert "Not yet public" not in client.get("/").content.decode()


def test_a_message_without_consent_is_not_published(client):
    make_event(message="Private words for staff", message_consent=False)
    assert "Private words for staff" not in client.get("/").content.decode()
    assert "Private words for staff" not in client.get("/map/messages/").content.decode()
