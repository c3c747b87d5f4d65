"""After the event: the report request, the host's report form, its photo and its moderation."""

import gzip
import io
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events import reports
from events.models import EventReport, HealingEvent
from tests.conftest import make_event
from twh.core.antispam import make_form_token
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for the commit (emails, cache versions) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def response_text(response) -> str:
    """A response's text, whether it was streamed (the CSV) or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode()


def past_event(**overrides):
    overrides.setdefault("starts_at", timezone.now() - timedelta(days=2))
    return make_event(**overrides)


def report_link(event) -> str:
    event.refresh_from_db()
    return reverse("events:report", args=[reports.make_report_token(event)])


def report_data(**overrides) -> dict:
    data = {"participants": "17", "what_happened": "We talked for two hours.",
            "answer": "That the block feels divided.", "commitment": "Meet again in March.",
            "missing_stakeholders": ["youth", "police"], "photo_alt": "", "quote": "",
            "form_token": make_form_token(), "homepage": ""}
    data.update(overrides)
    return data


def image_file(fmt="JPEG", size=(64, 48), *, exif=None, name=None) -> io.BytesIO:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 60, 40))
    options = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **options)
    out.seek(0)
    out.name = name or f"photo.{fmt.lower()}"
    return out


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (41.0, 52.0, 10.0), "W", (87.0, 37.0, 50.0)
    return exif.tobytes()


# --- Asking once


def test_the_request_goes_out_once_after_the_end(committed):
    event = past_event(ends_at=timezone.now() - timedelta(days=1, hours=22), language="es")
    with committed():
        call_command("request_event_reports")
        call_command("request_event_reports")
        assert reports.request_report(event=event) is False
    sent = [m for m in mail.outbox if event.contact_email in m.to]
    assert len(sent) == 1
    assert "Hola" in sent[0].body  # in the host's language
    event.refresh_from_db()
    assert event.report_requested_at is not None
    # The emailed link opens this event's report form (compared by what it opens, not as text:
    # the signed token carries the second it was made).
    token = re.search(r"/events/report/([^/\s]+)/", sent[0].body).group(1)
    assert reports.event_from_report_token(token) == event


def test_no_request_before_the_end_or_for_unapproved_events():
    now = timezone.now()
    make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))  # still going
    make_event(starts_at=now + timedelta(days=1))
    for status in (Status.PENDING, Status.REJECTED, Status.WITHDRAWN):
        past_event(status=status)
    past_event(starts_at=now - timedelta(days=90))  # too long ago to ask
    assert reports.request_due_reports() == 0
    assert mail.outbox == []


def test_an_event_without_an_end_is_asked_after_its_start(committed):
    event = past_event(starts_at=timezone.now() - timedelta(minutes=5))
    with committed():
        assert reports.request_due_reports() == 1
        assert reports.request_due_reports() == 0
    assert [m.to for m in mail.outbox] == [[event.contact_email]]


def test_a_rolled_back_request_can_be_made_again(monkeypatch):
    event = past_event()

    def boom(**kwargs):
        raise RuntimeError("template broke")

    monkeypatch.setattr(reports, "queue_email", boom)
    with pytest.raises(RuntimeError):
        reports.request_report(event=event)
    event.refresh_from_db()
    assert event.report_requested_at is None
    monkeypatch.undo()
    assert reports.request_report(event=event) is True


# --- The link


def test_forged_expired_or_reused_links_are_refused(client, settings):
    event = past_event()
    reports.request_report(event=event)
    good = report_link(event)
    assert client.get(good).status_code == 200
    forged = signing.dumps({"event": event.pk, "requested": "2020-01-01T00:00:00"}, salt=reports.SALT)
    assert client.get(reverse("events:report", args=[forged])).status_code == 404
    assert client.get(reverse("events:report", args=["nonsense"])).status_code == 404
    other_salt = signing.dumps({"event": event.pk, "requested": event.report_requested_at.isoformat()})
    assert client.get(reverse("events:report", args=[other_salt])).status_code == 404
    settings.REPORT_LINK_MAX_AGE_DAYS = -1  # every link is now past its age
    assert client.get(good).status_code == 404


def test_a_link_for_an_event_never_asked_is_refused(client):
    event = past_event()
    assert client.get(reverse("events:report", args=[reports.make_report_token(event)])).status_code == 404


# --- The form


def asked_event(**overrides):
    event = past_event(**overrides)
    reports.request_report(event=event)
    return event


def test_the_question_follows_the_activity_kind(client):
    for kind, words in [("dialogue", "What was heard?"), ("learning", "What was learned?"),
                        ("collaboration", "What was done together?"),
                        ("connections", "What connections were made?")]:
        event = asked_event(kind=kind)
        assert words in client.get(report_link(event)).content.decode()


def test_staff_can_reword_the_question(client):
    from events.models import ReportQuestion

    ReportQuestion.objects.filter(kind="dialogue").update(question="What did neighbours say?")
    event = asked_event(kind="dialogue")
    assert "What did neighbours say?" in client.get(report_link(event)).content.decode()


def test_a_report_is_stored_pending_and_kept_once(client):
    event = asked_event()
    link = report_link(event)
    response = client.post(link, report_data())
    assert response.status_code == 302
    report = EventReport.objects.get(event=event)
    assert (report.status, report.participants, report.missing_stakeholders) == (Status.PENDING, 17,
                                                                                  ["youth", "police"])
    assert report.question == "What was heard?" and report.source == EventReport.Source.HOST
    again = client.post(link, report_data(participants="99"))
    assert again.status_code == 200 and "Thank you for reporting back" in again.content.decode()
    assert EventReport.objects.get(event=event).participants == 17


def test_bad_input_re_renders_with_the_data_kept(client):
    event = asked_event()
    response = client.post(report_link(event), report_data(participants="-3", what_happened="We met at the library."))
    body = response.content.decode()
    assert response.status_code == 200
    assert "We met at the library." in body and "Meet again in March." in body
    assert "Please check the form" in body
    assert not EventReport.objects.exists()


def test_a_photo_needs_alt_text(client):
    event = asked_event()
    response = client.post(report_link(event), {**report_data(), "photo": image_file()})
    assert "Please describe the photo" in response.content.decode()
    assert not EventReport.objects.exists()


def test_gps_exif_is_stripped_and_the_photo_resized(client, settings):
    settings.REPORT_PHOTO_MAX_SIDE = 32
    original = image_file(size=(64, 48), exif=gps_exif())
    assert Image.open(original).getexif().get_ifd(0x8825)  # the upload really has GPS
    original.seek(0)
    event = asked_event()
    client.post(report_link(event), {**report_data(photo_alt="Neighbours around a table"), "photo": original})
    report = EventReport.objects.get(event=event)
    with report.photo.open("rb") as stored:
        image = Image.open(stored)
        image.load()
    assert image.size == (32, 24)
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert report.photo.name.startswith("reports/") and report.photo.name.endswith(".jpg")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(client, fmt):
    event = asked_event()
    client.post(report_link(event), {**report_data(photo_alt="A mural"), "photo": image_file(fmt)})
    assert EventReport.objects.get(event=event).photo.name.endswith("." + fmt.lower())


def test_a_non_image_is_refused_with_a_clear_error(client):
    event = asked_event()
    fake = io.BytesIO(b"%PDF-1.4 not a photo at all")
    fake.name = "photo.jpg"
    response = client.post(report_link(event), {**report_data(photo_alt="x"), "photo": fake})
    assert "This file is not a photo we can use" in response.content.decode()
    assert not EventReport.objects.exists()


def test_a_gif_is_refused(client):
    event = asked_event()
    response = client.post(report_link(event), {**report_data(photo_alt="x"), "photo": image_file("GIF")})
    assert "choose a JPEG, PNG or WebP image" in response.content.decode()


def test_a_too_large_file_is_refused(client, settings):
    settings.REPORT_PHOTO_MAX_BYTES = 1024 * 1024
    big = io.BytesIO(b"\xff\xd8" + b"0" * (1024 * 1024 + 10))
    big.name = "big.jpg"
    event = asked_event()
    response = client.post(report_link(event), {**report_data(photo_alt="x"), "photo": big})
    assert "The photo is too large: the limit is 1 MB" in response.content.decode()


def test_a_decompression_bomb_is_refused(client):
    # A small file that claims 20,000 × 20,000 pixels once decoded.
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, format="PNG")
    assert bomb.tell() < 200_000
    bomb.seek(0)
    bomb.name = "bomb.png"
    event = asked_event()
    response = client.post(report_link(event), {**report_data(photo_alt="x"), "photo": bomb})
    assert "too many pixels to be processed safely" in response.content.decode()
    assert not EventReport.objects.exists()


# --- Moderation and what the public sees


def submitted_report(client, **overrides):
    event = asked_event(**overrides.pop("event", {}))
    client.post(report_link(event), {**report_data(photo_alt="Neighbours in a circle",
                                                   quote="We are one block.", quote_consent="on",
                                                   **overrides), "photo": image_file()})
    return EventReport.objects.get(event=event)


def test_public_outputs_carry_reported_figures_only_after_approval(client, moderator, committed):
    report = submitted_report(client)
    event = report.event
    page = client.get(event.get_absolute_url()).content.decode()
    geo = client.get(reverse("healingmap:events_geojson")).json()
    csv_body = response_text(client.get(reverse("healingmap:events_csv")))
    props = next(f["properties"] for f in geo["features"] if f["properties"].get("id") == event.pk)
    assert props["reported"] is False and props["reported_participants"] is None
    assert "We talked for two hours." not in page and "17 people took part" not in page
    assert ",17," not in csv_body
    with committed():
        reports.approve_report(report, moderator=moderator)
    page = client.get(event.get_absolute_url()).content.decode()
    geo = client.get(reverse("healingmap:events_geojson")).json()
    props = next(f["properties"] for f in geo["features"] if f["properties"].get("id") == event.pk)
    assert props["reported"] is True and props["reported_participants"] == 17
    assert "17 people took part" in page and "We talked for two hours." in page
    assert "Meet again in March." in page and "Youth, Police" in page
    # The photo and the quote wait for their own decisions.
    assert report.photo.url not in page and "We are one block." not in page
    assert client.get(report.photo.url).status_code == 404
    with committed():
        reports.decide_photo(report, moderator=moderator, approve=True)
        reports.decide_quote(report, moderator=moderator, approve=True)
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'src="{report.photo.url}" alt="Neighbours in a circle"' in page
    assert "We are one block." in page
    assert client.get(report.photo.url).status_code == 200
    for body in (page, client.get(reverse("healingmap:events_geojson")).content.decode(),
                 response_text(client.get(reverse("healingmap:events_csv")))):
        assert event.contact_email not in body and event.contact_name not in body
        assert event.contact_phone not in body


def test_a_rejected_report_stays_private(client, moderator):
    report = submitted_report(client)
    reports.approve_report(report, moderator=moderator)
    reports.reject_report(report, moderator=moderator, reason="other", note="Numbers look off")
    page = client.get(report.event.get_absolute_url()).content.decode()
    assert "We talked for two hours." not in page
    report.refresh_from_db()
    assert report.history.count() >= 3  # the audit trail of each decision
    assert report.rejection_note == "Numbers look off"


def test_staff_see_a_pending_photo(client, admin_client):
    report = submitted_report(client)
    assert client.get(report.photo.url).status_code == 404
    assert admin_client.get(report.photo.url).status_code == 200


def test_the_home_page_shows_reported_figures_after_approval(client, moderator, committed):
    make_event(participants=100)
    report = submitted_report(client, event={"participants": 30})
    home = client.get("/").content.decode()
    assert "No reports from hosts yet" in home
    with committed():
        reports.approve_report(report, moderator=moderator)
    home = client.get("/").content.decode()
    assert '<span data-stat="reported">17</span> reported after 1 event' in home
    assert 'data-stat="participants">130<' in home  # estimates stay estimates: 100 + 30


def test_staff_enter_a_report_on_the_hosts_behalf(admin_client, superuser):
    event = past_event()
    response = admin_client.post(reverse("admin:events_eventreport_add"), {
        "event": event.pk, "participants": "12", "what_happened": "Told us on the phone.",
        "answer": "", "commitment": "", "photo_alt": "", "quote": "",
        "source_note": "Phone call with the host, 3 Feb", "missing_stakeholders": [],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    report = EventReport.objects.get(event=event)
    assert report.source == EventReport.Source.STAFF and report.entered_by is not None
    assert report.status == Status.PENDING


def test_the_purge_removes_photos_with_the_rest(client, moderator, committed):
    from twh.retention import purge_personal_data

    report = submitted_report(client)
    name = report.photo.name
    storage = report.photo.storage
    assert storage.exists(name)
    HealingEvent.objects.filter(pk=report.event_id).update(submitted_at=timezone.now() - timedelta(days=3))
    with committed():
        counts = purge_personal_data(before=timezone.localdate() + timedelta(days=1))
    assert counts["report photos"] == 1
    report.refresh_from_db()
    assert report.photo.name == "" and report.photo_alt == ""
    assert not storage.exists(name)
    assert report.participants == 17  # the figures stay
