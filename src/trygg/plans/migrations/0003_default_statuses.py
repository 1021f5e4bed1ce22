"""Every organisation has the four measure statuses: those created before they were made with
the organisation get them here (core/defaults.py)."""

from django.db import migrations

# plans.services.DEFAULT_STATUSES as it stood when this migration was written.
STATUSES = [
    {"name": "Ej påbörjad", "category": "not_started", "default_progress": 0, "order": 0},
    {"name": "Pågående", "category": "ongoing", "default_progress": 50, "order": 1},
    {"name": "Slutförd", "category": "done", "default_progress": 100, "order": 2},
    {"name": "Inställd", "category": "cancelled", "default_progress": None, "order": 3},
]


def fill(apps, schema_editor):
    from trygg.core.defaults import fill_in_migration

    fill_in_migration(
        apps,
        schema_editor,
        app_label="plans",
        model_name="MeasureStatus",
        rows=STATUSES,
        migration="plans.0003_default_statuses",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_computed_targets"),
        ("core", "0005_audit_system_actor"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
