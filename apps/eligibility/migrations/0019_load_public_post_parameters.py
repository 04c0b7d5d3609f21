"""Ships the 公益性岗位 parameters (fixtures/policy_parameters/public_posts.json — 示例值: tenure limit, the
near-retirement years, the monthly post and social-insurance subsidies) through the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0018_load_fraud_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
