"""PostgreSQL: employers_contribution becomes a table partitioned by year of `period` (issue 17, docs/scaling.md).

One partition per calendar year 2000–2040 (`employers_contribution_y2000` …) and a default partition for any
other period, so no insert can fail for want of a partition. A statement that bounds `period` reads only the
partitions it needs (the refund facts statement never reads years after the facts year), and an old year can
be detached (`manage.py contribution_partitions --detach YEAR`, which refuses a year still holding arrears).

What PostgreSQL requires of a partitioned table, and how the model still holds:
- the primary key includes the partition key: it is (id, period). `id` still comes from one sequence, so it
  stays unique, and Django keeps addressing rows by `id`;
- before PostgreSQL 17 a partitioned table cannot have an identity column: `id` defaults to a sequence owned by
  the column (what `pg_get_serial_sequence` and Django's sequence reset look for);
- every other constraint and index is recreated from the old table's own definitions, under the same names.

The rows are copied in one INSERT … SELECT inside the migration's transaction: on a large existing table that
is the migration's cost (about the time of a first import of the same rows). SQLite is left unchanged.
"""

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2000, 2040
COLUMNS = "id, period, insured_headcount, amount_due, paid_employer, paid_employee, late_fee, employer_id, import_batch_id"


def partition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'employers_contribution'::regclass")
        if cursor.fetchone()[0] == "p":
            return
        cursor.execute("""SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
                          WHERE conrelid = 'employers_contribution'::regclass ORDER BY contype DESC, conname""")
        constraints = cursor.fetchall()
        cursor.execute("""SELECT indexname, indexdef FROM pg_indexes
                          WHERE schemaname = current_schema() AND tablename = 'employers_contribution'
                            AND indexname NOT IN (SELECT conname FROM pg_constraint
                                                  WHERE conrelid = 'employers_contribution'::regclass)""")
        indexes = cursor.fetchall()
        cursor.execute("""
            CREATE TABLE employers_contribution_new (
                id bigint NOT NULL,
                period date NOT NULL,
                insured_headcount integer NOT NULL,
                amount_due numeric(14, 2) NOT NULL,
                paid_employer numeric(14, 2) NOT NULL,
                paid_employee numeric(14, 2) NOT NULL,
                late_fee numeric(14, 2) NOT NULL,
                employer_id bigint NOT NULL,
                import_batch_id bigint NULL
            ) PARTITION BY RANGE (period)""")
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            cursor.execute(f"CREATE TABLE employers_contribution_y{year} PARTITION OF employers_contribution_new "
                           f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')")
        cursor.execute("CREATE TABLE employers_contribution_default PARTITION OF employers_contribution_new DEFAULT")
        cursor.execute(f"INSERT INTO employers_contribution_new ({COLUMNS}) SELECT {COLUMNS} FROM employers_contribution")
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM employers_contribution")
        next_id = cursor.fetchone()[0] + 1
        cursor.execute("DROP TABLE employers_contribution")
        cursor.execute("ALTER TABLE employers_contribution_new RENAME TO employers_contribution")
        cursor.execute("CREATE SEQUENCE employers_contribution_id_seq AS bigint OWNED BY employers_contribution.id")
        cursor.execute("SELECT setval('employers_contribution_id_seq', %s, false)", [next_id])
        cursor.execute("ALTER TABLE employers_contribution ALTER COLUMN id SET DEFAULT "
                       "nextval('employers_contribution_id_seq')")
        for name, kind, definition in constraints:
            if kind == "p":
                definition = "PRIMARY KEY (id, period)"
            cursor.execute(f'ALTER TABLE employers_contribution ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("employers", "0009_merge_contact_email_and_sort_indexes"),
    ]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
