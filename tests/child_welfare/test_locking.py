"""No lost updates: the second save of a stale version is refused with the other person's change shown."""

from datetime import date

import pytest
from django.urls import reverse

from apps.child_welfare import services
from apps.child_welfare.models import Domain
from apps.core.exceptions import ApplicationError, ConflictError
from tests.child_welfare.conftest import complete_assessment

pytestmark = pytest.mark.django_db


def test_service_refuses_a_stale_case_save_with_the_other_persons_value(caseworker, supervisor, case):
    loaded = case.version
    services.case_update(user=supervisor, case_id=case.pk, expected_version=loaded, data={"village": "明珠社区"})
    with pytest.raises(services.StaleVersionError) as stale:
        services.case_update(user=caseworker, case_id=case.pk, expected_version=loaded, data={"village": "新春社区"})
    assert isinstance(stale.value, ConflictError) and stale.value.code == "stale_version"
    assert "明珠社区" in stale.value.fields["village"][0] and str(supervisor) in stale.value.message
    case.refresh_from_db()
    assert case.village == "明珠社区" and case.version == loaded + 1


def test_api_returns_409_with_the_other_persons_change(caseworker, supervisor, case, api_for):
    url = f"/api/v1/child-welfare/cases/{case.pk}/"
    first = api_for(supervisor).patch(url, {"version": case.version, "household_situation": "母亲已返乡"},
                                      format="json")
    assert first.status_code == 200 and first.json()["version"] == case.version + 1
    second = api_for(caseworker).patch(url, {"version": case.version, "household_situation": "仍由祖母照顾"},
                                       format="json")
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "stale_version" and "母亲已返乡" in body["fields"]["household_situation"][0]["message"]
    missing = api_for(caseworker).patch(url, {"household_situation": "x"}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "version_required"


def test_ui_rerenders_the_form_with_a_clear_message(caseworker, supervisor, case, client_for):
    url = reverse("child_welfare:case-edit", args=[case.pk])
    form = {"version": case.version, "referral_source": "school", "township": "曙光街道", "village": "甲社区"}
    services.case_update(user=supervisor, case_id=case.pk, expected_version=case.version, data={"village": "乙社区"})
    response = client_for(caseworker).post(url, form)
    html = response.content.decode()
    assert response.status_code == 200 and "您的保存未生效" in html and "乙社区" in html
    assert f'name="version" value="{case.version + 1}"' in html  # a second submit applies on top of theirs
    case.refresh_from_db()
    assert case.village == "乙社区"
    form["version"] = case.version
    assert client_for(caseworker).post(url, form).status_code == 302
    case.refresh_from_db()
    assert case.village == "甲社区"


def test_assessment_conflict_in_api_and_ui(caseworker, supervisor, case, api_for, client_for):
    assessment = complete_assessment(caseworker, case)
    url = f"/api/v1/child-welfare/assessments/{assessment.pk}/"
    domains = [{"domain": d, "severity": "high", "needs": "重度"} for d in Domain.values]
    ok = api_for(supervisor).patch(url, {"version": 1, "domains": domains}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api_for(caseworker).patch(url, {"version": 1, "summary": "我的意见"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"

    form = {"version": 2, "assessed_on": date.today().isoformat(), "summary": "s"}
    for d in Domain.values:
        form[f"{d}_severity"], form[f"{d}_needs"] = "low", "轻度"
    services.assessment_update(user=supervisor, assessment_id=assessment.pk, expected_version=2,
                               assessed_on=date.today(), summary="审核人修改",
                               domains={d: {"severity": "medium", "needs": "中度"} for d in Domain.values})
    page = client_for(caseworker).post(reverse("child_welfare:assessment-edit", args=[case.pk, assessment.pk]), form)
    html = page.content.decode()
    assert page.status_code == 200 and "您的保存未生效" in html and "审核人修改" in html


def test_risk_change_needs_a_reason_and_the_current_version(caseworker, case):
    with pytest.raises(ApplicationError) as no_reason:
        services.case_set_risk(user=caseworker, case_id=case.pk, expected_version=case.version, risk_level="high",
                               reason=" ")
    assert no_reason.value.code == "reason_required"
    case = services.case_set_risk(user=caseworker, case_id=case.pk, expected_version=case.version,
                                  risk_level="high", reason="发现受侵害迹象")
    assert case.risk_changes.last().reason == "发现受侵害迹象"
    with pytest.raises(services.StaleVersionError):
        services.case_set_risk(user=caseworker, case_id=case.pk, expected_version=case.version - 1,
                               risk_level="low", reason="x")


def test_transition_with_a_stale_version_is_refused(caseworker, case, api_for):
    response = api_for(caseworker).post(f"/api/v1/child-welfare/cases/{case.pk}/transitions/",
                                        {"action": "close", "closure_reason": "resolved", "reason": "x",
                                         "version": case.version - 1 if case.version > 1 else 99}, format="json")
    assert response.status_code == 409


def test_the_conflict_names_who_saved_the_current_version_not_the_last_history_row(caseworker, supervisor, case):
    """A history row that did not change the version (a recorded write that is not an edit of the form, e.g.
    the admin's or a task's) is not "the person who changed it": the 409 names whoever saved the version the
    stale form is behind."""
    from apps.child_welfare.models import Case
    from apps.child_welfare.services.locking import save_recorded
    from tests.factories import UserFactory

    loaded = case.version
    services.case_update(user=supervisor, case_id=case.pk, expected_version=loaded, data={"village": "明珠社区"})
    bystander = UserFactory(username="zhang_bystander", region_id=case.region_id)
    save_recorded(Case.objects.get(pk=case.pk), bystander, "备注")  # same version, a later history row
    with pytest.raises(services.StaleVersionError) as stale:
        services.case_update(user=caseworker, case_id=case.pk, expected_version=loaded, data={"village": "新春社区"})
    assert str(supervisor) in stale.value.message and str(bystander) not in stale.value.message
    assert stale.value.changed_by == str(supervisor)
    assert str(supervisor) in stale.value.fields["village"][0]
