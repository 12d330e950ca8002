"""Fill Person.given_key (the folded last word of the name) for existing rows."""

import re
import unicodedata

from django.db import migrations


def fold_last_word(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = [w for w in re.split(r"[^0-9a-z]+", plain) if w]
    return words[-1][:60] if words else ""


def fill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("id", "full_name").iterator(chunk_size=2000):
        person.given_key = fold_last_word(person.full_name)
        batch.append(person)
        if len(batch) == 2000:
            Person.objects.bulk_update(batch, ["given_key"])
            batch = []
    Person.objects.bulk_update(batch, ["given_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0003_linkage_matches_and_merges")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
