"""Ship social.provincial_average_wage_by_year: the provincial average wage per wage year with the day it was
published (R2: the flexible workers' contribution base, rate and maternity benefits apply from the month after
the previous year's wage is published). Add-only, through the one loader, like 0005 (after 0008, so the row carries the citation fields)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0008_parameter_source_citation")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
