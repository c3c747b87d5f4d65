"""Signed, expiring private links: one person's way back to one row, without an account.

A link carries the row's id and a secret the row keeps (a key, or a time that changes when the
link should stop working), signed with SECRET_KEY and a salt of its own, so it cannot be forged,
read for another row, or used past its age. Each app declares its links (events/tokens.py,
summit/tokens.py) and its views find the row with `find`: a forged, expired or stale link is None.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.crypto import constant_time_compare


class SignedLink:
    """One kind of private link: its salt, the payload's two keys, the row's secret, its URL."""

    def __init__(self, *, salt: str, id_key: str, secret_key: str, secret: Callable[[Model], str],
                 max_age_days_setting: str, url_name: str):
        self.salt = salt
        self.id_key, self.secret_key = id_key, secret_key
        self.secret = secret
        self.max_age_days_setting = max_age_days_setting  # read late: tests and deployments set it
        self.url_name = url_name

    def make(self, obj: Model) -> str:
        return signing.dumps({self.id_key: obj.pk, self.secret_key: self.secret(obj)}, salt=self.salt)

    def read(self, token: str) -> tuple[int, str]:
        """(row id, secret); raises signing.BadSignature when forged, malformed or expired."""
        max_age = getattr(settings, self.max_age_days_setting) * 86400
        payload = signing.loads(token, salt=self.salt, max_age=max_age)
        try:
            return int(payload[self.id_key]), str(payload[self.secret_key])
        except (KeyError, TypeError, ValueError) as exc:
            raise signing.BadSignature(f"malformed {self.salt} token") from exc

    def find(self, token: str, queryset: QuerySet):
        """The row of `queryset` this link is for; None when forged, expired or no longer valid."""
        try:
            pk, secret = self.read(token)
        except signing.BadSignature:
            return None
        found = queryset.filter(pk=pk).first()
        if found is None or not constant_time_compare(self.secret(found), secret):
            return None
        return found

    def url(self, obj: Model) -> str:
        """The full address for an email."""
        return settings.SITE_URL + reverse(self.url_name, args=[self.make(obj)])
