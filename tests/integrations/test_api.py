"""The API creates and changes 培训意愿登记 and 企业缺工登记 (field-level Chinese errors, stable codes, region scoping,
Idempotency-Key) and each write lands in the outbox; the deliveries are read back scoped and masked."""

import pytest

from apps.core.models import AccessLog
from apps.integrations.models import OutboundMessage
from apps.training.models import Occupation, ShortageReport, TrainingWillingness
from tests.factories import EmployerFactory, PersonFactory
from tests.training.conftest import occupations  # noqa: F401 — the catalogue, as a fixture here

W = "/api/v1/training/willingness/"
SH = "/api/v1/training/shortages/"
D = "/api/v1/integrations/deliveries/"
NOT_FOUND = "记录不存在或无权访问。"


def messages(answer, field):
    return [item["message"] for item in answer.json()["fields"][field]]


@pytest.fixture
def two(occupations):  # noqa: F811
    return list(Occupation.objects.filter(is_active=True).order_by("code")[:2])


def test_create_willingness_pushes_it_and_replays_on_the_same_key(api_for, caseworker, two, outbound_dir,
                                                                  django_capture_on_commit_callbacks):
    person = PersonFactory(region_id="220102")
    api = api_for(caseworker)
    body = {"person": person.pk, "occupation_code": two[0].code, "target_group": "migrant_worker"}
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(W, body, format="json", headers={"Idempotency-Key": "w-1"})
    assert first.status_code == 201, first.json()
    assert first.json()["id_number"] != person.id_number and first.json()["id_number"].endswith(person.id_number[-4:])
    again = api.post(W, body, format="json", headers={"Idempotency-Key": "w-1"})
    assert (again.status_code, again.json()["id"]) == (201, first.json()["id"])
    assert TrainingWillingness.objects.count() == 1
    message = OutboundMessage.objects.get()
    assert (message.kind, message.event, message.status, message.source_id) == (
        "training.willingness", "created", "sent", first.json()["id"])
    duplicate = api.post(W, body, format="json", headers={"Idempotency-Key": "w-2"})
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "willingness_exists" and "occupation" in duplicate.json()["fields"]


def test_willingness_field_errors_are_chinese_and_another_regions_person_is_unknown(
        api_for, caseworker, two, outbound_dir):
    api = api_for(caseworker)
    elsewhere = PersonFactory(region_id="220204")
    answer = api.post(W, {"person": elsewhere.pk, "occupation_code": "NO-SUCH", "target_group": "x"}, format="json")
    assert answer.status_code == 400
    fields = answer.json()["fields"]
    assert messages(answer, "person") == [NOT_FOUND] and fields["person"][0]["code"] == "does_not_exist"
    assert "不在目录中" in messages(answer, "occupation_code")[0] and "target_group" in fields
    unknown = api.post(W, {"person": 99_999_999, "occupation_code": two[0].code, "target_group": "migrant_worker"},
                       format="json")
    assert messages(unknown, "person") == [NOT_FOUND]  # unknown and elsewhere answer alike
    nul = api.post(W, {"person": "1\x00", "occupation_code": "A\x00", "target_group": "migrant_worker"}, format="json")
    assert nul.status_code == 400 and messages(nul, "occupation_code") == ["请填写职业（工种）代码"]
    nul = api.post(SH, {"employer": 1, "occupation_code": "A\x00", "count": 1, "wage_min": "1", "wage_max": "2",
                        "reported_on": "2026-12-01\x00"}, format="json")
    assert nul.status_code == 400 and "occupation_code" in nul.json()["fields"]
    assert OutboundMessage.objects.count() == 0


def test_update_willingness_pushes_a_change_and_other_regions_are_404(api_for, caseworker, other_caseworker, two,
                                                                      outbound_dir):
    person = PersonFactory(region_id="220102")
    api = api_for(caseworker)
    created = api.post(W, {"person": person.pk, "occupation_code": two[0].code, "target_group": "migrant_worker"},
                       format="json").json()
    changed = api.patch(f"{W}{created['id']}/", {"target_group": "unemployed", "person": 1}, format="json")
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["target_group"], changed.json()["person"]) == ("unemployed", person.pk)
    assert list(OutboundMessage.objects.order_by("id").values_list("event", flat=True)) == ["created", "updated"]
    assert OutboundMessage.objects.order_by("id").last().payload["target_group"] == "unemployed"
    assert api_for(other_caseworker).patch(f"{W}{created['id']}/", {"target_group": "x"}, format="json"
                                           ).status_code == 404
    assert api_for(other_caseworker).get(f"{W}{created['id']}/").status_code == 404
    assert api.get(f"{W}abc/").status_code == 404
    assert api.put(f"{W}{created['id']}/", {}, format="json").status_code == 405
    assert api.get(f"{W}{created['id']}/").status_code == 200
    assert AccessLog.objects.filter(object_id=str(created["id"]), user=caseworker).exists()


def test_create_and_update_shortage(api_for, caseworker, other_caseworker, two, outbound_dir):
    employer = EmployerFactory(region_id="220102")
    api = api_for(caseworker)
    body = {"employer": employer.pk, "occupation_code": two[0].code, "count": 20, "wage_min": "4000.00",
            "wage_max": "6500.00", "reported_on": "2026-12-01"}
    created = api.post(SH, body, format="json", headers={"Idempotency-Key": "s-1"})
    assert created.status_code == 201, created.json()
    assert api.post(SH, body, format="json", headers={"Idempotency-Key": "s-1"}).json()["id"] == created.json()["id"]
    assert api.post(SH, {**body, "count": 21}, format="json", headers={"Idempotency-Key": "s-1"}
                    ).json()["code"] == "idempotency_key_reused"
    assert ShortageReport.objects.count() == 1
    pk = created.json()["id"]
    wrong = api.patch(f"{SH}{pk}/", {"wage_max": "100.00"}, format="json")
    assert (wrong.status_code, wrong.json()["fields"]["wage_max"]) == (
        400, [{"code": "invalid_wage_range", "message": "工资上限不能低于下限"}])
    assert messages(api.patch(f"{SH}{pk}/", {"count": 0}, format="json"), "count") == ["缺工人数至少为 1 人"]
    moved = api.patch(f"{SH}{pk}/", {"employer": EmployerFactory(region_id="220204").pk}, format="json")
    assert messages(moved, "employer") == [NOT_FOUND]
    ok = api.patch(f"{SH}{pk}/", {"count": 25, "occupation_code": two[1].code}, format="json")
    assert ok.status_code == 200 and ok.json()["count"] == 25
    events = list(OutboundMessage.objects.filter(kind="training.shortage").order_by("id")
                  .values_list("event", "payload__count"))
    assert events == [("created", 20), ("updated", 25)]
    assert api_for(other_caseworker).patch(f"{SH}{pk}/", {"count": 2}, format="json").status_code == 404
    elsewhere = api.post(SH, {**body, "employer": EmployerFactory(region_id="220204").pk}, format="json")
    assert elsewhere.status_code == 400 and messages(elsewhere, "employer") == [NOT_FOUND]


def test_deliveries_are_read_scoped_and_masked(api_for, caseworker, other_caseworker, two, outbound_dir,
                                               django_capture_on_commit_callbacks):
    person = PersonFactory(region_id="220102")
    with django_capture_on_commit_callbacks(execute=True):
        api_for(caseworker).post(W, {"person": person.pk, "occupation_code": two[0].code,
                                     "target_group": "migrant_worker"}, format="json")
    message = OutboundMessage.objects.get()
    listed = api_for(caseworker).get(D).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [message.pk]
    assert person.id_number not in str(listed)
    detail = api_for(caseworker).get(f"{D}{message.pk}/")
    assert detail.status_code == 200 and detail.json()["status_display"] == "已发送"
    assert detail.json()["payload"]["id_number"].endswith(person.id_number[-4:]) and person.id_number not in str(
        detail.json())
    assert api_for(other_caseworker).get(f"{D}{message.pk}/").status_code == 404
    other = api_for(other_caseworker).get(D).json()
    assert not (other["results"] if isinstance(other, dict) else other)
    assert api_for(caseworker).get(f"{D}?status=nonsense").status_code == 400
    assert api_for(caseworker).post(D, {}, format="json").status_code == 405
