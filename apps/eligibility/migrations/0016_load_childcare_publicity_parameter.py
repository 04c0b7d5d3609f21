"""Ships childcare.publicity_working_days (fixtures/policy_parameters/childcare.json, a 示例值) through
the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0015_load_childcare_notice_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
