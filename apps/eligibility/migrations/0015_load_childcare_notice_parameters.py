"""Ships the permitted uses of the 普惠托育服务补助 (printed on the claim's 告知书) through the one add-only loader."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters(model=apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0014_load_refund_notice_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
