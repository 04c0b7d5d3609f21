"""Names that explain: the training subsidy claim, distinct from childcare's operating-subsidy claim."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("training", "0002_load_occupations")]

    operations = [
        migrations.RenameModel("SubsidyClaim", "TrainingSubsidyClaim"),
        migrations.RenameModel("HistoricalSubsidyClaim", "HistoricalTrainingSubsidyClaim"),
    ]
