"""factory_boy factories: one per domain model, all tied to a company by default."""

import uuid
from datetime import timedelta
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from backend.accounts.models import Company, Role, User
from backend.flags.models import Flag
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentType
from backend.rules.findings import Severity
from backend.sites.models import Checkpoint, Client, RestrictedZone, Site, Unit
from backend.staffing.models import Post, PostOrder, Shift
from tests import geo


class CompanyFactory(factory.django.DjangoModelFactory[Company]):
    class Meta:
        model = Company
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Security Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    timezone = "America/New_York"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Guard{n}")
    company = factory.SubFactory(CompanyFactory)
    role = Role.GUARD
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


class GuardFactory(UserFactory):
    role = Role.GUARD


class ManagerFactory(UserFactory):
    role = Role.MANAGER
    is_staff = True


class SupervisorFactory(UserFactory):
    """A site supervisor: sees the sites assigned to them (sites.SiteAssignment)."""

    role = Role.SUPERVISOR


class StaffFactory(UserFactory):
    """GuardOps staff: a superuser of no company."""

    role = Role.STAFF
    company = None  # type: ignore[assignment]
    is_staff = True
    is_superuser = True


class ClientFactory(factory.django.DjangoModelFactory[Client]):
    class Meta:
        model = Client

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Client {n}")


class ClientContactFactory(UserFactory):
    role = Role.CLIENT_CONTACT
    client = factory.SubFactory(ClientFactory)
    company = factory.SelfAttribute("client.company")  # type: ignore[assignment]


class SiteFactory(factory.django.DjangoModelFactory[Site]):
    class Meta:
        model = Site

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    street_address = "100 Peachtree St NE"
    city = "Atlanta"
    region = "GA"
    timezone = "America/New_York"
    geofence = geo.SITE_SQUARE


class RestrictedZoneFactory(factory.django.DjangoModelFactory[RestrictedZone]):
    class Meta:
        model = RestrictedZone

    site = factory.SubFactory(SiteFactory)
    name = "Server room"
    area = geo.RESTRICTED_NE


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    site = factory.SubFactory(SiteFactory)
    label = factory.Sequence(lambda n: f"Building A, Unit {100 + n}")
    kind = "unit"
    location = geo.INSIDE_CENTER


class CheckpointFactory(factory.django.DjangoModelFactory[Checkpoint]):
    class Meta:
        model = Checkpoint

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Checkpoint {n}")
    location = geo.INSIDE_CENTER


class PostFactory(factory.django.DjangoModelFactory[Post]):
    class Meta:
        model = Post

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Post {n}")


class PostOrderFactory(factory.django.DjangoModelFactory[PostOrder]):
    class Meta:
        model = PostOrder

    post = factory.SubFactory(PostFactory)
    version = 1
    title = "Standing orders"
    body = "Check every door on the hour."
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class ShiftFactory(factory.django.DjangoModelFactory[Shift]):
    """A shift in progress now (started an hour ago, ends in seven) by default."""

    class Meta:
        model = Shift

    post = factory.SubFactory(PostFactory)
    guard = factory.SubFactory(GuardFactory, company=factory.SelfAttribute("..post.site.client.company"))
    scheduled_start = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    scheduled_end = factory.LazyAttribute(lambda shift: shift.scheduled_start + timedelta(hours=8))


def incident_report(*, shift: Shift, type_code: str = "zz-noise", **fields: Any) -> IncidentReport:
    """A report on `shift` as if filed just now, of a (created if missing) type of the shift's company."""
    incident_type = IncidentType.objects.get_or_create(
        company=shift.post.site.client.company, code=type_code, defaults={"name": type_code.title()}
    )[0]
    now = timezone.now()
    defaults: dict[str, Any] = {
        "occurred_at": now,
        "recorded_at": now,
        "received_at": now,
        "narrative": "Loud music from unit 101.",
        "payload_sha256": "0" * 64,
    }
    return IncidentReport.objects.create(
        id=uuid.uuid4(), shift=shift, guard=shift.guard, type=incident_type, **{**defaults, **fields}
    )


def incident_photo(*, report: IncidentReport, png: bytes) -> IncidentPhoto:
    """A stored photo of `report` whose original and display copies are `png`."""
    return IncidentPhoto.objects.create(
        id=uuid.uuid4(),
        report=report,
        original=ContentFile(png, name="original.png"),
        display=ContentFile(png, name="display.png"),
        sha256="1" * 64,
        content_type="image/png",
        size_bytes=len(png),
    )


def open_flag(
    *,
    code: str,
    shift: Shift | None = None,
    incident: IncidentReport | None = None,
    severity: str = Severity.WARNING,
    message: str | None = None,
    **fields: Any,
) -> Flag:
    """An open flag on `shift` and/or `incident`, of their company, raised just now unless `raised_at` says.

    A report's flag carries the report's site and received_at, as incident_checks_apply stores it.
    """
    subject = shift if shift is not None else incident.shift if incident is not None else None
    if subject is None:
        raise ValueError("A flag is on a shift or on a report.")
    if incident is not None:
        copied = {"incident_site_id": incident.shift.post.site_id, "incident_received_at": incident.received_at}
        fields = {**copied, **fields}
    return Flag.objects.create(
        company=subject.post.site.client.company,
        shift=shift,
        incident=incident,
        code=code,
        severity=severity,
        message=f"{code} on the {'shift' if incident is None else 'report'}." if message is None else message,
        **{"raised_at": timezone.now(), **fields},
    )


def shift_flag(*, tenant: Any, code: str, severity: str, message: str) -> Flag:
    """An open flag on a new shift of `tenant`'s guard, raised just now."""
    return open_flag(
        shift=ShiftFactory(post=tenant.post, guard=tenant.guard), code=code, severity=severity, message=message
    )
