"""Chain columns on the statistics facts (see reports.factstore) and an index to find a
person's facts; 0010 fills them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_indicator_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="statisticsfact",
            name="next_day",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="statisticsfact",
            name="prior_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="statisticsfact",
            name="prior_day",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="statisticsfact",
            name="prior_payer_day",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="statisticsfact",
            name="prior_source_day",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="statisticsfact",
            name="prior_type_day",
            field=models.DateField(null=True),
        ),
        migrations.AddIndex(
            model_name="statisticsfact",
            index=models.Index(fields=["person"], name="haven_fact_person"),
        ),
    ]
