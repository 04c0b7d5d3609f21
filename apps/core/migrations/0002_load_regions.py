from django.db import migrations


def forwards(apps, schema_editor):
    from apps.core.regions import load_regions

    load_regions(apps.get_model("core", "Region"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
