from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameters import FIXTURE, load_policy_parameters

    load_policy_parameters(FIXTURE, apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_initial"), ("core", "0002_load_regions")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
