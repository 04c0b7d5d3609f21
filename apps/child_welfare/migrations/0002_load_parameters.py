"""Superseded: the monitoring intervals are entries of fixtures/policy_parameters/child_welfare.json, loaded
add-only with every other domain by eligibility 0005_load_policy_parameters. Kept as a no-op."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("child_welfare", "0001_initial"), ("eligibility", "0002_load_policy_parameters")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
