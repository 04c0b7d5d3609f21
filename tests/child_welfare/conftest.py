"""Cases built through the services, so tests see exactly what a caseworker would produce."""

import itertools
from datetime import date, timedelta

import pytest

from apps.child_welfare import services
from apps.child_welfare.models import Category, Domain, PlanItem, RiskLevel, Status
from apps.core.demo import make_id_number

_sequence = itertools.count(1)
MAIN_PATH = [Status.REPORTED, Status.VERIFIED, Status.ASSESSED, Status.PLANNED, Status.IN_SERVICE,
             Status.UNDER_REVIEW]


def child_id(region="220102", birth=date(2016, 3, 9), female=False) -> str:
    return make_id_number(region, birth, next(_sequence), female)


def report(user, *, region="220102", risk=RiskLevel.MEDIUM, categories=(Category.LEFT_BEHIND,), birth=None,
           reported_on=None, name="李小明", **extra):
    return services.case_report(
        user=user, child_id_number=child_id(region, birth or date(2016, 3, 9)), child_name=name,
        region_code=region, referral_source="school", risk_level=risk,
        categories=[(c, date(2025, 1, 1)) for c in categories], reported_on=reported_on,
        guardians=[{"name": "李奶奶", "relationship": "祖母", "situation": "normal"}], **extra)


def complete_assessment(user, case, severity="medium"):
    return services.assessment_create(user=user, case_id=case.pk, assessed_on=date.today(), summary="综合评估",
                                      domains={d: {"severity": severity, "needs": f"{d}需求"} for d in Domain.values})


def walk(user, case, target: str):
    """Take a case along the main path to `target` (the guards' preconditions are fulfilled on the way)."""
    case.refresh_from_db()
    steps = {
        Status.VERIFIED: lambda: (services.case_update(user=user, case_id=case.pk, expected_version=case.version,
                                                       data={"identity_verified": True, "documents_verified": True}),
                                  services.case_transition(user=user, case_id=case.pk, action="verify")),
        Status.ASSESSED: lambda: (complete_assessment(user, case),
                                  services.case_transition(user=user, case_id=case.pk, action="assess")),
        Status.PLANNED: lambda: (services.plan_item_save(
            user=user, case_id=case.pk, domain=Domain.EDUCATION, goal="按时上学", service="课业辅导",
            responsible_type=PlanItem.ResponsibleType.VOLUNTEER, responsible_name="志愿服务队",
            due_date=date.today() + timedelta(days=60), status=PlanItem.ItemStatus.PLANNED),
            services.case_transition(user=user, case_id=case.pk, action="plan")),
        Status.IN_SERVICE: lambda: services.case_transition(user=user, case_id=case.pk, action="start_service"),
        Status.UNDER_REVIEW: lambda: services.case_transition(user=user, case_id=case.pk, action="review"),
    }
    for status in MAIN_PATH[MAIN_PATH.index(case.status) + 1:MAIN_PATH.index(target) + 1]:
        steps[status]()
    case.refresh_from_db()
    return case


@pytest.fixture
def case(caseworker):
    return report(caseworker)


@pytest.fixture
def unassigned_caseworker(db):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    return UserFactory(username="cw_nanguan_2", role=User.Role.CASEWORKER, region_id="220102")
