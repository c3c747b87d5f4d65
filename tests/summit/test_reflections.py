"""Reflections: share one, staff moderate it, the public list shows only approved ones."""

import pytest
from django.core import mail
from django.urls import reverse

from summit import moderation
from summit.models import Reflection
from tests.summit.conftest import make_summit, sign_up
from twh.core.antispam import make_form_token

pytestmark = pytest.mark.django_db


def reflection_form_data(**overrides) -> dict:
    data = {"prompt": "progress", "text": "Our block listened to each other.", "display_name": "Rosa",
            "email": "", "form_token": make_form_token(), "homepage": ""}
    data.update(overrides)
    return data


def make_reflection(**overrides) -> Reflection:
    values = {"theme": "progress", "text": "We grew together.", "status": "approved"}
    values.update(overrides)
    return Reflection.objects.create(**values)


def test_sharing_a_reflection_stores_it_pending_once(client, summit):
    data = reflection_form_data(email="Rosa@Example.net")
    first = client.post("/summit/reflections/new/", data)
    again = client.post("/summit/reflections/new/", data)
    reflection = Reflection.objects.get()
    assert first.url == again.url == reverse("summit:reflection_thanks", args=[reflection.submission_token])
    assert reflection.status == "pending" and reflection.summit == summit
    assert reflection.email == "rosa@example.net"
    assert "Rosa" not in client.get("/summit/reflections/").content.decode()


def test_a_summit_prompt_can_be_answered(client, summit):
    prompt = summit.prompts.create(text="Who will you invite next year?")
    client.post("/summit/reflections/new/", reflection_form_data(prompt=str(prompt.pk)))
    reflection = Reflection.objects.get()
    assert (reflection.theme, reflection.summit_prompt) == ("summit", prompt)


@pytest.mark.parametrize("field,value,message", [
    ("text", "", "This field is required"),
    ("text", "   ", "This field is required"),
    ("text", "x" * 1501, "at most 1500"),
    ("prompt", "", "This field is required"),
    ("prompt", "9999", "valid choice"),
    ("prompt", "summit", "valid choice"),
    ("email", "nope", "valid email"),
    ("display_name", "n" * 81, "at most 80"),
    ("homepage", "http://spam.example", "Leave this field empty"),
    ("form_token", "forged", "expired"),
])
def test_bad_reflection_input_re_renders_with_the_data_kept(client, summit, field, value, message):
    data = reflection_form_data(**{"display_name": "Kept", "text": "Kept words.", field: value})
    response = client.post("/summit/reflections/new/", data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    if field != "display_name":
        assert 'value="Kept"' in html
    if field != "text":
        assert "Kept words." in html
    assert not Reflection.objects.exists()


def test_reflection_rate_limit_is_429_with_the_data_kept(client, summit, settings):
    settings.SUBMIT_RATE_LIMIT = "1/m"
    client.post("/summit/reflections/new/", reflection_form_data())
    response = client.post("/summit/reflections/new/", reflection_form_data(text="Still here."))
    assert response.status_code == 429 and "Still here." in response.content.decode()
    assert Reflection.objects.count() == 1


def test_reflections_work_without_a_current_summit(client):
    response = client.post("/summit/reflections/new/", reflection_form_data(prompt="forward"))
    assert response.status_code == 302
    assert Reflection.objects.get().summit is None


def test_only_approved_reflections_are_listed_with_the_participant_badge(client, summit):
    person = sign_up(summit, email="member@example.net").registration
    make_reflection(text="From a participant.", email=person.email)
    make_reflection(text="From a visitor.", email="visitor@example.net")
    make_reflection(text="Anonymous words.")
    make_reflection(text="Pending words.", status="pending")
    make_reflection(text="Rejected words.", status="rejected")
    html = client.get("/summit/reflections/").content.decode()
    assert "Pending words." not in html and "Rejected words." not in html
    assert html.count("summit participant") == 1
    participant_card = html.split("From a participant.")[1].split("</figure>")[0]
    assert "summit participant" in participant_card
    assert "member@example.net" not in html and "visitor@example.net" not in html


def test_a_cancelled_registration_gives_no_badge(summit):
    from summit.services import cancel_registration

    person = sign_up(summit, email="gone@example.net").registration
    cancel_registration(registration=person)
    make_reflection(email="gone@example.net")
    assert not Reflection.objects.with_participant_flag().get().is_participant


def test_the_list_filters_by_prompt_and_paginates(client, summit):
    prompt = summit.prompts.create(text="What surprised you?")
    for n in range(13):
        make_reflection(text=f"Progress note {n}.")
    make_reflection(theme="forward", text="Forward note.")
    make_reflection(theme="summit", summit_prompt=prompt, text="Surprise note.")
    forward = client.get("/summit/reflections/?prompt=forward").content.decode()
    assert "Forward note." in forward and "Progress note" not in forward
    own = client.get(f"/summit/reflections/?prompt={prompt.pk}").content.decode()
    assert "Surprise note." in own and "Forward note." not in own
    first = client.get("/summit/reflections/?prompt=progress").content.decode()
    second = client.get("/summit/reflections/?prompt=progress&page=2").content.decode()
    assert first.count("Progress note") == 12 and second.count("Progress note") == 1
    assert "Page 2 of 2" in second and "prompt=progress&amp;page=1" in second
    assert client.get("/summit/reflections/?page=3").status_code == 404
    assert client.get("/summit/reflections/?prompt=424242").status_code == 404


def test_a_past_summits_prompt_still_filters(client, summit):
    old = make_summit(is_current=False).prompts.create(text="An old question")
    make_reflection(theme="summit", summit_prompt=old, text="An old answer.")
    html = client.get(f"/summit/reflections/?prompt={old.pk}").content.decode()
    assert "An old answer." in html and "An old question" in html


def test_approve_and_reject_email_the_author_and_keep_an_audit_trail(
    moderator, django_capture_on_commit_callbacks
):
    keep = make_reflection(status="pending", email="keep@example.net")
    drop = make_reflection(status="pending", email="drop@example.net")
    silent = make_reflection(status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.approve(keep, moderator=moderator)
        assert not moderation.approve(keep, moderator=moderator)  # no second email
        assert moderation.reject(drop, moderator=moderator, reason="hateful", note="Be kind.")
        assert moderation.approve(silent, moderator=moderator)
    assert [m.to for m in mail.outbox] == [["keep@example.net"], ["drop@example.net"]]
    assert "Hateful" in mail.outbox[1].body and "Be kind." in mail.outbox[1].body
    keep.refresh_from_db()
    assert keep.status == "approved" and keep.moderated_by == moderator
    assert keep.history.first().status == "approved"
    assert not hasattr(keep.history.first(), "email")  # the private email stays out of history
    with pytest.raises(ValueError):
        moderation.reject(keep, moderator=moderator, reason="made-up")


def test_moderators_moderate_reflections_in_admin(client, moderator, django_capture_on_commit_callbacks):
    pending = make_reflection(status="pending", email="author@example.net")
    client.force_login(moderator)
    changelist = reverse("admin:summit_reflection_changelist")
    assert client.get(changelist).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "approve_selected", "_selected_action": [pending.pk]})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and mail.outbox[0].to == ["author@example.net"]
    other = make_reflection(status="pending")
    form = client.post(changelist, {"action": "reject_selected", "_selected_action": [other.pk]})
    assert form.status_code == 200 and "Reject with a reason" in form.content.decode()
    client.post(changelist, {"action": "reject_selected", "_selected_action": [other.pk], "apply": "1",
                             "reason": "commercial", "note": ""})
    other.refresh_from_db()
    assert (other.status, other.rejection_reason) == ("rejected", "commercial")
    history = client.get(reverse("admin:summit_reflection_history", args=[pending.pk]))
    assert history.status_code == 200
