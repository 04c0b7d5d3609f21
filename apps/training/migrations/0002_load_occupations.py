from django.db import migrations


def load(apps, schema_editor):
    from apps.training.catalogue import load_occupations

    load_occupations(apps.get_model("training", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
