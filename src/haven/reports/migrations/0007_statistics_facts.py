"""Facts kept ready for the statistics (PostgreSQL): the table, the triggers that keep it,
and every fact of the registry computed once (see reports.factstore)."""

from django.db import migrations, models


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from haven.reports import factstore

    with schema_editor.connection.cursor() as cursor:
        factstore.install(cursor)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from haven.reports import factstore

    with schema_editor.connection.cursor() as cursor:
        factstore.uninstall(cursor)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_job_heartbeat'),
        ('cases', '0005_case_name_key'),
        ('people', '0007_lookup_split'),
        ('support', '0001_plans_services_safety_follow_up_closure'),
        ('agencies', '0001_initial'),
        ('places', '0002_load_administrative_units'),
        ('referrals', '0002_load_referral_rules'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatisticsFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.PositiveSmallIntegerField()),
                ('event_id', models.BigIntegerField()),
                ('case_id', models.BigIntegerField()),
                ('person', models.BigIntegerField()),
                ('at', models.DateTimeField(null=True)),
                ('day', models.DateField(null=True)),
                ('opened_at', models.DateTimeField(null=True)),
                ('scope_a', models.BigIntegerField(null=True)),
                ('scope_b', models.BigIntegerField(null=True)),
                ('province', models.BigIntegerField(null=True)),
                ('former', models.BigIntegerField(null=True)),
                ('route', models.TextField(null=True)),
                ('role', models.TextField(null=True)),
                ('sex', models.TextField(null=True)),
                ('age', models.IntegerField(null=True)),
                ('ethnicity', models.BigIntegerField(null=True)),
                ('destination', models.BigIntegerField(null=True)),
                ('forms', models.TextField(null=True)),
                ('re', models.BooleanField()),
                ('status', models.TextField()),
                ('support_type', models.TextField()),
                ('cost', models.DecimalField(decimal_places=2, max_digits=14, null=True)),
                ('paid_by', models.BigIntegerField(null=True)),
                ('funding_source', models.TextField()),
                ('first_of_case', models.BooleanField()),
                ('flag', models.BooleanField(null=True)),
                ('until', models.DateTimeField(null=True)),
                ('k_province', models.TextField()),
                ('k_former', models.TextField()),
                ('k_route', models.TextField()),
                ('k_role', models.TextField()),
                ('k_sex', models.TextField()),
                ('k_age', models.TextField()),
                ('k_child', models.TextField()),
                ('k_ethnicity', models.TextField()),
                ('k_destination', models.TextField()),
            ],
            options={
                'indexes': [models.Index(fields=['case_id'], name='haven_fact_case'), models.Index(fields=['kind', 'at'], name='haven_fact_at'), models.Index(fields=['kind', 'day'], name='haven_fact_day')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
