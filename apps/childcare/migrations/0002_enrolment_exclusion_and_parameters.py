"""PostgreSQL: no two enrolments of one child may overlap (inclusive dates; an open end is infinity).
Every database: the counting threshold policy parameter (apps/childcare/policy_parameters.json)."""

from pathlib import Path

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


def load_parameters(apps, schema_editor):
    from apps.eligibility.parameters import load_policy_parameters

    path = Path(__file__).resolve().parents[1] / "policy_parameters.json"
    load_policy_parameters(path, apps.get_model("eligibility", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("childcare", "0001_initial"), ("eligibility", "0002_load_policy_parameters")]
    operations = [
        migrations.RunPython(add_exclusion, drop_exclusion),
        migrations.RunPython(load_parameters, migrations.RunPython.noop),
    ]
