"""The guard's own shift or 404: the one selector every guard-facing write goes through."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from backend.core.errors import NotFound
from backend.staffing.models import Shift
from backend.staffing.selectors import shift_get_for_guard
from tests import factories


def test_a_guard_gets_their_own_shift_with_its_site_and_company(tenant, django_assert_num_queries):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)

    with django_assert_num_queries(1):
        found = shift_get_for_guard(guard=tenant.guard, shift_id=shift.pk)
        assert found.post.site.client.company == tenant.company

    assert found == shift


@pytest.mark.parametrize("whose", ["a colleague's", "another company's", "nobody's"])
def test_any_other_shift_is_a_404_naming_the_field(tenant, other_tenant, whose):
    shift_id = {
        "a colleague's": lambda: factories.ShiftFactory(post=tenant.post).pk,
        "another company's": lambda: factories.ShiftFactory(post=other_tenant.post, guard=other_tenant.guard).pk,
        "nobody's": lambda: 999_999,
    }[whose]()

    with pytest.raises(NotFound) as raised:
        shift_get_for_guard(guard=tenant.guard, shift_id=shift_id, field="shift_id")

    assert (raised.value.code, raised.value.field) == ("shift_not_found", "shift_id")


@pytest.mark.django_db(transaction=True)
def test_a_locked_shift_makes_a_concurrent_writer_wait(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    outcome: list[str] = []

    def concurrent_writer() -> None:
        try:
            with transaction.atomic():
                Shift.objects.select_for_update(nowait=True).get(pk=shift.pk)
            outcome.append("got the row")
        except DatabaseError:
            outcome.append("row locked")
        finally:
            connection.close()

    with transaction.atomic():
        shift_get_for_guard(guard=tenant.guard, shift_id=shift.pk, lock=True)
        writer = threading.Thread(target=concurrent_writer)
        writer.start()
        writer.join()

    assert outcome == ["row locked"]
