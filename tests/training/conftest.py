from datetime import date, timedelta

import pytest

from apps.core.demo import make_uscc
from apps.training.catalogue import load_occupations
from apps.training.models import Occupation, Program, Provider
from apps.training.services import ENROLLMENT_LIFECYCLE, MAIN_PATH, enrollment_register, enrollment_transition
from tests.factories import PersonFactory

# The lifecycle's happy path with the details each step needs (shared by the tests and the browser test).
STEP_PAYLOADS = {
    "complete": {"completed_on": "2026-04-30"},
    "assess": {"kind": "skill_level", "level": "junior", "number": "CERT-0001", "issued_on": "2026-05-10",
               "issuer": "吉林省职业技能鉴定中心"},
    "verify_employment": {"employment_evidence": "labour_contract", "employer_name": "长春市家政服务有限公司",
                          "employment_start": "2026-05-15", "monthly_wage": "4200.00"},
}
PATH_ACTIONS = {  # the action that leads into each state along the main path
    "enrolled": "enroll", "in_training": "start", "completed": "complete", "assessed": "assess",
    "employment_verified": "verify_employment", "subsidy_claimed": "claim_subsidy",
    "subsidy_publicizing": "publish", "approved": "approve", "paid": "pay",
}
PUBLISHED_DAYS_AGO = 30  # walk_to publishes this far back: the 公示 window has passed when it approves


@pytest.fixture
def occupations(db):
    if not Occupation.objects.exists():
        load_occupations(Occupation)
    return {o.code: o for o in Occupation.objects.all()}


_serial = iter(range(8_200_000, 8_300_000))


def make_provider(region_id="220102", **kwargs) -> Provider:
    return Provider.objects.create(uscc=make_uscc(region_id, next(_serial), "52"), name=kwargs.pop("name", "测试培训学校"),
                                   provider_type=kwargs.pop("provider_type", "training_institution"),
                                   region_id=region_id, **kwargs)


def make_program(occupations, region_id="220102", code=None, occupation="DOM-01", **kwargs) -> Program:
    provider = kwargs.pop("provider", None) or make_provider(region_id)
    defaults = {"name": "家政服务员初级班", "target_level": "junior", "funding_channel": "subsidised", "capacity": 30,
                "start_date": date(2026, 3, 1), "end_date": date(2026, 4, 30), "target_groups": ["migrant_worker"],
                "subsidy_key": "domestic_service"}
    defaults.update(kwargs)
    return Program.objects.create(code=code or f"P-{next(_serial)}", provider=provider,
                                  occupation=occupations[occupation], region_id=region_id, **defaults)


def make_enrollment(program, user, person=None, target_group="migrant_worker"):
    person = person or PersonFactory(region_id=program.region_id)
    return enrollment_register(person=person, program=program, target_group=target_group, user=user)


def first_reviewer():
    """The 初审 reviewer of walk_to and publicized(): neither the claimer nor the 复核 reviewer of a test."""
    from apps.accounts.models import User
    from tests.factories import UserFactory

    return (User.objects.filter(username="first_reviewer").first()
            or UserFactory(username="first_reviewer", role=User.Role.ADMINISTRATOR, region_id="220000"))


def publicized(claim, *, by=None, days_ago: int = PUBLISHED_DAYS_AGO):
    """A claimed claim through 初审 and 公示 whose window has passed (published `days_ago` days back) by a first
    reviewer of its own (not the claimer, not the caller's 复核 reviewer): ready for 复核 (approve). A
    training-subsidy claim moves its enrollment with it."""
    from apps.training.services import claim_move

    return claim_move(claim=claim, decision="publish", user=by or first_reviewer(),
                      today=date.today() - timedelta(days=days_ago))


def walk_to(enrollment, state: str, reviewer, caseworker=None, number: str | None = None):
    """Drive an enrollment along the main path up to `state` (or to dropped_out from registered). The 初审
    (publish) is made by first_reviewer() `PUBLISHED_DAYS_AGO` days back, so `reviewer` may make the 复核."""
    caseworker = caseworker or reviewer
    if state == "dropped_out":
        return enrollment_transition(enrollment=enrollment, action="drop_out", user=caseworker)
    for target in MAIN_PATH[1:MAIN_PATH.index(state) + 1]:
        action = PATH_ACTIONS[target]
        payload = dict(STEP_PAYLOADS.get(action, {}))
        if action == "assess":
            payload["number"] = number or f"CERT-{enrollment.pk:06d}"
        user = reviewer if ENROLLMENT_LIFECYCLE.get(action).roles else caseworker
        if action == "publish":
            user, payload["today"] = first_reviewer(), date.today() - timedelta(days=PUBLISHED_DAYS_AGO)
        enrollment = enrollment_transition(enrollment=enrollment, action=action, user=user, payload=payload)
    return enrollment
