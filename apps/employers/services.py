import logging

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.bank import validate_bank_account
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.scoping import user_can_see_region
from apps.employers.models import Contribution, Employer

logger = logging.getLogger(__name__)


def _as_application_error(error: ValidationError) -> ApplicationError:
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return ApplicationError("validation_error", next(iter(fields.values()))[0], fields)


@transaction.atomic
def employer_save(*, employer: Employer, user=None) -> Employer:
    """Create or update. `user` None is a trusted caller (a service that checked the region already)."""
    employer.uscc = (employer.uscc or "").strip().upper()
    if user is not None and not user_can_see_region(user, employer.region_id):
        raise ApplicationError("region_out_of_scope", "所选区划不在您的经办范围内。",
                               {"region": ["所选区划不在您的经办范围内。"]})
    if Employer.objects.filter(uscc=employer.uscc).exclude(pk=employer.pk).exists():
        # One employer, one record: the USCC is unique; a second registration is a conflict, not a field typo.
        raise ConflictError("employer_exists", "该统一社会信用代码已登记。", {"uscc": ["该统一社会信用代码已登记。"]})
    if not employer.serious_dishonesty:
        employer.dishonesty_date, employer.dishonesty_source = None, ""
    _clean_bank_details(employer)
    try:
        employer.full_clean()
    except ValidationError as error:
        raise _as_application_error(error) from error
    creating = employer.pk is None
    employer.save()
    logger.info("employer saved", extra={"employer_id": employer.pk, "is_new": creating})
    return employer


BANK_FIELDS = ("bank_name", "bank_account", "bank_account_name")


def _clean_bank_details(employer: Employer) -> None:
    """The three bank fields go together; the account is stored normalised (digits only). A refusal carries the
    validator's own code (bank_account_too_short, …) so an API client can tell the cases apart."""
    employer.bank_name = (employer.bank_name or "").strip()
    employer.bank_account_name = (employer.bank_account_name or "").strip()
    employer.bank_account = (employer.bank_account or "").strip()
    if not any(getattr(employer, name) for name in BANK_FIELDS):
        return
    if employer.bank_account:
        try:
            employer.bank_account = validate_bank_account(employer.bank_account)
        except ValidationError as error:
            message = str(error.messages[0])
            raise ApplicationError(error.code or "bank_account_invalid", message, {"bank_account": [message]}) from error
    missing = {name: ["开户银行、银行账号、户名须一并填写"] for name in BANK_FIELDS if not getattr(employer, name)}
    if missing:
        raise ApplicationError("bank_details_incomplete", "开户银行、银行账号、户名须一并填写", missing)


@transaction.atomic
def contribution_save(*, contribution: Contribution) -> Contribution:
    contribution.period = contribution.period.replace(day=1)
    try:
        contribution.full_clean()
    except ValidationError as error:
        raise _as_application_error(error) from error
    contribution.save()
    return contribution


# --- Bulk writes for file imports ---------------------------------------------------------------------------
# Called by apps.imports once a whole file has validated, one chunk at a time, inside the import's
# transaction. Each returns (created, updated, unchanged) so a re-import of the same file reports 0/0/n and
# writes nothing.

EMPLOYER_IMPORT_FIELDS = ("name", "entity_type", "industry", "employees", "revenue_10k", "assets_10k", "region_id",
                          "serious_dishonesty")
CONTRIBUTION_IMPORT_FIELDS = ("insured_headcount", "amount_due", "paid_employer", "paid_employee", "late_fee")


@transaction.atomic
def employers_upsert(*, rows: list[dict], user=None, reason: str = "") -> tuple[int, int, int]:
    """Upsert on the USCC with a simple-history record for every created or changed employer."""
    existing = {e.uscc: e for e in Employer.objects.filter(uscc__in=[row["uscc"] for row in rows])}
    new, changed, now = [], [], timezone.now()
    for row in rows:
        employer = existing.get(row["uscc"])
        if employer is None:
            new.append(Employer(uscc=row["uscc"], **{name: row[name] for name in EMPLOYER_IMPORT_FIELDS}))
            continue
        if all(getattr(employer, name) == row[name] for name in EMPLOYER_IMPORT_FIELDS):
            continue
        for name in EMPLOYER_IMPORT_FIELDS:
            setattr(employer, name, row[name])
        if not employer.serious_dishonesty:
            employer.dishonesty_date, employer.dishonesty_source = None, ""
        employer.updated_at = now
        changed.append(employer)
    if new:
        bulk_create_with_history(new, Employer, batch_size=1000, default_user=user, default_change_reason=reason)
    if changed:
        bulk_update_with_history(changed, Employer, [*EMPLOYER_IMPORT_FIELDS, "dishonesty_date", "dishonesty_source",
                                                     "updated_at"],
                                 batch_size=1000, default_user=user, default_change_reason=reason)
    logger.info("employers upserted", extra={"rows_created": len(new), "rows_updated": len(changed),
                                              "rows_unchanged": len(rows) - len(new) - len(changed)})
    return len(new), len(changed), len(rows) - len(new) - len(changed)


@transaction.atomic
def contributions_upsert(*, rows: list[dict], import_batch=None) -> tuple[int, int, int]:
    """INSERT … ON CONFLICT (employer, period) DO UPDATE for the rows that are new or differ; rows equal to
    what is stored are not written at all. No per-row history: the rows point at their ImportBatch."""
    existing = {
        (employer_id, period): tuple(values)
        for employer_id, period, *values in Contribution.objects.filter(
            employer_id__in={row["employer_id"] for row in rows}, period__in={row["period"] for row in rows},
        ).values_list("employer_id", "period", *CONTRIBUTION_IMPORT_FIELDS)
    }
    created = updated = 0
    writes = []
    for row in rows:
        values = tuple(row[name] for name in CONTRIBUTION_IMPORT_FIELDS)
        old = existing.get((row["employer_id"], row["period"]))
        if old == values:
            continue
        if old is None:
            created += 1
        else:
            updated += 1
        writes.append(Contribution(employer_id=row["employer_id"], period=row["period"], import_batch=import_batch,
                                   **dict(zip(CONTRIBUTION_IMPORT_FIELDS, values, strict=True))))
    if writes:
        Contribution.objects.bulk_create(
            writes, batch_size=1000, update_conflicts=True, unique_fields=["employer", "period"],
            update_fields=[*CONTRIBUTION_IMPORT_FIELDS, "import_batch"],
        )
    logger.info("contributions upserted", extra={"rows_created": created, "rows_updated": updated,
                                                  "rows_unchanged": len(rows) - created - updated})
    return created, updated, len(rows) - created - updated


def contributions_upsert_from(*, table: str, import_batch) -> tuple[int, int, int]:
    """The same upsert as `contributions_upsert`, set-based (PostgreSQL): every row of `table` (columns uscc,
    period and CONTRIBUTION_IMPORT_FIELDS; every employer registered, every key once) in one INSERT … SELECT …
    ON CONFLICT (employer, period) DO UPDATE … WHERE the stored values are distinct — an equal row is not
    written (it keeps the batch that wrote it). Returns (created, updated, unchanged)."""
    fields = ", ".join(CONTRIBUTION_IMPORT_FIELDS)
    source = ", ".join(f"r.{name}" for name in CONTRIBUTION_IMPORT_FIELDS)
    assign = ", ".join(f"{name} = EXCLUDED.{name}" for name in (*CONTRIBUTION_IMPORT_FIELDS, "import_batch_id"))
    stored = ", ".join(f"c.{name}" for name in CONTRIBUTION_IMPORT_FIELDS)
    incoming = ", ".join(f"EXCLUDED.{name}" for name in CONTRIBUTION_IMPORT_FIELDS)
    # The rows to write are found first, by one join (read only): a new key or different values. An unchanged
    # row is then never touched — ON CONFLICT DO UPDATE would lock it (and dirty its page) even when its WHERE
    # refuses the update; the re-import of an unchanged file writes nothing. Created = the new keys (`RETURNING
    # xmax = 0` cannot be asked of a partitioned table, as contributions are on PostgreSQL: migration employers
    # 0010); updated = what was written beyond them; the ON CONFLICT stays for a key stored meanwhile.
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH changed AS MATERIALIZED (
                SELECT e.id AS employer_id, r.period, {source}, c.employer_id IS NULL AS new
                FROM {table} r JOIN {Employer._meta.db_table} e ON e.uscc = r.uscc
                LEFT JOIN {Contribution._meta.db_table} c ON c.employer_id = e.id AND c.period = r.period
                WHERE c.employer_id IS NULL OR ({stored}) IS DISTINCT FROM ({source})),
            written AS (
                INSERT INTO {Contribution._meta.db_table} AS c (employer_id, period, {fields}, import_batch_id)
                SELECT r.employer_id, r.period, {source}, %(batch)s FROM changed r
                ON CONFLICT (employer_id, period) DO UPDATE SET {assign}
                WHERE ({stored}) IS DISTINCT FROM ({incoming})
                RETURNING 1)
            SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM changed WHERE new),
                   (SELECT count(*) FROM {table})""",
                       {"batch": import_batch.pk if import_batch else None})
        written, created, total = cursor.fetchone()
    updated = written - created
    logger.info("contributions upserted", extra={"rows_created": created, "rows_updated": updated,
                                                  "rows_unchanged": total - created - updated})
    return created, updated, total - created - updated
