"""The one data migration of the shipped policy parameters (fixtures/policy_parameters/*.json, every domain).

Add-only (apps.eligibility.parameter_fixtures.load_policy_parameters): a version that exists — identified
by key, region and valid_from — is never changed, so an administrator's edit survives. A release that ships
new entries adds a migration like this one calling the same loader.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0004_reload_policy_parameters"), ("core", "0002_load_regions")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
