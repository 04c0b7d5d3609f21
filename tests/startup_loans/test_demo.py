import random

from apps.accounts import demo as accounts_demo
from apps.startup_loans import demo
from apps.startup_loans.models import Lender, LoanApplication, RepaymentPeriod, SubsidyClaim


def test_demo_applications_in_several_states_and_idempotent(db):
    accounts_demo.seed(rng=random.Random(1))
    demo.seed(rng=random.Random(1))
    assert LoanApplication.objects.count() == len(demo.APPLICATIONS)
    assert set(LoanApplication.objects.values_list("status", flat=True)) == {"approved", "submitted"}
    assert LoanApplication.objects.filter(eligible=False).count() == 2  # over the term limit; no target group
    assert LoanApplication.objects.get(business_name="长春青创电商工作室").guaranteed_amount == 300000  # capped
    assert SubsidyClaim.objects.count() == 2 and RepaymentPeriod.objects.filter(claim__isnull=False).count() == 8
    assert Lender.objects.count() == len(demo.LENDERS)
    assert not LoanApplication.objects.filter(lender__isnull=True).exists()  # every loan at a lender of the 名录
    demo.seed(rng=random.Random(1))
    assert LoanApplication.objects.count() == len(demo.APPLICATIONS) and SubsidyClaim.objects.count() == 2
    assert Lender.objects.count() == len(demo.LENDERS)
