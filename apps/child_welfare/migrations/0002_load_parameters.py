from django.db import migrations


def forwards(apps, schema_editor):
    from apps.child_welfare.parameters import load_child_welfare_parameters

    load_child_welfare_parameters(apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("child_welfare", "0001_initial"), ("eligibility", "0002_load_policy_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
