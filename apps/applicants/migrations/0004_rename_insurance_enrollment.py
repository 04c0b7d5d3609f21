"""One spelling: Enrollment."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("applicants", "0003_list_sort_indexes")]

    operations = [
        migrations.RenameModel("InsuranceEnrolment", "InsuranceEnrollment"),
        migrations.RenameModel("HistoricalInsuranceEnrolment", "HistoricalInsuranceEnrollment"),
    ]
