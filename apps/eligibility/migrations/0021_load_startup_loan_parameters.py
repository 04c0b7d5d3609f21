"""Ships the 创业担保贷款 parameters (fixtures/policy_parameters/startup_loans.json — 示例值: the per-person cap, the
interest-subsidy share and the longest term) through the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0020_load_elderly_care_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
