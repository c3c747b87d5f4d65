"""Every email goes out as text and HTML saying the same things, in the person's language.

The HTML part is for people whose mail client shows it: the same words and links as the text,
the private link as a button and written out, right to left in Arabic, nothing loaded from
elsewhere, no script, and every stored value escaped.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from events import moderation, reports
from events.models import HealingEvent, HealingMessage
from summit import moderation as summit_moderation
from summit import services as summit_services
from summit.models import Reflection, Registration
from tests.conftest import event_form_data, make_event
from tests.summit.conftest import make_summit, registration_form_data
from twh.contact import send_contact_message
from twh.core.antispam import make_form_token
from twh.core.moderation import Status
from twh.core.outbox import send_outbox_email
from twh.models import OutboxEmail

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
URL = re.compile(r"https?://[^\s<>\"]+")
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
SCRIPT_TITLE = '<script>alert("x")</script> & friends'
# The summit's "add to your calendar" links are long and public: the HTML names them (the link
# text is "Google Calendar", not "Google Calendar: https://…") rather than writing them out.
CALENDAR_LINKS = ("https://calendar.google.com/", "https://outlook.live.com/")
STAFF_KINDS = {"staff_new_event", "staff_new_message", "staff_new_report", "staff_new_reflection",
               "staff_contact"}


class Visible(HTMLParser):
    """What a reader sees: text outside <head>, and every link's address."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "li", "ul", "br", "header", "main", "footer", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hrefs, self.tags, self._hidden = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("head", "script", "style"):
            self._hidden += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self._hidden -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def read(html: str) -> Visible:
    parser = Visible()
    parser.feed(html)
    parser.close()
    return parser


def fragments(text_body: str):
    """Each line of the text part cut at its links: the words and the links a reader must meet."""
    for line in text_body.splitlines():
        line = line.strip()
        if not line or line == "--":
            continue
        line = line.removeprefix("- ")
        urls = URL.findall(line)
        if any(url.startswith(CALENDAR_LINKS) for url in urls):
            yield re.split("[:：]", line, maxsplit=1)[0]  # the calendar's name, as the link's text
            continue
        for piece in URL.split(line):
            if piece.strip():
                yield " ".join(piece.split())
        yield from urls


def since(pk: int) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(pk__gt=pk).order_by("pk"))


def last_pk() -> int:
    return OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def every_email(client, moderator, language: str, *, title: str = "Story circle on our block") -> dict:
    """Send one of each email the site sends, in `language`; {template name: OutboxEmail}."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    got: dict[str, OutboxEmail] = {}

    def expect(*kinds, action):
        start = last_pk()
        action()
        new = since(start)
        assert len(new) == len(kinds), (kinds, [e.subject for e in new])
        got.update(zip(kinds, new, strict=True))

    host = f"host-{language}@example.net"
    expect("submitted", "staff_new_event", action=lambda: client.post(
        "/events/submit/", event_form_data(title=title, contact_email=host)))
    event = HealingEvent.objects.get(contact_email=host)
    expect("event_approved", action=lambda: moderation.approve(event, moderator=moderator))
    event.refresh_from_db()
    expect("event_rejected", action=lambda: moderation.reject(
        event, moderator=moderator, reason="hateful", note="Please write to us.\nWe can help."))

    friend = f"friend-{language}@example.net"
    expect("message_received", "staff_new_message", action=lambda: client.post("/events/messages/new/", {
        "text": "May we heal together.", "display_name": "Rosa", "community_area": "",
        "email": friend, "form_token": make_form_token(), "homepage": ""}))
    message = HealingMessage.objects.get(email=friend)
    expect("message_approved", action=lambda: moderation.approve(message, moderator=moderator))
    message.refresh_from_db()
    expect("message_rejected", action=lambda: moderation.reject(message, moderator=moderator, reason="duplicate"))

    past = make_event(title=title, starts_at=timezone.now() - timedelta(days=2), language=language,
                      contact_email=f"past-{language}@example.net")
    expect("report_request", action=lambda: reports.request_report(event=past))
    expect("staff_new_report", action=lambda: reports.submit_report(
        event=past, data={"participants": 17, "what_happened": "We talked.", "commitment": "Again."}))

    summit = make_summit(title=title, capacity=1)
    first, second = f"first-{language}@example.net", f"second-{language}@example.net"
    expect("confirmation", action=lambda: client.post("/summit/register/", registration_form_data(email=first)))
    expect("waitlisted", action=lambda: client.post("/summit/register/", registration_form_data(email=second)))
    expect("reminder", action=lambda: summit_services.send_reminders(summit=summit))
    expect("cancelled", "promoted", action=lambda: summit_services.cancel_registration(
        registration=Registration.objects.get(email=first)))

    author = f"author-{language}@example.net"
    expect("staff_new_reflection", action=lambda: client.post("/summit/reflections/new/", {
        "prompt": "progress", "text": "Our block listened to each other.", "display_name": "Rosa",
        "email": author, "form_token": make_form_token(), "homepage": ""}))
    reflection = Reflection.objects.get(email=author)
    expect("reflection_approved", action=lambda: summit_moderation.approve(reflection, moderator=moderator))
    reflection.refresh_from_db()
    expect("reflection_rejected", action=lambda: summit_moderation.reject(
        reflection, moderator=moderator, reason="not_healing"))

    expect("staff_contact", action=lambda: send_contact_message(
        name="Sam Sender", email="sam.sender@example.net", topic="Question", message="Hello\nthere",
        language=language, submission_token=f"{language}-contact"))
    return got


def assert_same_content(email: OutboxEmail):
    assert email.html_body.startswith("<!doctype html>"), email.subject
    html = read(email.html_body)
    for piece in fragments(email.body):
        assert piece in html.text, f"{email.subject}: {piece!r} is in the text part only"
    for url in URL.findall(email.body):
        assert url in html.hrefs, f"{email.subject}: {url} is not a link in the HTML"
    assert email.subject in html.text  # the heading


def assert_nothing_remote_and_no_script(email: OutboxEmail):
    html = read(email.html_body)
    text_urls = set(URL.findall(email.body))
    for tag, attrs in html.tags:
        assert tag not in {"script", "img", "iframe", "object", "embed", "link", "style", "form"}, tag
        assert "src" not in attrs and "srcset" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "url(" not in attrs.get("style", ""), attrs
    for href in html.hrefs:
        assert (href.startswith(settings.SITE_URL + "/") or href.startswith(("mailto:", "tel:"))
                or href in text_urls), f"{email.subject}: a link the text part does not have: {href}"
    assert "@import" not in email.html_body and "javascript:" not in email.html_body.lower()


KINDS = ["submitted", "staff_new_event", "event_approved", "event_rejected", "message_received",
         "staff_new_message", "message_approved", "message_rejected", "report_request", "staff_new_report",
         "confirmation", "waitlisted", "reminder", "cancelled", "promoted", "staff_new_reflection",
         "reflection_approved", "reflection_rejected", "staff_contact"]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_email_has_an_html_part_with_the_same_words_and_links(client, moderator, language):
    emails = every_email(client, moderator, language)
    assert sorted(emails) == sorted(KINDS)
    for email in emails.values():
        assert_same_content(email)
        assert_nothing_remote_and_no_script(email)


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("es", "ltr"), ("en", "ltr")])
def test_the_html_part_is_in_the_persons_language_and_direction(client, moderator, language, direction):
    emails = every_email(client, moderator, language)
    for kind, email in emails.items():
        # Staff notices are written in the site's language; everyone else's in their own.
        expected = settings.LANGUAGE_CODE if kind in STAFF_KINDS else language
        expected_dir = "ltr" if kind in STAFF_KINDS else direction
        assert f'<html lang="{expected}" dir="{expected_dir}">' in email.html_body, kind
        assert f'lang="{expected}" dir="{expected_dir}"' in email.html_body.split("<body", 1)[1], kind
    if language == "ar":
        assert 'text-align:right' in emails["submitted"].html_body


PRIVATE_LINKS = {"submitted": "/events/manage/", "report_request": "/events/report/",
                 "confirmation": "/summit/registration/", "promoted": "/summit/registration/",
                 "waitlisted": "/summit/registration/", "reminder": "/summit/registration/"}


def test_private_links_are_buttons_and_written_out(client, moderator):
    emails = every_email(client, moderator, "en")
    for kind, path in PRIVATE_LINKS.items():
        email = emails[kind]
        (url,) = [u for u in URL.findall(email.body) if path in u]
        html = read(email.html_body)
        buttons = [attrs for tag, attrs in html.tags
                   if tag == "a" and attrs.get("href") == url and "background-color" in attrs.get("style", "")]
        assert len(buttons) == 1, kind
        assert html.hrefs.count(url) == 2, f"{kind}: a button, and the address written out as a link"
        assert url in html.text, kind


def test_a_title_with_markup_is_inert_in_the_html_part(moderator):
    event = make_event(title=SCRIPT_TITLE, status=Status.PENDING, contact_name="<b>Pat</b>")
    moderation.approve(event, moderator=moderator)
    email = OutboxEmail.objects.get(to=[event.contact_email])
    assert "<script" not in email.html_body and "<b>Pat" not in email.html_body
    assert "&lt;script&gt;" in email.html_body and "&amp; friends" in email.html_body
    html = read(email.html_body)
    assert SCRIPT_TITLE in html.text and "<b>Pat</b>" in html.text  # shown as the words they are
    assert SCRIPT_TITLE in email.body  # the text part is text: nothing to escape

    send_contact_message(name="<img src=x onerror=alert(1)>", email="sam@example.net", topic="Other",
                         message="</blockquote><script>alert(1)</script>", language="en",
                         submission_token="markup-contact")
    staff = OutboxEmail.objects.filter(to=settings.STAFF_NOTIFICATION_EMAILS).latest("pk")
    assert "<script" not in staff.html_body and "<img" not in staff.html_body
    assert_nothing_remote_and_no_script(staff)


def test_staff_notices_carry_no_more_contact_details_than_their_text(client, moderator):
    emails = every_email(client, moderator, "es")
    event = HealingEvent.objects.get(contact_email="host-es@example.net")
    private = [event.contact_name, event.contact_email, event.contact_phone]
    for kind in STAFF_KINDS:
        email = emails[kind]
        in_html = set(ADDRESS.findall(email.html_body)) - {settings.OFFICE_EMAIL}
        assert in_html <= set(ADDRESS.findall(email.body)), kind
        if kind != "staff_contact":
            assert not in_html, kind
            for value in private:
                assert value not in email.html_body, (kind, value)
    for value in ("friend-es@example.net", "author-es@example.net", "past-es@example.net"):
        assert all(value not in emails[kind].html_body for kind in STAFF_KINDS)


def test_the_worker_sends_the_stored_html_as_an_alternative_with_the_attachments(client, moderator):
    make_summit(title="Healing summit")
    client.post("/summit/register/", registration_form_data(email="ana@example.net"))
    stored = OutboxEmail.objects.get(to=["ana@example.net"])
    assert send_outbox_email(stored.pk)
    (message,) = [m for m in mail.outbox if m.to == ["ana@example.net"]]
    assert message.body == stored.body
    assert message.alternatives == [(stored.html_body, "text/html")]
    assert [a[0] for a in message.attachments] == ["summit.ics"]
    raw = message.message()
    assert raw.get_content_type() == "multipart/mixed"
    kinds = [part.get_content_type() for part in raw.walk()]
    assert kinds[:4] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"]
    assert "text/calendar" in kinds


def test_a_retry_sends_the_html_that_was_stored_and_an_old_row_stays_text_only():
    written = OutboxEmail.objects.create(to=["a@example.net"], subject="Hi", body="Hello",
                                         html_body="<!doctype html><p>Hello</p>")
    old = OutboxEmail.objects.create(to=["b@example.net"], subject="Hi", body="Hello")
    assert send_outbox_email(written.pk) and send_outbox_email(old.pk)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["a@example.net"].alternatives == [("<!doctype html><p>Hello</p>", "text/html")]
    assert by_to["b@example.net"].alternatives == []


def test_every_text_email_template_has_its_html_twin():
    missing = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*_body.txt")
               if not path.with_name(path.name.replace("_body.txt", "_body.html")).exists()]
    assert not missing, f"an email with no HTML part: {missing}"


def test_staff_see_the_html_part_as_inert_source_folded_below_the_send_history(admin_client):
    email = OutboxEmail.objects.create(to=["a@example.net"], subject="Hi", body="Hello",
                                       html_body='<!doctype html><p onclick="steal()">Hello</p>')
    page = admin_client.get(f"/admin/twh/outboxemail/{email.pk}/change/").content.decode()
    assert '<p onclick' not in page and "&lt;p onclick=&quot;steal()&quot;&gt;" in page
    folded = page.index("<details")
    assert page.index("Being sent until") < folded < page.index("&lt;!doctype html&gt;")
