"""The API lists of 培训意愿登记, 企业缺工登记 and 对外推送 filter through their django-filter FilterSets (run in the
selector: a value that does not parse is the house 400 `invalid_filter`), inside the caller's region, and the
OpenAPI schema lists each filter."""

from datetime import date

import pytest

from apps.integrations.models import OutboundMessage
from apps.training.models import Occupation, ShortageReport, TrainingWillingness
from tests.factories import EmployerFactory, PersonFactory
from tests.gig.conftest import villages  # noqa: F401 — 永吉街道 and 永吉社区 under 南关区
from tests.training.conftest import occupations  # noqa: F401 — the catalogue, as a fixture here

pytestmark = pytest.mark.django_db
W = "/api/v1/training/willingness/"
SH = "/api/v1/training/shortages/"
D = "/api/v1/integrations/deliveries/"


def ids(answer) -> list[int]:
    assert answer.status_code == 200, answer.content
    body = answer.json()
    return sorted(row["id"] for row in (body["results"] if isinstance(body, dict) else body))


@pytest.fixture
def two(occupations):  # noqa: F811
    return list(Occupation.objects.filter(is_active=True).order_by("code")[:2])


@pytest.fixture
def willingness(two, outbound_dir, villages):  # noqa: F811
    """Three in 南关区 (two occupations, two target groups, two dates) and one in 船营区."""
    zhang = PersonFactory(region_id="220102", name="张桂兰")
    li = PersonFactory(region_id="220102", name="李建国")
    rows = [TrainingWillingness.objects.create(person=zhang, occupation=two[0], target_group="migrant_worker",
                                               registered_on=date(2026, 11, 2), region_id=zhang.region_id),
            TrainingWillingness.objects.create(person=zhang, occupation=two[1], target_group="migrant_worker",
                                               registered_on=date(2026, 12, 1), region_id=zhang.region_id),
            TrainingWillingness.objects.create(person=li, occupation=two[0], target_group="unemployed",
                                               registered_on=date(2026, 12, 3), region_id="220102001001")]  # his 社区
    elsewhere = PersonFactory(region_id="220204", name="张志强")
    TrainingWillingness.objects.create(person=elsewhere, occupation=two[0], target_group="migrant_worker",
                                       registered_on=date(2026, 12, 1), region_id="220204")
    return zhang, li, rows


def test_willingness_filters(api_for, caseworker, two, willingness):
    zhang, li, (z0, z1, l0) = willingness
    api = api_for(caseworker)
    assert ids(api.get(W)) == sorted([z0.pk, z1.pk, l0.pk])  # not 船营区's
    assert ids(api.get(W, {"occupation": two[0].code})) == sorted([z0.pk, l0.pk])
    assert ids(api.get(W, {"target_group": "unemployed"})) == [l0.pk]
    assert ids(api.get(W, {"person": zhang.pk})) == sorted([z0.pk, z1.pk])
    assert ids(api.get(W, {"q": "张"})) == sorted([z0.pk, z1.pk])  # 船营区's 张志强 stays out
    assert ids(api.get(W, {"q": li.id_number})) == [l0.pk]
    assert ids(api.get(W, {"registered_from": "2026-12-01", "registered_to": "2026-12-02"})) == [z1.pk]
    assert ids(api.get(W, {"region": "220102001"})) == [l0.pk]
    wrong = api.get(W, {"registered_from": "12/01/2026", "target_group": "nobody"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_filter"
    assert set(wrong.json()["fields"]) == {"registered_from", "target_group"}
    assert api.get(f"{W}{z0.pk}/", {"target_group": "unemployed"}).status_code == 200  # a read is not filtered


def test_shortage_filters(api_for, caseworker, two, outbound_dir, villages):  # noqa: F811
    shunda = EmployerFactory(region_id="220102", name="长春市顺达物流有限公司")
    other = EmployerFactory(region_id="220102", name="南关区幸福物业有限公司")

    def report(employer, occupation, on, region):
        return ShortageReport.objects.create(employer=employer, occupation=occupation, count=5, wage_min=4000,
                                             wage_max=6000, reported_on=on, region_id=region)

    a = report(shunda, two[0], date(2026, 11, 20), "220102")
    b = report(shunda, two[1], date(2026, 12, 2), "220102")
    c = report(other, two[0], date(2026, 12, 2), "220102001")
    report(EmployerFactory(region_id="220204", name="吉林市顺达运输有限公司"), two[0], date(2026, 12, 2), "220204")
    api = api_for(caseworker)
    assert ids(api.get(SH)) == sorted([a.pk, b.pk, c.pk])
    assert ids(api.get(SH, {"employer": shunda.pk})) == sorted([a.pk, b.pk])
    assert ids(api.get(SH, {"occupation": two[0].code})) == sorted([a.pk, c.pk])
    assert ids(api.get(SH, {"q": "顺达"})) == sorted([a.pk, b.pk])  # not 船营区's 顺达
    assert ids(api.get(SH, {"q": other.uscc})) == [c.pk]
    assert ids(api.get(SH, {"reported_from": "2026-12-01"})) == sorted([b.pk, c.pk])
    assert ids(api.get(SH, {"reported_to": "2026-11-30"})) == [a.pk]
    assert ids(api.get(SH, {"region": "220102001"})) == [c.pk]
    wrong = api.get(SH, {"employer": "abc"})
    assert wrong.status_code == 400 and list(wrong.json()["fields"]) == ["employer"]


def test_delivery_filters(api_for, caseworker, two, willingness, django_capture_on_commit_callbacks):
    zhang, li, (z0, z1, l0) = willingness
    api = api_for(caseworker)
    employer = EmployerFactory(region_id="220102")
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(SH, {"employer": employer.pk, "occupation_code": two[0].code, "count": 3,
                                "wage_min": "4000", "wage_max": "5000", "reported_on": "2026-12-01"}, format="json")
        api.patch(f"{W}{l0.pk}/", {"target_group": "migrant_worker"}, format="json")
    assert created.status_code == 201
    shortage = OutboundMessage.objects.get(kind="training.shortage")
    changed = OutboundMessage.objects.get(kind="training.willingness", source_id=l0.pk)
    OutboundMessage.objects.filter(pk=changed.pk).update(status=OutboundMessage.Status.DEAD)
    assert ids(api.get(D)) == sorted([shortage.pk, changed.pk])
    assert ids(api.get(D, {"kind": "training.shortage"})) == [shortage.pk]
    assert ids(api.get(D, {"status": "dead"})) == [changed.pk]
    assert ids(api.get(D, {"source_id": l0.pk, "kind": "training.willingness"})) == [changed.pk]
    assert ids(api.get(D, {"region": "220102001"})) == [changed.pk]
    assert ids(api.get(D, {"destination": "job_matching", "status": "sent"})) == [shortage.pk]
    assert api.get(D, {"kind": "training.nothing"}).json()["code"] == "invalid_filter"
    assert api.get(f"{D}{shortage.pk}/", {"status": "dead"}).status_code == 200  # a read is not filtered


@pytest.mark.parametrize(("path", "filters"), [
    (W, {"q", "occupation", "target_group", "person", "registered_from", "registered_to", "region"}),
    (SH, {"q", "employer", "occupation", "reported_from", "reported_to", "region"}),
    (D, {"status", "kind", "destination", "source_id", "region"}),
])
def test_the_schema_lists_the_filters(path, filters):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
    assert filters <= set(parameters), filters - set(parameters)
    assert all(parameters[name]["in"] == "query" for name in filters)
