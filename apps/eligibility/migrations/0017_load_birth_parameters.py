"""Ships the births programmes' parameters (fixtures/policy_parameters/birth_reward.json,
border_village_birth.json, child_rearing.json — 示例值) through the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0016_load_childcare_publicity_parameter")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
