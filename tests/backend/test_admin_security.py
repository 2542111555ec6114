"""A company's manager cannot give anyone powers only GuardOps staff give, nor move rows
to another company, whatever they post to the admin."""

import pytest
from django.contrib.auth.models import Group, Permission

from backend.accounts.errors import PrivilegeChangeRefused
from backend.accounts.models import Role, User
from backend.accounts.services import user_privileges_check
from backend.incidents.models import IncidentType
from backend.rules.models import RuleSettings
from backend.sites.models import Client as ClientCompany
from backend.staffing.models import Shift
from tests import factories
from tests.admin_clients import manager_admin, staff_admin

pytestmark = pytest.mark.django_db


def _user_form(user: User, **overrides: object) -> dict[str, object]:
    """A valid change-form body for `user`, as the manager's form posts it."""
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "role": user.role,
        "client": user.client_id or "",
        "phone": "",
        "employee_number": "",
        "license_number": "",
    }
    data.update(overrides)
    return data


def _powers(user: User) -> tuple[object, ...]:
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        user.role,
        user.company_id,
        set(user.groups.all()),
        set(user.user_permissions.all()),
    )


@pytest.fixture
def everything_group():
    group = Group.objects.create(name="Everything")
    group.permissions.set(Permission.objects.all())
    return group


def test_manager_posting_superuser_staff_groups_and_permissions_changes_nothing(tenant, everything_group):
    # given a manager with the demo's rights, and a guard of their company
    admin = manager_admin(tenant.manager)
    guard = tenant.guard
    before = _powers(guard)
    any_permission = Permission.objects.get(codename="change_group")

    # when they post the guard's form with every access-widening field ticked
    response = admin.post(
        f"/admin/accounts/user/{guard.pk}/change/",
        _user_form(
            guard,
            first_name="Renamed",
            is_staff="on",
            is_superuser="on",
            groups=[everything_group.pk],
            user_permissions=[any_permission.pk],
        ),
    )

    # then the ordinary change is saved, and not one power was granted
    assert response.status_code == 302
    assert _powers(guard) == before
    assert guard.first_name == "Renamed"


def test_manager_cannot_make_their_own_account_a_superuser(tenant, everything_group):
    admin = manager_admin(tenant.manager)
    before = _powers(tenant.manager)

    admin.post(
        f"/admin/accounts/user/{tenant.manager.pk}/change/",
        _user_form(tenant.manager, is_superuser="on", groups=[everything_group.pk]),
    )

    assert _powers(tenant.manager) == before
    assert not tenant.manager.has_perm("auth.change_group")


def test_manager_cannot_give_the_staff_role(tenant):
    admin = manager_admin(tenant.manager)

    response = admin.post(f"/admin/accounts/user/{tenant.guard.pk}/change/", _user_form(tenant.guard, role="staff"))

    assert response.status_code == 200  # the form comes back with the error
    assert "role" in response.context["adminform"].form.errors
    tenant.guard.refresh_from_db()
    assert tenant.guard.role == Role.GUARD


def test_manager_cannot_move_a_person_to_another_company_or_client(tenant, other_tenant):
    admin = manager_admin(tenant.manager)
    contact = tenant.client_contact

    admin.post(
        f"/admin/accounts/user/{contact.pk}/change/",
        _user_form(contact, company=other_tenant.company.pk, client=other_tenant.client.pk),
    )

    contact.refresh_from_db()
    assert contact.company_id == tenant.company.pk
    assert contact.client_id == tenant.client.pk


def test_the_managers_user_form_has_no_field_that_grants_access(tenant):
    admin = manager_admin(tenant.manager)

    page = admin.get(f"/admin/accounts/user/{tenant.guard.pk}/change/")

    assert page.status_code == 200
    form = page.context["adminform"].form
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "company"):
        assert field not in form.fields
    assert "staff" not in [value for value, _ in form.fields["role"].choices]


def test_a_person_added_by_a_manager_joins_their_company_without_admin_access(tenant, other_tenant):
    admin = manager_admin(tenant.manager)

    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "username": "new-guard",
            "usable_password": "true",
            "password1": "a-long-Passphrase-9",
            "password2": "a-long-Passphrase-9",
            "role": "guard",
            "client": "",
            "company": other_tenant.company.pk,
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == 302
    created = User.objects.get(username="new-guard")
    assert created.company_id == tenant.company.pk
    assert (created.is_superuser, created.is_staff, created.role) == (False, False, Role.GUARD)


def test_a_manager_never_sees_or_edits_guardops_staff(tenant):
    staff = factories.StaffFactory(username="guardops-root")
    admin = manager_admin(tenant.manager)

    listing = admin.get("/admin/accounts/user/")
    change = admin.get(f"/admin/accounts/user/{staff.pk}/change/")
    password = admin.post(
        f"/admin/accounts/user/{staff.pk}/password/", {"password1": "Hijacked-pass-99", "password2": "Hijacked-pass-99"}
    )

    assert b"guardops-root" not in listing.content
    assert change.status_code == 404
    assert password.status_code == 404
    staff.refresh_from_db()
    assert staff.check_password("pw-for-tests")


def test_groups_are_for_guardops_staff_only_even_with_auth_permissions(tenant, everything_group):
    # given a manager who somehow holds every auth permission
    admin = manager_admin(tenant.manager)
    tenant.manager.user_permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    managers_group = tenant.manager.groups.get()

    listing = admin.get("/admin/auth/group/")
    edit = admin.post(
        f"/admin/auth/group/{managers_group.pk}/change/",
        {"name": managers_group.name, "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )

    assert listing.status_code == 403
    assert edit.status_code == 403
    assert not managers_group.permissions.filter(content_type__app_label="auth").exists()


def test_a_manager_cannot_add_delete_rename_the_identity_of_or_switch_off_a_company(tenant, other_tenant):
    admin = manager_admin(tenant.manager)
    company = tenant.company

    add = admin.get("/admin/accounts/company/add/")
    delete = admin.post(f"/admin/accounts/company/{company.pk}/delete/", {"post": "yes"})
    foreign = admin.get(f"/admin/accounts/company/{other_tenant.company.pk}/change/")
    edit = admin.post(
        f"/admin/accounts/company/{company.pk}/change/",
        {"name": "Acme Security", "slug": "stolen-slug", "timezone": "America/Chicago", "is_active": ""},
    )

    assert (add.status_code, delete.status_code, foreign.status_code, edit.status_code) == (403, 403, 404, 302)
    company.refresh_from_db()
    assert (company.name, company.slug, company.is_active) == ("Acme Security", "acme", True)


def test_guardops_staff_still_grant_admin_access(tenant):
    admin = staff_admin(factories.StaffFactory())

    admin.post(
        f"/admin/accounts/user/{tenant.guard.pk}/change/",
        _user_form(tenant.guard, is_staff="on", company=tenant.company.pk, role="manager"),
    )

    tenant.guard.refresh_from_db()
    assert tenant.guard.is_staff
    assert tenant.guard.role == Role.MANAGER


@pytest.mark.parametrize(
    ("flag", "value"), [("is_superuser", True), ("is_staff", True), ("role", Role.STAFF), ("company_id", None)]
)
def test_the_service_refuses_a_smuggled_privilege_whatever_the_form(tenant, other_tenant, flag, value):
    # given a guard whose unsaved row carries a privilege (a form that forgot to hide it)
    guard = User.objects.get(pk=tenant.guard.pk)
    setattr(guard, flag, value if flag != "company_id" else other_tenant.company.pk)

    with pytest.raises(PrivilegeChangeRefused):
        user_privileges_check(actor=tenant.manager, user=guard)

    user_privileges_check(actor=factories.StaffFactory(), user=guard)  # staff may


def test_the_service_refuses_group_and_permission_changes_by_a_manager(tenant):
    with pytest.raises(PrivilegeChangeRefused) as refused:
        user_privileges_check(actor=tenant.manager, user=tenant.guard, groups_changed=True)
    assert refused.value.field == "groups"
    with pytest.raises(PrivilegeChangeRefused):
        user_privileges_check(actor=tenant.manager, user=tenant.guard, permissions_changed=True)


def test_manager_cannot_move_configuration_rows_to_another_company(tenant, other_tenant):
    # given rows whose foreign key names their tenant
    admin = manager_admin(tenant.manager)
    incident_type = IncidentType.objects.create(company=tenant.company, code="zz-noise", name="Zz noise")
    settings_row = RuleSettings.objects.create(company=tenant.company, overrides={})
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    start = shift.scheduled_start

    # when the manager posts each with the other company's row forged into the picker
    posts = {
        f"/admin/sites/client/{tenant.client.pk}/change/": {
            "company": other_tenant.company.pk, "name": tenant.client.name, "is_active": "on",
        },
        f"/admin/incidents/incidenttype/{incident_type.pk}/change/": {
            "company": other_tenant.company.pk, "code": "zz-noise", "name": "Zz noise", "severity": "warning",
            "required_fields": "[]", "is_active": "on",
        },
        f"/admin/rules/rulesettings/{settings_row.pk}/change/": {"company": other_tenant.company.pk, "overrides": "{}"},
        f"/admin/staffing/shift/{shift.pk}/change/": {
            "guard": other_tenant.guard.pk, "post": other_tenant.post.pk,
            "scheduled_start_0": "2026-01-10", "scheduled_start_1": "08:00:00",
            "scheduled_end_0": "2026-01-10", "scheduled_end_1": "16:00:00", "notes": "",
        },
    }  # fmt: skip
    statuses = [admin.post(url, data).status_code for url, data in posts.items()]

    # then every form is refused with an error, and no row moved
    assert statuses == [200, 200, 200, 200]
    assert ClientCompany.objects.get(pk=tenant.client.pk).company_id == tenant.company.pk
    assert IncidentType.objects.get(pk=incident_type.pk).company_id == tenant.company.pk
    assert RuleSettings.objects.get(pk=settings_row.pk).company_id == tenant.company.pk
    moved = Shift.objects.get(pk=shift.pk)
    assert (moved.guard_id, moved.post_id, moved.scheduled_start) == (tenant.guard.pk, tenant.post.pk, start)


def test_manager_cannot_move_a_site_to_another_companys_client(tenant, other_tenant):
    admin = manager_admin(tenant.manager)
    site = tenant.site

    response = admin.post(
        f"/admin/sites/site/{site.pk}/change/",
        {
            "client": other_tenant.client.pk,
            "name": site.name,
            "street_address": site.street_address,
            "city": site.city,
            "region": site.region,
            "postal_code": "",
            "country": "US",
            "timezone": site.timezone,
            "geofence": site.geofence.geojson,
            "near_buffer_m": 25,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "client" in response.context["adminform"].form.errors
    site.refresh_from_db()
    assert site.client_id == tenant.client.pk
