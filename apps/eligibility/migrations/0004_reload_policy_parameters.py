"""Superseded: this "reload" overwrote versions an administrator may have edited. The shipped parameters
are now loaded add-only by 0005_load_policy_parameters. Kept as a no-op so migrated databases keep their
history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0003_determination_benefit_match")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
