from django.db import transaction

from apps.employers.models import Employer


@transaction.atomic
def employer_save(*, employer: Employer) -> Employer:
    employer.uscc = employer.uscc.strip().upper()
    employer.full_clean()
    employer.save()
    return employer
