"""The registrant's private link to view or cancel their registration (twh.core.links)."""

from twh.core.links import SignedLink

SALT = "summit.registration-link"

REGISTRATION_LINK = SignedLink(
    salt=SALT, id_key="r", secret_key="k",
    secret=lambda registration: str(registration.manage_key),
    max_age_days_setting="SUMMIT_LINK_MAX_AGE_DAYS", url_name="summit:registration",
)

make_registration_token = REGISTRATION_LINK.make
read_registration_token = REGISTRATION_LINK.read
registration_url = REGISTRATION_LINK.url
