"""Create once by token: a double click, a retried POST or a fresh form minutes later is one row.

Every public form carries a submission token (twh.core.antispam). A write function asks
`earlier()` for the row that token (or the same content from the same person, just now) already
made, and saves a new one with `save_once()`, which turns a lost race on the token's unique
constraint into the winner's row.
"""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from twh.core.submissions import recent_twin, saved_on_commit


def earlier(queryset: QuerySet, *, submission_token: uuid.UUID | None, twin: dict | None = None):
    """The row this token already made, else a recent pending twin with these field values."""
    if submission_token is not None:
        existing = queryset.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    if twin is not None:
        return recent_twin(queryset, **twin)
    return None


def save_once(obj: Model, *, submission_token: uuid.UUID | None) -> tuple[Model, bool]:
    """Save a new row; (row, created). Call inside the write's transaction.

    The save runs in a savepoint, so losing a race on the token leaves the outer transaction
    usable and returns the row that won (created False); the 503 page then knows it was saved.
    """
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        if submission_token is None:
            raise
        return type(obj)._default_manager.get(submission_token=submission_token), False
    saved_on_commit()
    return obj, True
