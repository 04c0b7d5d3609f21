"""Databases migrated before training.follow_up_months existed receive it (the loader upserts, idempotent)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameters import FIXTURE, load_policy_parameters

    load_policy_parameters(FIXTURE, apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0003_determination_benefit_match")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
