"""A change to who a guard is or how they log in logs every phone of theirs out.

Deactivating them, changing their role or company, or changing their password revokes
their device tokens, whichever path made the change (admin, shell, a service).
"""

import pytest
from django.contrib.auth.hashers import make_password

from backend.accounts.models import Role, User
from backend.devices.models import DeviceToken
from tests import factories
from tests.conftest import ApiClient, api_client_for

pytestmark = pytest.mark.django_db


def still_logged_in(api: ApiClient):
    status = api.get_json("/me").status_code
    assert status in {200, 401}
    return status == 200


@pytest.fixture
def phones(tenant):
    """The guard is logged in on two phones; a colleague on one."""
    colleague = factories.GuardFactory(company=tenant.company)
    return (
        api_client_for(tenant.guard, device_id="work-phone"),
        api_client_for(tenant.guard, device_id="own-phone"),
        api_client_for(colleague, device_id="colleague-phone"),
    )


def reloaded(user: User) -> User:
    # As the admin or a shell would: a fresh instance from the database.
    return User.objects.get(pk=user.pk)


def test_deactivating_a_guard_revokes_their_tokens_for_good(tenant, phones):
    work, own, colleague = phones
    guard = reloaded(tenant.guard)

    guard.is_active = False
    guard.save()
    guard.is_active = True
    guard.save()

    # reactivated, the guard must log in again: the old tokens stay revoked
    assert not still_logged_in(work)
    assert not still_logged_in(own)
    assert still_logged_in(colleague)
    assert DeviceToken.objects.filter(user=tenant.guard, revoked_at__isnull=True).count() == 0


def test_changing_a_guards_role_revokes_their_tokens(tenant, phones):
    work, own, colleague = phones
    guard = reloaded(tenant.guard)

    guard.role = Role.MANAGER
    guard.save()

    assert not still_logged_in(work)
    assert not still_logged_in(own)
    assert still_logged_in(colleague)


def test_moving_a_guard_to_another_company_revokes_their_tokens(tenant, other_tenant, phones):
    work, own, colleague = phones
    guard = reloaded(tenant.guard)

    guard.company = other_tenant.company
    guard.save(update_fields=["company"])

    assert not still_logged_in(work)
    assert not still_logged_in(own)
    assert still_logged_in(colleague)


def test_changing_a_guards_password_revokes_their_tokens(tenant, phones):
    work, own, colleague = phones
    guard = reloaded(tenant.guard)

    guard.set_password("a-new-pass-phrase")
    guard.save()

    assert not still_logged_in(work)
    assert not still_logged_in(own)
    assert still_logged_in(colleague)
    # the new password logs a phone in again
    assert (
        ApiClient()
        .post_json(
            "/auth/token", {"username": guard.username, "password": "a-new-pass-phrase", "device_id": "work-phone"}
        )
        .status_code
        == 200
    )


def test_other_changes_keep_the_phones_logged_in(tenant, phones):
    work, own, _ = phones
    guard = reloaded(tenant.guard)

    guard.first_name = "Samantha"
    guard.phone = "+1 404 555 0100"
    guard.set_password("pw-for-tests")  # the same password again
    guard.save()

    assert still_logged_in(work)
    assert still_logged_in(own)


def test_a_login_that_upgrades_the_stored_hash_keeps_the_other_phones_logged_in(tenant, phones):
    # given a password hash Django wants to upgrade (salt too short) on the next login
    work, own, _ = phones
    User.objects.filter(pk=tenant.guard.pk).update(password=make_password("pw-for-tests", salt="ab", hasher="md5"))

    response = ApiClient().post_json(
        "/auth/token", {"username": tenant.guard.username, "password": "pw-for-tests", "device_id": "tablet"}
    )

    # then the rehash is no password change
    assert response.status_code == 200
    assert not reloaded(tenant.guard).password.startswith("md5$ab$")
    assert still_logged_in(work)
    assert still_logged_in(own)


def test_a_password_set_in_the_admin_logs_the_phones_out(tenant, phones, client):
    # given GuardOps staff in the admin
    work, own, colleague = phones
    staff = factories.UserFactory(role=Role.STAFF, company=None, is_staff=True, is_superuser=True)
    client.force_login(staff)

    # when they set a new password for the guard on the admin's password page
    response = client.post(
        f"/admin/accounts/user/{tenant.guard.pk}/password/",
        {"password1": "a-new-pass-phrase", "password2": "a-new-pass-phrase", "usable_password": "true"},
    )

    assert response.status_code == 302, response.content.decode()[:500]
    assert not still_logged_in(work)
    assert not still_logged_in(own)
    assert still_logged_in(colleague)
