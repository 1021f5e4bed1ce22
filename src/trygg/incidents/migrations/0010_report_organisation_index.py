import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Index


def drop_organisation_index(apps, schema_editor):
    # The index Django made for the foreign key (db_index), dropped by name as AlterField
    # finds it, without remaking the table on SQLite. The composite indexes beginning with
    # the organisation (incidentreport_org_id and the others) serve its lookups.
    model = apps.get_model("incidents", "IncidentReport")
    column = model._meta.get_field("organisation").column
    for index in schema_editor._constraint_names(model, [column], index=True, type_=Index.suffix):
        schema_editor.execute(schema_editor._delete_index_sql(model, index))


def create_organisation_index(apps, schema_editor):
    model = apps.get_model("incidents", "IncidentReport")
    field = model._meta.get_field("organisation")
    schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_audit_system_actor"),
        ("incidents", "0009_partial_link_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(drop_organisation_index, create_organisation_index),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="incidentreport",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
        ),
    ]
