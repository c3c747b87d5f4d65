"""Model constraints and the QuerySet read rules."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import CommunityArea, HealingEvent
from tests.conftest import make_event
from twh.core.moderation import Status

pytestmark = pytest.mark.django_db


def test_the_77_community_areas_exist_with_the_citys_spelling():
    assert CommunityArea.objects.count() == 77
    assert set(CommunityArea.objects.values_list("number", flat=True)) == set(range(1, 78))
    ohare = CommunityArea.objects.get(number=76)
    assert (ohare.official_name, ohare.name) == ("OHARE", "O'Hare")


@pytest.mark.parametrize("field,value", [("latitude", 91.0), ("longitude", -181.0)])
def test_precise_point_out_of_range_is_refused_by_the_database(field, value):
    event = make_event()
    setattr(event, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_half_a_point_is_refused_by_the_database():
    event = make_event()
    event.longitude = None
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_end_before_start_is_refused_by_the_database():
    event = make_event()
    event.ends_at = event.starts_at - timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_an_individual_can_never_publish_an_exact_point():
    event = make_event(host_type="individual")
    HealingEvent.objects.filter(pk=event.pk).update(publish_exact_location=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        HealingEvent.objects.filter(pk=event.pk).update(publish_exact_location=True)


def test_read_rules_select_by_status_point_and_time():
    now = timezone.now()
    approved = make_event(starts_at=now + timedelta(days=1))
    past = make_event(starts_at=now - timedelta(days=1))
    pending = make_event(status=Status.PENDING)
    rejected = make_event(status=Status.REJECTED)
    withdrawn = make_event(status=Status.WITHDRAWN)
    unplaced = make_event(latitude=None, longitude=None, needs_location=True)

    assert set(HealingEvent.objects.approved()) == {approved, past, unplaced}
    assert set(HealingEvent.objects.pending()) == {pending}
    assert set(HealingEvent.objects.mappable()) == {approved, past}
    assert approved in HealingEvent.objects.upcoming(now)
    assert past not in HealingEvent.objects.upcoming(now)
    assert list(HealingEvent.objects.approved().past(now)) == [past]
    assert set(HealingEvent.objects.needing_location()) == {unplaced}
    assert {rejected, withdrawn}.isdisjoint(HealingEvent.objects.approved())


def test_in_area_limits_to_one_community_area():
    loop = make_event()
    hyde_park = make_event(community_area=CommunityArea.objects.get(number=41))
    assert list(HealingEvent.objects.in_area(hyde_park.community_area)) == [hyde_park]
    assert loop not in HealingEvent.objects.in_area(hyde_park.community_area)
