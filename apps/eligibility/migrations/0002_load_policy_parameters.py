"""Superseded: the shipped parameters are loaded once, add-only, by 0005_load_policy_parameters (one loader,
apps.eligibility.parameter_fixtures). Kept as a no-op so migrated databases keep their history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_initial"), ("core", "0002_load_regions")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
