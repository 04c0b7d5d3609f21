"""Names that explain: a case's guardian, distinct from childcare's enrollment guardian."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("child_welfare", "0002_load_parameters")]

    operations = [
        migrations.RenameModel("Guardian", "CaseGuardian"),
        migrations.RenameModel("HistoricalGuardian", "HistoricalCaseGuardian"),
    ]
