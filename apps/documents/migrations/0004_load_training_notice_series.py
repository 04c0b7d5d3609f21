"""Ships the 文号 series of the training subsidy claim notices (fixtures/notice_series.json), add-only like 0002.
The prefix 吉人社培补告 and the channel are placeholders until the issuing office's are entered (docs/documents.md)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.documents.series_fixtures import load_notice_series

    load_notice_series(model=apps.get_model("documents", "NoticeSeries"), region_model=apps.get_model("core", "Region"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_load_childcare_notice_series")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
