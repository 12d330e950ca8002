"""Rule parameters of the referral network, each with its source.

"to confirm" marks a documented default awaiting a legal or provincial reading;
administrators supersede rows (a later valid_from), never code.
"""

import datetime

from django.db import migrations

LONG_AGO = datetime.date(2012, 1, 1)

RULES = [
    ("deadline.referral_response_days", 5, LONG_AGO,
     "Haven default (no legal limit found; to confirm per province)",
     "Days a receiving organisation has to accept or decline a referral"),
    ("directory.stale_after_days", 90, LONG_AGO,
     "Haven default (to confirm)",
     "Days after which a directory entry not confirmed current is flagged stale"),
]


def load(apps, schema_editor):
    Parameter = apps.get_model("rules", "Parameter")
    for key, value, since, source, description in RULES:
        Parameter.objects.update_or_create(
            key=key, province=None, valid_from=since,
            defaults={"value": value, "source": source, "description": description},
        )


def unload(apps, schema_editor):
    Parameter = apps.get_model("rules", "Parameter")
    Parameter.objects.filter(key__in=[r[0] for r in RULES], province=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_directory_referrals_assessments_activities"),
        ("rules", "0002_load_national_defaults"),
    ]
    operations = [migrations.RunPython(load, unload)]
