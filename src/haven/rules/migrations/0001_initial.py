import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("places", "0002_load_administrative_units")]
    operations = [
        migrations.CreateModel(
            name="Parameter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(db_index=True, max_length=100, verbose_name="key")),
                ("value", models.JSONField(verbose_name="value")),
                ("valid_from", models.DateField(verbose_name="valid from")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="valid to")),
                ("source", models.CharField(max_length=300, verbose_name="source (law, decree, decision)")),
                ("description", models.CharField(blank=True, max_length=300, verbose_name="what it means")),
                ("province", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="places.province", verbose_name="province (empty: national)")),
            ],
            options={"verbose_name": "rule parameter", "verbose_name_plural": "rule parameters", "ordering": ["key", "province_id", "-valid_from"]},
        ),
        migrations.AddConstraint(
            model_name="parameter",
            constraint=models.UniqueConstraint(fields=("key", "province", "valid_from"), name="unique_parameter_version"),
        ),
    ]
