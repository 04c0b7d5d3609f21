"""Ships the 文号 series of the childcare claim notices (fixtures/notice_series.json), add-only like 0002."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.documents.series_fixtures import load_notice_series

    load_notice_series(model=apps.get_model("documents", "NoticeSeries"), region_model=apps.get_model("core", "Region"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_load_notice_series")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
