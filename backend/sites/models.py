"""Clients, their sites, the places on each site (the address registry) and who oversees them.

Geometry is stored as geography in SRID 4326 (WGS 84 longitude/latitude, what phones
report) so PostGIS measures distances and areas in metres on the spheroid.
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.core.exceptions import ValidationError
from django.db import models

from backend.core.models import TenantModel, paths_through_site
from backend.core.validators import validate_timezone
from narrative.gazetteer import agency_terms_problem

WGS84 = 4326


class Client(TenantModel):
    """A customer of the security company; owns one or more sites."""

    TENANT_PATH: ClassVar[str] = "company"
    CLIENT_PATH: ClassVar[str] = "pk"

    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="clients")
    name = models.CharField(max_length=200)
    billing_email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=("company", "name"), name="client_name_unique_per_company")]

    def __str__(self) -> str:
        return self.name


class Site(TenantModel):
    """A client property: where guards work, with its address, time zone and geofence."""

    TENANT_PATH: ClassVar[str] = "client__company"
    CLIENT_PATH: ClassVar[str] = "client"
    SITE_PATH: ClassVar[str] = "pk"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    street_address = models.CharField(max_length=255)
    city = models.CharField(max_length=120)
    region = models.CharField(max_length=120, blank=True, help_text="State or province.")
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166-1 alpha-2.")
    timezone = models.CharField(
        max_length=64, validators=[validate_timezone], help_text="IANA time zone, e.g. America/New_York."
    )
    geofence = gis_models.MultiPolygonField(
        geography=True, srid=WGS84, help_text="The property boundary guards must be inside."
    )
    near_buffer_m = models.PositiveIntegerField(
        default=25, help_text="Metres outside the fence still counted as 'near' (GPS error, sidewalks)."
    )
    is_active = models.BooleanField(default=True)
    agency_terms = models.JSONField(
        default=dict,
        blank=True,
        help_text='This site\'s local words for fire, police and EMS: {"police": ["Campus PD"], "ems": ["Grady EMS"]}.',
    )

    class Meta:
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=("client", "name"), name="site_name_unique_per_client")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.geofence is not None and not self.geofence.valid:
            raise ValidationError({"geofence": f"The geofence is not a valid shape: {self.geofence.valid_reason}."})
        if (problem := agency_terms_problem(self.agency_terms)) is not None:
            raise ValidationError({"agency_terms": problem})


class RestrictedZone(TenantModel):
    """An area inside a site guards must not enter (server room, tenant offices, roof)."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("site")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="restricted_zones")
    name = models.CharField(max_length=120)
    area = gis_models.PolygonField(geography=True, srid=WGS84)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ("site", "name")

    def __str__(self) -> str:
        return f"{self.site}: {self.name}"

    def clean(self) -> None:
        if self.area is not None and not self.area.valid:
            raise ValidationError({"area": f"The zone is not a valid shape: {self.area.valid_reason}."})


class UnitKind(models.TextChoices):
    BUILDING = "building", "Building"
    UNIT = "unit", "Unit"
    GATE = "gate", "Gate"
    LOT = "lot", "Parking lot"
    AMENITY = "amenity", "Amenity"
    OTHER = "other", "Other"


class Unit(TenantModel):
    """A named place on a site with its coordinates: the site's address registry.

    Reports name a unit instead of typing an address, so a violation reaches the right
    resident; the point lets the validator check the guard stood near it.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("site")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="units")
    label = models.CharField(max_length=120, help_text="How people say it: 'Building C, Unit 204'.")
    kind = models.CharField(max_length=16, choices=UnitKind.choices, default=UnitKind.UNIT)
    building = models.CharField(max_length=60, blank=True)
    unit_number = models.CharField(max_length=30, blank=True)
    street_address = models.CharField(
        max_length=255, blank=True, help_text="Postal address where it differs from the site's."
    )
    location = gis_models.PointField(geography=True, srid=WGS84)

    class Meta:
        ordering = ("site", "label")
        constraints = [models.UniqueConstraint(fields=("site", "label"), name="unit_label_unique_per_site")]

    def __str__(self) -> str:
        return self.label


def new_checkpoint_code() -> str:
    """Unguessable code printed into a checkpoint's QR tag or written to its NFC tag."""
    return "CP-" + secrets.token_hex(6).upper()


class Checkpoint(TenantModel):
    """A tour point a guard scans (QR/NFC) to prove they were there."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("site")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="checkpoints")
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=64, unique=True, default=new_checkpoint_code)
    location = gis_models.PointField(geography=True, srid=WGS84)
    instructions = models.TextField(blank=True, help_text="What to check at this point.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("site", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SiteAssignment(TenantModel):
    """A site supervisor's assignment to one site: the sites they see in the console.

    Written by `site_assignment_add` / `site_assignment_remove`, which check that the
    supervisor is a supervisor of the site's company.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("site")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="supervisor_assignments")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_assignments")
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("site", "supervisor")
        constraints = [
            models.UniqueConstraint(fields=("site", "supervisor"), name="site_assignment_once_per_supervisor")
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.site}"


class ClientContactSite(TenantModel):
    """One site a client contact is limited to. A contact with no rows sees every site
    of their client; with rows, only those (a property manager of two of ten buildings).

    Written by `client_contact_sites_set`, which accepts only sites of the contact's client.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("site")

    contact = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="limited_to_sites")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="limited_contacts")

    class Meta:
        ordering = ("contact", "site")
        constraints = [models.UniqueConstraint(fields=("contact", "site"), name="client_contact_site_once")]

    def __str__(self) -> str:
        return f"{self.contact} sees {self.site}"
