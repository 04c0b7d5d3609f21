"""Ships the 养老服务人才 parameters (fixtures/policy_parameters/elderly_care.json — 吉民发〔2024〕33号: the incentives'
示例值 amounts and periods, the 黑名单 公示 window, the 2025 social-worker target) through the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0019_load_public_post_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
