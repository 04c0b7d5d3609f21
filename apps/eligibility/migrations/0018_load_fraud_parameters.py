"""Ships fraud.fine_multiple and fraud.direct_settlement_suspension_months (fixtures/policy_parameters/fraud.json)
through the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0017_load_birth_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
