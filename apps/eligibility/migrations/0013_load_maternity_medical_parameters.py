"""Ships the maternity medical-cost rates (prenatal check-ups, family planning) through the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0012_merge_constraint_messages_and_sort_indexes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
