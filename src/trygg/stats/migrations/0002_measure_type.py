from django.db import migrations, models

# The measure type the unit implied before the field existed: counts (and persons) were
# treated as counts, percentages as shares, values per 100 000 as rates.
UNIT_TO_MEASURE_TYPE = {"percent": "share", "per_100k": "rate"}


def give_existing_series_their_type(apps, schema_editor):
    IndicatorSeries = apps.get_model("stats", "IndicatorSeries")
    for unit, measure_type in UNIT_TO_MEASURE_TYPE.items():
        IndicatorSeries.objects.filter(unit=unit).update(measure_type=measure_type)


class Migration(migrations.Migration):

    dependencies = [
        ('stats', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='indicatorseries',
            name='measure_type',
            field=models.CharField(choices=[('count', 'Count'), ('rate', 'Rate'), ('share', 'Share'), ('index', 'Index'), ('net', 'Net figure'), ('amount', 'Amount')], default='count', help_text='Count, rate, share, index, net figure or amount. Trend verdicts are given for counts only.', max_length=16, verbose_name='measure type'),
        ),
        migrations.AlterField(
            model_name='indicatorseries',
            name='unit',
            field=models.CharField(choices=[('count', 'Count'), ('percent', 'Percent'), ('per_100k', 'Per 100 000 inhabitants'), ('persons', 'Persons'), ('index', 'Index'), ('other', 'Other unit')], max_length=16, verbose_name='unit'),
        ),
        migrations.RunPython(give_existing_series_their_type, migrations.RunPython.noop),
    ]
