"""Site pages: the home page's live counts, URL names, the language switcher, seed data."""

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse

from events.models import HealingEvent, HealingMessage
from tests.conftest import area, make_event, make_message
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db


def test_home_counts_only_approved_events(client):
    make_event(participants=30)
    make_event(participants=12, community_area=area(41))
    make_event(participants=500, status=Status.PENDING)
    make_message(text="A published hope")
    response = client.get("/")
    totals = response.context["totals"]
    assert (totals["events"], totals["participants"], totals["areas"], totals["areas_total"]) == (2, 42, 2, 77)
    html = response.content.decode()
    assert "2 of 77" in html and "A published hope" in html
    for step in ("Organize", "Share", "Explore", "Celebrate"):
        assert step in html
    for kind in ("Promote Dialogue", "Encourage Collaboration", "Facilitate Learning", "Seed Connections"):
        assert kind in html


def test_home_shows_the_current_editions_campaign_dates(client):
    from datetime import date

    from tests.conftest import current_edition

    current_edition(starts_on=date(2031, 12, 3), ends_on=date(2032, 1, 30))
    html = client.get("/").content.decode()
    assert "December 3, 2031" in html and "January 30, 2032" in html


@pytest.mark.parametrize("name,args,path", [
    ("home", [], "/"),
    ("about", [], "/about/"),
    ("privacy", [], "/privacy/"),
    ("events:submit", [], "/events/submit/"),
    ("events:new_message", [], "/events/messages/new/"),
    ("events:detail", [7], "/events/7/"),
    ("healingmap:map", [], "/map/"),
    ("summit:index", [], "/summit/"),
])
def test_reverse_and_resolve_agree(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name


def test_language_switcher_serves_spanish(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="es"' in html


def test_base_layout_has_skip_link_landmarks_and_navigation(client):
    html = client.get("/about/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    for landmark in ("<header", "<main", "<footer", "<nav"):
        assert landmark in html
    for link in ("/events/submit/", "/map/", "/summit/", "/about/", "/privacy/", "/accessibility/"):
        assert f'href="{link}"' in html
    assert 'aria-current="page"' in html


def test_seed_demo_is_deterministic_idempotent_and_covers_the_city():
    call_command("seed_demo", events=160, messages=20, seed=7)
    first = list(HealingEvent.objects.order_by("submission_token").values_list("title", "status", "latitude"))
    call_command("seed_demo", events=160, messages=20, seed=7)
    assert HealingEvent.objects.count() == 160 and HealingMessage.objects.count() == 20
    assert list(HealingEvent.objects.order_by("submission_token").values_list("title", "status", "latitude")) == first
    assert HealingEvent.objects.values("community_area").distinct().count() == 77
    statuses = set(HealingEvent.objects.values_list("status", flat=True))
    assert {"approved", "pending", "rejected"} <= statuses
    assert len(set(HealingEvent.objects.values_list("kind", flat=True))) == 4


def _links(html: str) -> set[str]:
    import re

    return {href for href in re.findall(r'href="(/[^"#]*)', html) if not href.startswith("/static/")}


@pytest.mark.parametrize(("window", "says"), [
    ({"submissions_close_on": "past"}, "Sharing for this campaign has ended."),
    ({"submissions_open_on": "future"}, "Sharing opens on"),
])
def test_when_sharing_is_closed_no_link_leads_to_the_closed_page(client, window, says):
    from datetime import timedelta

    from django.utils import timezone

    from tests.conftest import current_edition

    today = timezone.localdate()
    edition = current_edition(**{name: today - timedelta(days=2) if when == "past" else today + timedelta(days=9)
                                 for name, when in window.items()})
    for path in ("/", "/about/", "/map/", "/map/messages/", "/map/coverage/", "/map/areas/32/"):
        html = client.get(path).content.decode()
        links = _links(html)
        assert reverse("events:submit") not in links and reverse("events:new_message") not in links, path
        assert all(client.get(link).status_code != 403 for link in links if not link.startswith("/admin/")), path
    home = client.get("/").content.decode()
    assert says in home
    if "submissions_open_on" in window:
        opens = edition.submissions_open_on
        assert f"Sharing opens on {opens:%B} {opens.day}, {opens.year}." in home
    assert says in client.get(reverse("events:submit")).content.decode()


def test_when_sharing_is_open_the_menu_home_and_footer_link_to_the_forms(client):
    links = _links(client.get("/").content.decode())
    assert reverse("events:submit") in links and reverse("events:new_message") in links


def test_favicon_and_app_icons_are_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html and 'rel="apple-touch-icon"' in html and "img/icon.svg" in html


def test_robots_txt_allows_public_pages_and_keeps_private_links_out(client, settings):
    text = client.get("/robots.txt").content.decode()
    assert "User-agent: *" in text and "Allow: /" in text
    for private in ("/admin/", "/events/manage/", "/summit/registration/"):
        assert f"Disallow: {private}" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


def test_sitemap_lists_public_pages_and_approved_events_only(client):
    approved = make_event(title="On the sitemap")
    pending = make_event(status=Status.PENDING)
    response = client.get("/sitemap.xml")
    xml = response.content.decode()
    assert response.status_code == 200
    assert f"/events/{approved.pk}/</loc>" in xml and f"/events/{pending.pk}/</loc>" not in xml
    assert "/map/</loc>" in xml and "/summit/</loc>" in xml and "/map/areas/32/</loc>" in xml
    assert "/manage/" not in xml and "/registration/" not in xml and "/admin/" not in xml


def test_a_shared_event_link_shows_a_title_description_and_image(client, settings):
    import re

    event = make_event(title="Story circle in Pilsen", description="Neighbours talk about belonging.")
    html = client.get(event.get_absolute_url()).content.decode()
    tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)"', html))
    assert tags["og:title"] == "Story circle in Pilsen"
    assert "Neighbours talk about belonging." in tags["og:description"]
    assert tags["og:image"].startswith(settings.SITE_URL) and tags["og:image"].endswith(".png")
    assert tags["og:url"] == f"{settings.SITE_URL}{event.get_absolute_url()}"
    assert tags["twitter:card"] == "summary_large_image"
    for path, title in (("/map/", "Healing Map"), ("/summit/", "Healing summit"), ("/", "Together We Heal")):
        page = client.get(path).content.decode()
        assert f'<meta property="og:title" content="{title}' in page, path
