"""The tenant (Company) and the people who act in GuardOps."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from backend.core.models import TimeStampedModel
from backend.core.tenancy import TenantQuerySet


class Company(TimeStampedModel):
    """A contract security company: the tenant that owns every other domain row."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    timezone = models.CharField(max_length=64, default="UTC", help_text="IANA time zone of the head office.")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    GUARD = "guard", "Guard"
    MANAGER = "manager", "Operations manager"
    SUPERVISOR = "supervisor", "Site supervisor"
    CLIENT_CONTACT = "client_contact", "Client contact"
    STAFF = "staff", "GuardOps staff"


class TenantUserManager(UserManager["User"]):
    def get_queryset(self) -> TenantQuerySet:
        return TenantQuerySet(self.model, using=self._db)

    def for_company(self, company: Company | int) -> TenantQuerySet:
        return self.get_queryset().for_company(company)


class User(AbstractUser):
    """A person who logs in: a guard, an operations manager, a site supervisor or a client contact.

    Guards, managers and supervisors belong to one company (a supervisor sees only the
    sites assigned to them: sites.SiteAssignment); a client contact belongs to one client
    (and through it to the client's company). GuardOps staff (superusers) belong to none.
    """

    TENANT_PATH: ClassVar[str] = "company"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.GUARD)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    client = models.ForeignKey(
        "sites.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="For client contacts: the client whose sites they may see.",
    )
    phone = models.CharField(max_length=32, blank=True)
    employee_number = models.CharField(max_length=32, blank=True, help_text="Guards: payroll/HR number.")
    license_number = models.CharField(max_length=64, blank=True, help_text="Guards: state security licence.")
    is_on_call = models.BooleanField(
        default=False, help_text="Managers: receives critical alerts (no-shows, emergencies, panic) at once."
    )

    objects = TenantUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ("username",)
        constraints = [
            models.CheckConstraint(
                name="user_company_matches_role",
                condition=Q(role="staff") | Q(company__isnull=False),
            ),
            models.CheckConstraint(
                name="user_client_only_for_client_contacts",
                condition=Q(role="client_contact", client__isnull=False)
                | Q(~Q(role="client_contact"), client__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        # A client contact's company is the one whose client they are: kept on the user so
        # every tenant query filters one column, and checked here so the two cannot differ.
        if self.client is not None and self.client.company_id != self.company_id:
            raise ValidationError({"client": "This client belongs to another company."})

    @property
    def is_guard(self) -> bool:
        return self.role == Role.GUARD

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_client_contact(self) -> bool:
        return self.role == Role.CLIENT_CONTACT
