"""Staff accounts: two-factor admin login, login throttling, 12-hour and 30-minute sessions."""

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from twh.core.security import LAST_SEEN_SESSION_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-1"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


@pytest.fixture
def enrolled(moderator):
    call_command("enrol_totp", moderator.username, "--no-qr", stdout=StringIO())
    return TOTPDevice.objects.get(user=moderator)


def login(client, code=None, username="moderator", password=PASSWORD, **extra):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    if code is not None:
        data["otp_token"] = code
    return client.post(reverse("admin:login"), data, **extra)


def test_admin_requires_two_factor_when_debug_is_off_by_default():
    from twh import settings as project_settings

    assert project_settings.ADMIN_REQUIRE_2FA is (not project_settings.DEBUG)


def test_a_password_alone_does_not_open_the_admin_when_two_factor_is_required(
    client, two_factor, moderator
):
    client.force_login(moderator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_sign_in_with_password_and_code(client, two_factor, enrolled):
    response = login(client, code=current_code(enrolled))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("code", [None, "000000", "not-a-code"])
def test_a_missing_or_wrong_code_is_refused(client, two_factor, enrolled, code):
    if code == "000000" and current_code(enrolled) == code:
        code = "111111"
    response = login(client, code=code)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'name="otp_token"' in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_without_two_factor_the_password_is_enough(client, settings, moderator):
    settings.ADMIN_REQUIRE_2FA = False
    response = login(client)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_login_is_throttled_per_address(client, settings, moderator):
    settings.ADMIN_LOGIN_RATE = "3/d"  # a long window: no reset mid-test
    statuses = [login(client, password="wrong", username=f"user{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Even the right password is refused while the address is throttled.
    assert login(client).status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


def test_login_is_throttled_per_username_across_addresses(client, settings, moderator):
    settings.ADMIN_LOGIN_RATE = "3/d"  # a long window: no reset mid-test
    statuses = [
        login(client, password="wrong", REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert "Too many sign-in attempts" in login(client, REMOTE_ADDR="10.0.0.99").content.decode()


def test_viewing_the_login_page_is_not_counted(client, settings):
    settings.ADMIN_LOGIN_RATE = "2/d"
    for _ in range(5):
        assert client.get(reverse("admin:login")).status_code == 200


def test_staff_sessions_last_twelve_hours_at_most(client, settings, moderator):
    settings.ADMIN_REQUIRE_2FA = False
    login(client)
    assert client.session.get_expiry_age() == 12 * 60 * 60


def _age_last_seen(client, seconds):
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_for_thirty_minutes_is_signed_out(client, settings, moderator):
    settings.ADMIN_REQUIRE_2FA = False
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(moderator)
    assert client.get(reverse("admin:index")).status_code == 200
    _age_last_seen(client, 29 * 60)
    assert client.get(reverse("admin:index")).status_code == 200
    _age_last_seen(client, 31 * 60)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(client, settings, moderator):
    settings.ADMIN_REQUIRE_2FA = False
    client.force_login(moderator)
    _age_last_seen(client, 25 * 60)
    client.get(reverse("admin:index"))
    assert int(time.time()) - client.session[LAST_SEEN_SESSION_KEY] < 5


def test_enrol_totp_prints_the_authenticator_link(moderator):
    out = StringIO()
    call_command("enrol_totp", "moderator", stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert TOTPDevice.objects.filter(user=moderator, confirmed=True).count() == 1
    with pytest.raises(CommandError, match="already has"):
        call_command("enrol_totp", "moderator", "--no-qr", stdout=StringIO())
    call_command("enrol_totp", "moderator", "--no-qr", "--replace", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=moderator).count() == 1


def test_enrol_totp_refuses_non_staff(django_user_model):
    django_user_model.objects.create_user("visitor", password=PASSWORD)
    with pytest.raises(CommandError, match="not staff"):
        call_command("enrol_totp", "visitor", stdout=StringIO())
