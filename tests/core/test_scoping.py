"""Region scoping: one rule, proven on list, detail, API and admin."""

import pytest
from django.urls import reverse

from apps.core.scoping import scope_queryset, user_scope_prefix
from apps.employers.models import Employer
from tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    return {
        "nanguan_person": PersonFactory(region_id="220102", name="南关张三"),
        "jilin_person": PersonFactory(region_id="220204", name="船营李四"),
        "nanguan_employer": EmployerFactory(region_id="220102", name="南关单位"),
        "jilin_employer": EmployerFactory(region_id="220204", name="吉林市单位"),
        "chaoyang_employer": EmployerFactory(region_id="220104", name="朝阳单位"),
    }


@pytest.mark.parametrize(
    ("region", "prefix"), [("220000", "22"), ("220100", "2201"), ("220102", "220102"), ("222400", "2224")]
)
def test_scope_prefix_follows_the_region_level(db, region, prefix):
    from tests.factories import UserFactory

    assert user_scope_prefix(UserFactory(region_id=region)) == prefix


def test_user_without_region_sees_nothing(db):
    from tests.factories import UserFactory

    user = UserFactory(region_id=None)
    EmployerFactory()
    assert scope_queryset(Employer.objects.all(), user).count() == 0


def test_caseworker_of_nanguan_gets_404_for_a_jilin_city_employer(client_for, caseworker, records):
    response = client_for(caseworker).get(reverse("employers:detail", args=[records["jilin_employer"].pk]))
    assert response.status_code == 404
    assert "不在您的经办区划范围内" in response.content.decode()


def test_caseworker_of_nanguan_gets_404_for_a_jilin_city_person(client_for, caseworker, records):
    response = client_for(caseworker).get(reverse("applicants:detail", args=[records["jilin_person"].pk]))
    assert response.status_code == 404


def test_caseworker_sees_own_region_record(client_for, caseworker, records):
    response = client_for(caseworker).get(reverse("employers:detail", args=[records["nanguan_employer"].pk]))
    assert response.status_code == 200


def test_list_shows_only_the_users_region(client_for, caseworker, records):
    body = client_for(caseworker).get(reverse("employers:list")).content.decode()
    assert "南关单位" in body
    assert "吉林市单位" not in body and "朝阳单位" not in body


def test_city_supervisor_sees_all_districts_of_the_city_but_not_other_cities(client_for, supervisor, records):
    body = client_for(supervisor).get(reverse("employers:list")).content.decode()
    assert "南关单位" in body and "朝阳单位" in body
    assert "吉林市单位" not in body


def test_province_user_sees_everything(api_for, province_admin, records):
    names = {row["name"] for row in api_for(province_admin).get("/api/v1/employers/").json()["results"]}
    assert {"南关单位", "吉林市单位", "朝阳单位"} <= names


def test_api_detail_outside_region_is_404_in_the_error_format(api_for, caseworker, records):
    response = api_for(caseworker).get(f"/api/v1/employers/{records['jilin_employer'].pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_list_is_scoped(api_for, other_caseworker, records):
    names = {row["name"] for row in api_for(other_caseworker).get("/api/v1/employers/").json()["results"]}
    assert names == {"吉林市单位"}


def test_admin_changelist_is_scoped(client_for, supervisor, records):
    supervisor.is_superuser = False
    supervisor.save()
    from django.contrib.auth.models import Permission

    supervisor.user_permissions.add(Permission.objects.get(codename="view_employer"))
    body = client_for(supervisor).get("/admin/employers/employer/").content.decode()
    assert "南关单位" in body and "吉林市单位" not in body
