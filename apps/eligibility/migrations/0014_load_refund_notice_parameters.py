"""Ships the permitted uses of refund money (printed on the 告知书) through the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0013_load_maternity_medical_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
