"""Freeze every parameter version a stored decision already used (determinations, refund runs, childcare and
training claims), and let the database refuse what the service refuses: a frozen version's value, value type,
key, region or start date cannot change, its end date cannot move before the last day a decision applied it
on, it cannot be unfrozen and (PostgreSQL) not deleted. SQLite gets the update trigger only: Django's test
flush deletes every row there, and a table rebuild by a later migration drops SQLite triggers anyway — the
service and the admin are the guard that matters; the trigger is the backstop for SQL typed by hand."""

from datetime import date

from django.db import migrations
from django.utils import timezone

PG_CREATE = """
CREATE OR REPLACE FUNCTION eligibility_parameter_version_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.frozen_at IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'parameter_version_frozen: 政策参数版本 % 已被决定使用，不能删除', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.frozen_at IS NULL OR NEW.value IS DISTINCT FROM OLD.value OR NEW.value_type <> OLD.value_type
       OR NEW.key <> OLD.key OR NEW.region_id <> OLD.region_id OR NEW.valid_from <> OLD.valid_from
       OR (NEW.valid_to IS NOT NULL AND OLD.used_until IS NOT NULL AND NEW.valid_to < OLD.used_until) THEN
        RAISE EXCEPTION 'parameter_version_frozen: 政策参数版本 % 已被决定使用，参数值、有效期和区划不能修改，请新增版本', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS parameter_version_frozen_guard ON eligibility_policyparameter;
CREATE TRIGGER parameter_version_frozen_guard BEFORE UPDATE OR DELETE ON eligibility_policyparameter
    FOR EACH ROW EXECUTE FUNCTION eligibility_parameter_version_frozen();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS parameter_version_frozen_guard ON eligibility_policyparameter;
DROP FUNCTION IF EXISTS eligibility_parameter_version_frozen();
"""
SQLITE_CREATE = """
CREATE TRIGGER parameter_version_frozen_guard BEFORE UPDATE ON eligibility_policyparameter
FOR EACH ROW WHEN OLD.frozen_at IS NOT NULL AND (
    NEW.frozen_at IS NULL OR NEW.value IS NOT OLD.value OR NEW.value_type IS NOT OLD.value_type
    OR NEW.key IS NOT OLD.key OR NEW.region_id IS NOT OLD.region_id OR NEW.valid_from IS NOT OLD.valid_from
    OR (NEW.valid_to IS NOT NULL AND OLD.used_until IS NOT NULL AND NEW.valid_to < OLD.used_until))
BEGIN
    SELECT RAISE(ABORT, 'parameter_version_frozen: 政策参数版本已被决定使用，参数值、有效期和区划不能修改，请新增版本');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS parameter_version_frozen_guard;"


def _ids(versions) -> list[int]:
    values = versions.values() if isinstance(versions, dict) else versions
    out = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("version")
        text = str(value).removeprefix("override:").removeprefix("o")
        if text.isdigit():
            out.append(int(text))
    return out


def backfill(apps, schema_editor):
    uses: dict[int, date] = {}

    def use(versions, day):
        for pk in _ids(versions or []):
            uses[pk] = max(uses.get(pk, day), day)

    for versions, as_of in apps.get_model("eligibility", "Determination").objects.values_list(
            "parameter_versions", "as_of").iterator():
        use(versions, as_of)
    for versions, year in apps.get_model("refunds", "RefundRun").objects.values_list(
            "parameter_versions", "year").iterator():
        use(versions, date(year - 1, 12, 31))
    for versions, year in apps.get_model("childcare", "OperatingSubsidyClaim").objects.values_list(
            "parameter_versions", "year").iterator():
        use(versions, date(year, 12, 31))
    for versions, completed, end in apps.get_model("training", "TrainingSubsidyClaim").objects.values_list(
            "parameter_versions", "enrollment__completed_on", "enrollment__program__end_date").iterator():
        use(versions, completed or end)
    model = apps.get_model("eligibility", "PolicyParameter")
    now = timezone.now()
    for row in model.objects.filter(pk__in=list(uses)).only("pk", "valid_to"):
        day = uses[row.pk] if row.valid_to is None else min(uses[row.pk], row.valid_to)
        model.objects.filter(pk=row.pk).update(frozen_at=now, used_until=day)


def guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)
        schema_editor.execute(SQLITE_CREATE, params=None)


def unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0006_parameter_version_frozen"),
        ("refunds", "0004_chunk_worker"),
        ("childcare", "0004_enrollment_constraint_names"),
        ("training", "0003_rename_training_subsidy_claim"),
    ]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop),
                  migrations.RunPython(guard, unguard)]
