"""The PostgreSQL guard of frozen results (0002) covers the payment states too: a run that has been issued
or reconciled is as frozen as an approved one."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION refunds_result_frozen() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM refunds_refundrun WHERE id = OLD.run_id
               AND status IN ({statuses})) THEN
        RAISE EXCEPTION '稳岗返还批次 % 已审核通过，结果不可修改', OLD.run_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;
"""
WITH_PAYMENT = FUNCTION.format(statuses="'approved', 'exported', 'issued', 'reconciled'")
WITHOUT_PAYMENT = FUNCTION.format(statuses="'approved', 'exported'")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITH_PAYMENT, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITHOUT_PAYMENT, params=None)


class Migration(migrations.Migration):
    dependencies = [("refunds", "0007_run_issued_reconciled_transitions")]
    operations = [migrations.RunPython(forwards, backwards)]
