"""The public-data version row: numbers that never go back, and the floor below which nothing is served."""

import pytest

from twh.core.publication import may_serve_stale, public_data_changed, public_version
from twh.models import PublicDataVersion

pytestmark = pytest.mark.django_db


def test_every_change_raises_the_version():
    before = int(public_version())
    public_data_changed(additive=True)
    middle = int(public_version())
    public_data_changed()
    assert before < middle < int(public_version())


def test_an_approval_lets_older_documents_be_served_while_they_rebuild():
    built_at = public_version()
    public_data_changed(additive=True)
    assert may_serve_stale(built_at)


def test_a_take_down_means_nothing_built_before_it_is_served_again():
    built_at = public_version()
    public_data_changed(additive=True)
    public_data_changed()  # a rejection, withdrawal or edit
    assert not may_serve_stale(built_at)
    rebuilt_at = public_version()
    public_data_changed(additive=True)
    assert may_serve_stale(rebuilt_at)


@pytest.mark.parametrize(("additive", "servable"), [(True, True), (False, False)])
def test_a_flushed_row_is_recreated_as_it_stood(additive, servable):
    PublicDataVersion.objects.all().delete()  # as a flushed or hand-restored database has it
    built_at = public_version()
    assert built_at == "0"
    public_data_changed(additive=additive)
    assert int(public_version()) > 0
    assert may_serve_stale(built_at) is servable
