"""An event ends -> its host is emailed -> reports back with a photo -> staff approve the report
and the photo in admin -> the event page shows them and the home page's reported figure grows."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from events.models import EventReport
from tests.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_host_reports_back_with_a_photo_and_staff_approve(page, django_user_model, settings, tmp_path):
    settings.ADMIN_REQUIRE_2FA = False  # two-factor login has its own tests
    settings.MEDIA_ROOT = tmp_path / "media"
    event = make_event(title="Porch dialogue on 63rd", participants=40,
                       starts_at=timezone.now() - timedelta(days=1, hours=3),
                       ends_at=timezone.now() - timedelta(days=1, hours=1))
    page.goto("/")
    assert page.locator("text=No reports from hosts yet").is_visible()

    call_command("request_event_reports")
    [email] = [m for m in mail.outbox if event.contact_email in m.to]
    link = re.search(r"https?://\S+/events/report/\S+/", email.body).group(0)
    page.goto("/events/report/" + link.split("/events/report/", 1)[1])
    assert page.locator("h1").inner_text() == "Report back on your event"
    assert page.locator("label", has_text="What was heard?").is_visible()

    photo = tmp_path / "porch.jpg"
    Image.new("RGB", (1200, 800), (180, 90, 40)).save(photo, format="JPEG")
    page.fill("#id_participants", "31")
    page.fill("#id_what_happened", "Neighbours talked on the porch until dark.")
    page.fill("#id_answer", "That the young people want a say.")
    page.fill("#id_commitment", "A second porch talk in spring.")
    page.check("input[name=missing_stakeholders][value=police]")
    page.set_input_files("#id_photo", str(photo))
    page.fill("#id_photo_alt", "Neighbours on a porch, talking")
    page.click("button[type=submit].btn-lg")
    page.wait_for_selector("text=Thank you for reporting back")
    report = EventReport.objects.get(event=event)
    assert report.participants == 31 and report.photo

    moderator = django_user_model.objects.create_user("mod", password="a-long-test-password-9", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    page.goto("/admin/")
    page.fill("#id_username", "mod")
    page.fill("#id_password", "a-long-test-password-9")
    page.click("input[type=submit]")
    for action, done in (("approve_selected", "1 item approved."), ("decide_photo_approve", "1 item changed.")):
        page.goto("/admin/events/eventreport/")
        page.locator("tr", has_text="Porch dialogue on 63rd").locator("input.action-select").check()
        page.select_option("select[name=action]", action)
        page.click("button[name=index]")
        page.wait_for_selector(f"text={done}")
    page.context.clear_cookies()  # the public page, as a visitor sees it

    page.goto(event.get_absolute_url())
    assert page.locator("#event-report").is_visible()
    assert "31 people took part." in page.locator("#event-report").inner_text()
    image = page.locator("#event-report img")
    assert image.get_attribute("alt") == "Neighbours on a porch, talking"
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0  # the photo is served
    assert event.contact_email not in page.content()
    page.goto("/")
    assert page.locator("[data-stat=reported]").inner_text() == "31"
