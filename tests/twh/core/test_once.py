"""Create once by token: the row a token made, a recent twin, and a lost race give one row."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from events.models import HealingMessage
from tests.conftest import make_message
from twh.core.moderation import Status
from twh.core.once import earlier, save_once

pytestmark = pytest.mark.django_db


def test_earlier_finds_the_row_of_the_token_first_then_a_recent_pending_twin():
    token = uuid.uuid4()
    first = make_message(submission_token=token, status=Status.APPROVED)
    twin = make_message(text="Same words", email="a@example.net", status=Status.PENDING)
    rows = HealingMessage.objects.all()
    assert earlier(rows, submission_token=token, twin={"text": "Same words"}) == first
    assert earlier(rows, submission_token=uuid.uuid4(), twin={"text": "Same words"}) == twin
    assert earlier(rows, submission_token=None, twin={"text": "Other words"}) is None
    assert earlier(rows, submission_token=uuid.uuid4()) is None


def test_losing_the_race_on_a_token_returns_the_winner_and_keeps_the_transaction_usable():
    token = uuid.uuid4()
    winner = make_message(submission_token=token)
    with transaction.atomic():
        row, created = save_once(HealingMessage(text="Late", submission_token=token),
                                 submission_token=token)
        assert HealingMessage.objects.count() == 1  # the outer transaction still works
    assert (row, created) == (winner, False)


def test_a_new_token_saves_a_new_row():
    token = uuid.uuid4()
    row, created = save_once(HealingMessage(text="New", submission_token=token), submission_token=token)
    assert created and HealingMessage.objects.filter(pk=row.pk).exists()


def test_an_integrity_error_without_a_token_is_not_hidden():
    first = make_message()
    with pytest.raises(IntegrityError), transaction.atomic():
        save_once(HealingMessage(pk=first.pk, text="Same primary key"), submission_token=None)
