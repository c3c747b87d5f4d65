"""The submitter's private link to view, edit or withdraw their event (twh.core.links)."""

from twh.core.links import SignedLink

SALT = "events.manage-link"

MANAGE_LINK = SignedLink(
    salt=SALT, id_key="event", secret_key="token",
    secret=lambda event: str(event.submission_token or ""),
    max_age_days_setting="MANAGE_LINK_MAX_AGE_DAYS", url_name="events:manage",
)

make_manage_token = MANAGE_LINK.make
read_manage_token = MANAGE_LINK.read
manage_url = MANAGE_LINK.url
