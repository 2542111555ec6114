"""Give companies that existed before the catalogue the default incident types.

New companies get them from a post_save signal; this covers the ones already there.
The list is frozen here as it was when the migration was written.
"""

from django.db import migrations

DEFAULTS = [
    ("trespass", "Trespass", "warning", ["position", "location_detail"]),
    ("theft", "Theft", "warning", ["persons", "location_detail"]),
    ("vandalism", "Vandalism", "warning", ["location_detail", "photos"]),
    ("fire_alarm", "Fire / alarm", "critical", ["emergency", "location_detail"]),
    ("medical", "Medical emergency", "critical", ["emergency", "persons"]),
    ("parking_violation", "Parking violation", "info", ["unit_id", "photos"]),
    ("noise", "Noise complaint", "info", ["unit_id"]),
    ("suspicious_person", "Suspicious person", "warning", ["persons", "position"]),
    ("maintenance_hazard", "Maintenance hazard", "info", ["location_detail", "photos"]),
]


def seed(apps, schema_editor):
    Company = apps.get_model("accounts", "Company")
    IncidentType = apps.get_model("incidents", "IncidentType")
    for company in Company.objects.all():
        for code, name, severity, required in DEFAULTS:
            IncidentType.objects.get_or_create(
                company=company, code=code, defaults={"name": name, "severity": severity, "required_fields": required}
            )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("accounts", "0003_user_is_on_call")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
