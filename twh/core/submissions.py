"""What a request has saved, so an error page after the commit can tell the truth.

Part of the shared floor: a write function calls `saved_on_commit()` inside its transaction;
the 503 page (twh.core.middleware) then says "received" rather than "please try again" when the
connection drops after the commit, so nobody submits the same thing twice.
"""

from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from twh.core.moderation import Status

_saved: ContextVar[bool] = ContextVar("twh_submission_saved", default=False)


def start_request() -> None:
    _saved.set(False)


def saved_on_commit() -> None:
    """Call inside the transaction that stores a submission."""
    transaction.on_commit(lambda: _saved.set(True))


def saved_in_this_request() -> bool:
    return _saved.get()


def recent_twin(queryset, **same):
    """A pending submission with the same content sent within DUPLICATE_WINDOW_MINUTES.

    A person whose page failed (a 503 after the commit, a lost connection) often starts again
    from a fresh form, with a new form token: the same content from the same person within
    minutes is the same submission, not a second one.
    """
    since = timezone.now() - timedelta(minutes=settings.DUPLICATE_WINDOW_MINUTES)
    return (queryset.filter(status=Status.PENDING, submitted_at__gte=since, **same)
            .order_by("submitted_at", "pk").first())
