"""Every organisation has the default incident categories: those created before they were made
with the organisation get them here (core/defaults.py)."""

from django.db import migrations

# incidents.services.DEFAULT_CATEGORIES as it stood when this migration was written.
CATEGORIES = [
    {"name": "Skadegörelse", "group": "miljo", "order": 10},
    {"name": "Klotter", "group": "miljo", "order": 20},
    {"name": "Nedskräpning", "group": "miljo", "order": 30},
    {"name": "Bristande belysning", "group": "miljo", "order": 40},
    {"name": "Otrygg plats", "group": "miljo", "order": 50},
    {"name": "Brand/anlagd brand", "group": "miljo", "order": 60},
    {"name": "Ungdomar som samlas/stök", "group": "ordning", "order": 70},
    {"name": "Misstänkt narkotikahandel", "group": "ordning", "order": 80},
    {"name": "Ordningsstörning", "group": "ordning", "order": 90},
    {"name": "Inbrott", "group": "ordning", "order": 100},
    {"name": "Stöld", "group": "ordning", "order": 110},
    {"name": "Hot/våld mot personal", "group": "person", "order": 120},
    {"name": "Övrigt", "group": "ordning", "order": 130},
]

# core.choices.PARTNER_KINDS: partners report under the kommun's categories.
PARTNER_KINDS = ("polis", "bostadsbolag", "forening", "foretag")


def fill(apps, schema_editor):
    from trygg.core.defaults import fill_in_migration

    fill_in_migration(
        apps,
        schema_editor,
        app_label="incidents",
        model_name="IncidentCategory",
        rows=CATEGORIES,
        migration="incidents.0008_default_categories",
        skip_kinds=PARTNER_KINDS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_incidentreport_org_id_index"),
        ("core", "0005_audit_system_actor"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
