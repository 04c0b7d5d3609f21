"""PostgreSQL backs up "an approved run is frozen": rows of an approved or exported run cannot be updated or
deleted, whatever code (or person with a SQL prompt) tries. Inserts are not checked (COPY stays fast); a
run only takes inserts while it is computing, which the chunk service checks under the chunk lock."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION refunds_result_frozen() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM refunds_refundrun WHERE id = OLD.run_id AND status IN ('approved', 'exported')) THEN
        RAISE EXCEPTION '稳岗返还批次 % 已审核通过，结果不可修改', OLD.run_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS refunds_result_frozen ON refunds_refundresult;
CREATE TRIGGER refunds_result_frozen BEFORE UPDATE OR DELETE ON refunds_refundresult
    FOR EACH ROW EXECUTE FUNCTION refunds_result_frozen();
"""
DROP = """
DROP TRIGGER IF EXISTS refunds_result_frozen ON refunds_refundresult;
DROP FUNCTION IF EXISTS refunds_result_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("refunds", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
