"""The Healing Map's edition filter: choosing a past edition, or all, switches the markers."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.map_helpers import wait_for_map
from tests.conftest import current_edition, make_event
from twh.core.editions import Edition, close_edition

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_edition_filter_switches_the_markers(page):
    today = timezone.localdate()
    first = current_edition(name="First year", starts_on=today - timedelta(days=400),
                            ends_on=today - timedelta(days=340))
    make_event(kind="learning", title="Old", starts_at=timezone.now() - timedelta(days=380), edition=first)
    close_edition(edition=first)
    second = Edition.objects.create(name="This year", slug="this-year", starts_on=today - timedelta(days=3),
                                    ends_on=today + timedelta(days=60))
    make_event(kind="dialogue", title="New one", edition=second)
    make_event(kind="dialogue", title="New two", edition=second, latitude=41.79, longitude=-87.60)
    page.goto("/map/")
    wait_for_map(page, 2)
    assert page.locator("#id_edition").input_value() == ""
    page.locator("#id_edition").select_option(first.slug)
    page.wait_for_url(re.compile(rf"/map/\?edition={first.slug}$"))
    wait_for_map(page, 1)
    assert page.locator("#healing-map .hm-marker.hm-kind-learning").count() == 1
    assert page.locator("[data-stat=events]").inner_text() == "1"
    assert f"edition={first.slug}" in page.locator("#download-csv").get_attribute("href")
    page.locator("#id_edition").select_option("all")
    page.wait_for_url(re.compile(r"/map/\?edition=all$"))
    wait_for_map(page, 3)
    assert page.locator("[data-stat=events]").inner_text() == "3"
