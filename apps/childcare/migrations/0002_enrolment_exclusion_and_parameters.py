"""PostgreSQL: no two enrolments of one child may overlap (inclusive dates; an open end is infinity).

The counting threshold policy parameter this migration used to load is an entry of
fixtures/policy_parameters/childcare.json now, loaded add-only with every other domain by
eligibility 0005_load_policy_parameters (the operation stays, as a no-op, so the plan is unchanged)."""

from django.db import migrations

CONSTRAINT = "childcare_enrolment_no_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: the service check (enrolment_save) is the guard
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE childcare_enrolment ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(child_id WITH =, daterange(start_date, end_date, '[]') WITH &&)"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE childcare_enrolment DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("childcare", "0001_initial"), ("eligibility", "0002_load_policy_parameters")]
    operations = [
        migrations.RunPython(add_exclusion, drop_exclusion),
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
