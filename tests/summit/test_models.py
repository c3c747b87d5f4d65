"""Read rules of the summit models."""

import pytest
from django.db.models import QuerySet

from summit.models import Summit
from tests.summit.conftest import make_summit

pytestmark = pytest.mark.django_db


def test_current_is_a_queryset_that_chains():
    assert isinstance(Summit.objects.current(), QuerySet)
    assert Summit.objects.current().first() is None
    current = make_summit()
    make_summit(is_current=False)
    assert list(Summit.objects.current()) == [current]
    assert Summit.objects.current().filter(capacity__gte=1).get() == current
