"""Staff follow registrations in admin: filters, counts, CSV, check-in, promotion, access needs."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from summit.models import Registration
from tests.summit.conftest import make_summit, sign_up
from twh.core.csv import safe_cell as neutralize

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:summit_registration_changelist"


def _post_action(client, action, registrations, url=None):
    return client.post(url or reverse(CHANGELIST),
                       {"action": action, "_selected_action": [r.pk for r in registrations]})


def test_moderators_group_has_the_summit_permissions():
    codenames = set(Group.objects.get(name="Moderators").permissions.filter(
        content_type__app_label="summit").values_list("codename", flat=True))
    assert {"view_registration", "change_registration", "moderate_reflection", "change_reflection",
            "view_accessrequest", "change_accessrequest", "view_summit"} <= codenames
    assert not {c for c in codenames if c.startswith("delete_")}
    assert "change_summit" not in codenames and "add_registration" not in codenames


def test_the_list_filters_searches_and_counts(client, moderator, summit):
    sign_up(summit, name="Asha Interpreted", needs_interpretation=True, interpretation_language="Polish")
    sign_up(summit, name="Ben Plain", role="city_staff")
    sign_up(summit, name="Cora Waiting")
    client.force_login(moderator)
    url = reverse(CHANGELIST)
    html = client.get(url).content.decode()
    assert "registered: 2" in html and "waitlisted: 1" in html and "access needs not arranged yet: 1" in html
    filtered = client.get(url, {"access": "interpretation"}).content.decode()
    assert "Asha Interpreted" in filtered and "Ben Plain" not in filtered
    assert "Ben Plain" in client.get(url, {"role__exact": "city_staff"}).content.decode()
    waiting = client.get(url, {"status__exact": "waitlisted"}).content.decode()
    assert "Cora Waiting" in waiting and "Asha" not in waiting
    assert "Cora Waiting" in client.get(url, {"q": "cora"}).content.decode()


def test_csv_export_neutralizes_formulas(client, moderator, summit):
    person = sign_up(summit, name="=HYPERLINK(\"http://evil\")", organization="+1 Org",
                     access_needs_other="@SUM(A1)").registration
    client.force_login(moderator)
    response = _post_action(client, "export_csv", [person])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["name"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["organization"] == "'+1 Org" and rows[0]["other_access_needs"] == "'@SUM(A1)"
    assert rows[0]["email"] == person.email and rows[0]["status"] == "confirmed"
    assert neutralize("-2") == "'-2" and neutralize("plain") == "plain"


def test_promote_from_waitlist_action(client, moderator, django_capture_on_commit_callbacks):
    summit = make_summit(capacity=1)
    sign_up(summit)
    waiting = sign_up(summit).registration
    client.force_login(moderator)
    _post_action(client, "promote_selected", [waiting])
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"  # full: nothing happens
    summit.capacity = 2
    summit.save()
    with django_capture_on_commit_callbacks(execute=True):
        _post_action(client, "promote_selected", [waiting])
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and mail.outbox[-1].to == [waiting.email]


def test_check_in_action_marks_attended(client, moderator, summit):
    person = sign_up(summit, name="Finn Present").registration
    client.force_login(moderator)
    _post_action(client, "mark_attended_yes", [person])
    person.refresh_from_db()
    assert person.attended_at is not None
    assert "Finn Present" in client.get(reverse(CHANGELIST), {"attended": "yes"}).content.decode()
    assert "Finn Present" not in client.get(reverse(CHANGELIST), {"attended": "no"}).content.decode()
    _post_action(client, "mark_attended_no", [person])
    person.refresh_from_db()
    assert person.attended_at is None


def test_access_needs_requests_list_and_done_mark(client, moderator, summit):
    asks = sign_up(summit, name="Dana Captions", needs_captions=True).registration
    sign_up(summit, name="Eli Nothing")
    client.force_login(moderator)
    url = reverse("admin:summit_accessrequest_changelist")
    html = client.get(url).content.decode()
    assert "Dana Captions" in html and "Eli Nothing" not in html
    _post_action(client, "mark_access_needs_done_yes", [asks], url=url)
    asks.refresh_from_db()
    assert asks.access_needs_done_at is not None
    assert not Registration.objects.access_needs_pending().exists()


def test_raising_capacity_in_admin_promotes_the_waitlist(client, superuser, django_capture_on_commit_callbacks):
    summit = make_summit(capacity=1)
    sign_up(summit)
    waiting = sign_up(summit).registration
    client.force_login(superuser)
    url = reverse("admin:summit_summit_change", args=[summit.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    local = timezone.localtime
    data.update({
        "capacity": "2", "is_current": "on",
        "starts_at_0": f"{local(summit.starts_at):%Y-%m-%d}", "starts_at_1": f"{local(summit.starts_at):%H:%M:%S}",
        "ends_at_0": f"{local(summit.ends_at):%Y-%m-%d}", "ends_at_1": f"{local(summit.ends_at):%H:%M:%S}",
        "registration_opens_at_0": "", "registration_opens_at_1": "",
        "registration_closes_at_0": "", "registration_closes_at_1": "",
    })
    for prefix in ("agenda_items", "prompts"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_registrations_are_not_added_by_hand(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:summit_registration_add")).status_code == 403


def test_every_summit_admin_page_opens(client, superuser, summit):
    person = sign_up(summit, needs_asl=True).registration
    reflection = summit.reflections.create(theme="progress", text="Words.", email="x@example.net")
    summit.agenda_items.create(starts_at=summit.starts_at, title="Opening")
    client.force_login(superuser)
    for name, args in [
        ("summit_summit_changelist", []), ("summit_summit_change", [summit.pk]), ("summit_summit_add", []),
        ("summit_registration_changelist", []), ("summit_registration_change", [person.pk]),
        ("summit_registration_history", [person.pk]),
        ("summit_accessrequest_changelist", []), ("summit_accessrequest_change", [person.pk]),
        ("summit_reflection_changelist", []), ("summit_reflection_change", [reflection.pk]),
    ]:
        assert client.get(reverse(f"admin:{name}", args=args)).status_code == 200, name


def test_a_second_current_summit_is_a_form_error_not_a_crash(client, superuser, summit):
    client.force_login(superuser)
    response = client.post(reverse("admin:summit_summit_add"), {
        "title": "Another", "description": "Again.", "is_current": "on", "capacity": "10",
        "starts_at_0": "2027-02-01", "starts_at_1": "10:00:00",
        "ends_at_0": "2027-02-01", "ends_at_1": "09:00:00",
        "agenda_items-TOTAL_FORMS": "0", "agenda_items-INITIAL_FORMS": "0",
        "prompts-TOTAL_FORMS": "0", "prompts-INITIAL_FORMS": "0",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "already the current one" in html and "must end after it starts" in html
