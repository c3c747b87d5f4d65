"""Issue 17: the host toolkit, the FAQ, the contact details and form, support resources, anchors and partners."""

import re

import pytest
from django.core import mail
from django.urls import resolve, reverse

from events.models import HealingEvent
from tests.conftest import event_form_data, make_event
from twh.core.antispam import make_form_token
from twh.core.moderation import Status
from twh.models import Anchor, OutboxEmail

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "es", "pl", "zh-hans", "ar", "hi"]
NEW_PAGES = ["/host/", "/host/dialogue/", "/host/collaboration/", "/host/learning/", "/host/connections/",
             "/about/faq/", "/contact/", "/contact/sent/", "/map/embed/builder/"]
FAQ_IDS = ["what-counts", "account", "contact-details", "location", "after-submit", "not-approved",
           "edit-withdraw", "report-back", "summit", "languages", "contact-office"]


def contact_data(**overrides) -> dict:
    data = {"name": "Ana Private", "email": "ana.private@example.net", "topic": "hosting",
            "message": "How do I book an interpreter for my circle?", "form_token": make_form_token(),
            "homepage": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_new_page_answers_in_every_language(client, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for path in NEW_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'<html lang="{language}"' in response.content.decode(), path


@pytest.mark.parametrize("name,args,path", [
    ("faq", [], "/about/faq/"),
    ("host", [], "/host/"),
    ("host_kind", ["learning"], "/host/learning/"),
    ("contact", [], "/contact/"),
    ("contact_sent", [], "/contact/sent/"),
    ("healingmap:embed_builder", [], "/map/embed/builder/"),
])
def test_reverse_and_resolve_agree(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name


def test_unknown_toolkit_kind_is_404(client):
    assert client.get("/host/knitting/").status_code == 404


def test_each_kind_page_has_the_whole_guide_and_ends_with_share_your_event(client):
    for slug in ("dialogue", "collaboration", "learning", "connections"):
        html = client.get(f"/host/{slug}/").content.decode()
        for section in ('id="what"', 'id="examples"', 'id="questions"', 'id="plan"', 'id="safety"',
                        'id="agreements"', 'id="support"', 'id="share"'):
            assert section in html, (slug, section)
        for step in ("Invite", "Prepare", "Hold", "Close", "Share"):
            assert f">{step}</h3>" in html
        assert f'href="/events/submit/?kind={slug}"' in html
        assert "Racism is systemic and structural" in html and "Expect non-closure" in html
        assert "css/toolkit.css" in html
        article = html[html.index('<article class="toolkit-content">'):html.index("</article>")]
        assert article.rstrip().endswith("</section>") and 'id="share"' in article[-1500:]


def test_share_your_event_preselects_the_kind(client):
    html = client.get("/events/submit/?kind=learning").content.decode()
    assert re.search(r'value="learning"[^>]*checked', html)
    assert client.get("/events/submit/?kind=nonsense").status_code == 200


def test_toolkit_prints_its_content_only():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/toolkit.css").read_text()
    printing = css[css.index("@media print"):]
    for hidden in (".site-header", ".site-footer", ".no-print"):
        assert f"body.toolkit {hidden}" in printing


def test_faq_anchors_resolve(client):
    html = client.get("/about/faq/").content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for anchor in FAQ_IDS:
        assert anchor in ids
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target
    assert len(re.findall(r'\bid="([^"]+)"', html)) == len(ids), "ids must be unique"


def test_office_contact_details_come_from_settings(client, settings):
    settings.OFFICE_EMAIL = "oerj@city.example"
    settings.OFFICE_PHONE = "312-555-0142"
    settings.OFFICE_ADDRESS = "1 Healing Plaza, Chicago"
    for path in ("/about/", "/about/faq/", "/accessibility/", "/privacy/", "/contact/"):
        html = client.get(path).content.decode()
        assert 'href="mailto:oerj@city.example"' in html, path
        assert 'href="tel:3125550142"' in html and "1 Healing Plaza, Chicago" in html, path
    assert 'href="/contact/"' in client.get("/").content.decode()  # the footer, on every page


def test_every_email_ends_with_the_office_footer(settings):
    from pathlib import Path

    from django.template.loader import render_to_string

    settings.OFFICE_EMAIL = "oerj@city.example"
    root = Path(__file__).resolve().parents[2] / "templates"
    bodies = sorted(root.glob("*/email/*_body.txt"))
    assert len(bodies) > 10
    for body in bodies:
        assert 'include "includes/email/_footer.txt"' in body.read_text(), body.name
    footer = render_to_string("includes/email/_footer.txt", {"campaign_name": "Together We Heal"})
    assert "oerj@city.example" in footer and settings.OFFICE_PHONE in footer


def test_contact_form_queues_one_private_email_to_staff(client, django_capture_on_commit_callbacks):
    data = contact_data()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", data)
    assert response.status_code == 302 and response["Location"] == "/contact/sent/"
    email = OutboxEmail.objects.get()
    assert email.to == ["staff@example.org"]
    assert "Hosting an event" in email.subject
    assert "ana.private@example.net" in email.body and "interpreter" in email.body
    assert len(mail.outbox) == 1
    # Sent again (a double click, a reload): still one email.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", data)
    assert OutboxEmail.objects.count() == 1


def test_contact_form_never_publishes_anything(client):
    before = {model: model.objects.count() for model in (HealingEvent,)}
    client.post("/contact/", contact_data(message="A secret worry of mine"))
    assert {model: model.objects.count() for model in before} == before
    for path in ("/", "/map/", "/map/list/", "/map/messages/", "/about/", "/map/events.geojson"):
        assert "A secret worry of mine" not in client.get(path).content.decode()


def test_contact_form_keeps_the_data_on_bad_input(client):
    response = client.post("/contact/", contact_data(email="not-an-email", message=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ana Private"' in html and 'value="not-an-email"' in html
    assert 'id="form-problem"' in html
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize("trap", ["honeypot", "too_fast", "forged"])
def test_contact_form_has_the_same_protections_as_the_other_forms(client, settings, trap):
    overrides = {"honeypot": {"homepage": "http://spam.example"}, "too_fast": {},
                 "forged": {"form_token": "forged"}}[trap]
    if trap == "too_fast":
        settings.FORM_MIN_FILL_SECONDS = 60
    response = client.post("/contact/", contact_data(**overrides))
    assert response.status_code == 200
    assert "How do I book an interpreter" in response.content.decode()  # kept for the retry
    assert not OutboxEmail.objects.exists()


def test_contact_form_is_rate_limited(client, settings):
    settings.SUBMIT_RATE_LIMIT = "2/h"
    for _ in range(2):
        assert client.post("/contact/", contact_data()).status_code == 302
    response = client.post("/contact/", contact_data(message="One too many"))
    assert response.status_code == 429
    assert "One too many" in response.content.decode()
    assert OutboxEmail.objects.count() == 2


def test_support_resources_come_from_settings(client, settings):
    settings.SUPPORT_RESOURCES = [{"name": "Warm Line", "phone": "312-555-0100", "url": "https://warm.example/"}]
    html = client.get("/host/").content.decode()
    assert 'href="https://warm.example/"' in html and 'href="tel:3125550100"' in html
    event = make_event(status=Status.PENDING, submission_token="6f1c0d1e-2c9a-4d8b-9a77-2f2e7f0f8a11")
    assert "Warm Line" in client.get(reverse("events:thanks", args=[event.submission_token])).content.decode()


def test_default_support_resources_include_988(client):
    html = client.get("/host/dialogue/").content.decode()
    assert "988 Suicide &amp; Crisis Lifeline" in html and 'href="tel:988"' in html


def test_support_resources_setting_is_checked(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from twh.settings import env_support_resources

    monkeypatch.setenv("TWH_TEST_SUPPORT", '[{"phone": "988"}]')
    with pytest.raises(ImproperlyConfigured, match="JSON list"):
        env_support_resources("TWH_TEST_SUPPORT")
    monkeypatch.setenv("TWH_TEST_SUPPORT", '[{"name": "Line", "phone": "1"}]')
    assert env_support_resources("TWH_TEST_SUPPORT") == [{"name": "Line", "phone": "1"}]


def test_about_lists_anchors_and_consenting_organization_partners(client):
    Anchor.objects.create(name="Healing Fund", description="Funds hosts.", url="https://fund.example/",
                          logo="anchors/fund.png", logo_alt="Healing Fund logo", order=2)
    Anchor.objects.create(name="Hidden Anchor", is_listed=False)
    make_event(host_name="Pilsen Arts", website="https://pilsen.example/", list_as_partner=True)
    make_event(host_name="Pilsen Arts", list_as_partner=True)  # listed once
    make_event(host_name="Quiet Org", list_as_partner=False)
    make_event(host_name="Pending Org", list_as_partner=True, status=Status.PENDING)
    make_event(host_name="Rosa", host_type=HealingEvent.HostType.INDIVIDUAL, list_as_partner=True)
    html = client.get("/about/").content.decode()
    assert "Healing Fund" in html and 'alt="Healing Fund logo"' in html and "Hidden Anchor" not in html
    assert html.count(">Pilsen Arts</a>") == 1 and 'href="https://pilsen.example/"' in html
    for absent in ("Quiet Org", "Pending Org", "Rosa"):
        assert absent not in html


def test_anchor_logo_needs_alt_text():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Anchor(name="No alt", logo="anchors/x.png").full_clean()


def test_partner_consent_on_the_form_is_kept_for_organizations_only(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/events/submit/", event_form_data(list_as_partner="on"))
        client.post("/events/submit/", event_form_data(
            list_as_partner="on", host_type="individual", host_name="Rosa", title="Another circle",
            form_token=make_form_token()))
    consents = dict(HealingEvent.objects.values_list("host_type", "list_as_partner"))
    assert consents == {"organization": True, "individual": False}
    assert "List our organization as a partner" in client.get("/events/submit/").content.decode()
