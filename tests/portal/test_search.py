"""The global search box (issue 15): 身份证号 (full, masked or last four), USCC, name and case number across
people, employers, institutions and cases; scoped to what the user may open; read-audited; ID numbers masked."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.core import audit
from apps.core.models import AccessLog
from apps.core.registry import search_sources
from tests.child_welfare.conftest import report
from tests.childcare.factories import InstitutionFactory
from tests.factories import EmployerFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(caseworker):
    person = PersonFactory(region_id="220102", name="韩梅梅")
    far = PersonFactory(region_id="220204", name="韩梅香")
    employer = EmployerFactory(region_id="220102", name="长春韩氏机械有限公司")
    far_employer = EmployerFactory(region_id="220204", name="吉林韩氏商贸有限公司")
    institution = InstitutionFactory(region_id="220102", name="南关区韩家托育园")
    case = report(caseworker)
    return {"person": person, "far": far, "employer": employer, "far_employer": far_employer,
            "institution": institution, "case": case}


def results(client, query) -> dict[str, list[dict]]:
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return {group.source.key: group.rows for group in response.context["groups"]}


def test_every_kind_of_record_is_found_by_what_people_type(records, caseworker, client_for):
    client = client_for(caseworker)
    person, case = records["person"], records["case"]
    masked = person.id_number[:4] + "*" * 10 + person.id_number[-4:]
    cases = [
        (person.id_number, "applicants.person", person),
        (masked, "applicants.person", person),
        (person.id_number[-4:], "applicants.person", person),
        ("韩梅", "applicants.person", person),
        (records["employer"].uscc, "employers.employer", records["employer"]),
        ("长春韩氏", "employers.employer", records["employer"]),
        (records["institution"].uscc, "childcare.institution", records["institution"]),
        (case.reference, "child_welfare.case", case),
    ]
    for query, kind, record in cases:
        found = results(client, query)
        assert kind in found, (query, found)
        assert any(row["url"].endswith(f"/{record.pk}/") for row in found[kind]), (query, found[kind])


def test_search_is_scoped_and_masks_id_numbers(records, caseworker, client_for):
    client = client_for(caseworker)
    found = results(client, "韩梅")
    html = client.get(reverse("search"), {"q": "韩梅"}).content.decode()
    assert records["far"].name not in html and records["far_employer"].name not in html
    assert records["person"].id_number not in html and records["person"].masked_id_number in html
    assert results(client, records["far"].id_number) == {}
    assert results(client, records["far_employer"].uscc) == {}
    assert found  # the other region's absence is not an empty search


def test_what_a_search_shows_is_one_audited_read_per_kind(records, caseworker, client_for):
    client_for(caseworker).get(reverse("search"), {"q": "韩梅"})
    entries = list(AccessLog.objects.filter(user=caseworker, purpose="全局搜索"))
    assert [(entry.object_type, entry.listed_ids) for entry in entries] == \
        [("applicants.person", [str(records["person"].pk)])]
    assert list(audit.reads_of("applicants.person", records["person"].pk)) == entries


def test_a_too_short_query_is_said_beside_the_box_and_searches_nothing(records, caseworker, client_for):
    response = client_for(caseworker).get(reverse("search"), {"q": "韩"})
    assert response.status_code == 200 and "2–50 个字符" in response.content.decode()
    assert not AccessLog.objects.exists()


def test_search_runs_a_bounded_number_of_queries(records, caseworker, client_for, django_assert_max_num_queries):
    client = client_for(caseworker)
    client.get(reverse("search"), {"q": "韩氏"})
    with django_assert_max_num_queries(12 + 2 * len(search_sources())):
        client.get(reverse("search"), {"q": "韩"*2})


def test_the_box_is_on_every_page_for_staff_and_not_for_the_auditor(caseworker, client_for, client):
    html = client_for(caseworker).get(reverse("applicants:list")).content.decode()
    assert f'action="{reverse("search")}"' in html
    auditor = UserFactory(username="audit_jl", role=User.Role.AUDITOR, region_id="220000", is_staff=True)
    client.logout()
    html = client_for(auditor).get(reverse("access-log")).content.decode()
    assert f'action="{reverse("search")}"' not in html
