from django.db import migrations, models

from emulation.text import search_key


def fill_search_keys(apps, schema_editor):
    Organization = apps.get_model("federation", "Organization")
    batch = []
    for org in Organization.objects.only("id", "name", "short_name", "code").iterator(chunk_size=2000):
        org.search_key = search_key(f"{org.name} | {org.short_name} | {org.code}")[:400]
        batch.append(org)
        if len(batch) >= 2000:
            Organization.objects.bulk_update(batch, ["search_key"])
            batch = []
    Organization.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("federation", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_key",
            field=models.CharField(blank=True, editable=False, max_length=400),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
    ]
