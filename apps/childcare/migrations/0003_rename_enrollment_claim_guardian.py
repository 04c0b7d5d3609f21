"""Names that explain: one spelling (Enrollment), and the claim and guardian models named for what they are."""

from django.db import migrations


def rename_overlap_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE childcare_enrollment RENAME CONSTRAINT childcare_enrolment_no_overlap "
                          "TO childcare_enrollment_no_overlap")


def restore_overlap_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE childcare_enrollment RENAME CONSTRAINT childcare_enrollment_no_overlap "
                          "TO childcare_enrolment_no_overlap")


class Migration(migrations.Migration):
    dependencies = [
        ("childcare", "0002_enrolment_exclusion_and_parameters"),
        ("applicants", "0004_rename_insurance_enrollment"),
    ]

    operations = [
        migrations.RenameModel("Enrolment", "Enrollment"),
        migrations.RenameModel("HistoricalEnrolment", "HistoricalEnrollment"),
        migrations.RenameModel("Guardian", "EnrollmentGuardian"),
        migrations.RenameModel("HistoricalGuardian", "HistoricalEnrollmentGuardian"),
        migrations.RenameModel("SubsidyClaim", "OperatingSubsidyClaim"),
        migrations.RenameModel("HistoricalSubsidyClaim", "HistoricalOperatingSubsidyClaim"),
        # SQLite remakes the table on a rename and would rebuild these with the old field name: drop them
        # first; the next migration adds them back on the new field.
        migrations.RemoveConstraint("attendance", "childcare_attendance_once_per_month"),
        migrations.RemoveConstraint("enrollmentguardian", "childcare_guardian_once"),
        migrations.RenameField("attendance", "enrolment", "enrollment"),
        migrations.RenameField("historicalattendance", "enrolment", "enrollment"),
        migrations.RenameField("enrollmentguardian", "enrolment", "enrollment"),
        migrations.RenameField("historicalenrollmentguardian", "enrolment", "enrollment"),
        migrations.RunPython(rename_overlap_constraint, restore_overlap_constraint),
    ]
