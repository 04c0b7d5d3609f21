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


# --- The prefix helpers: the one prefix test, fail closed ------------------------------------------------

@pytest.mark.parametrize(("prefix", "code", "expected"), [
    ("2201", "220102", True), ("2201", "220204", False), ("", "220204", True),
    (None, "220102", False), ("2201", None, False), ("", None, False), ("220102", "2201", False),
])
def test_prefix_covers(prefix, code, expected):
    from apps.core.scoping import prefix_covers

    assert prefix_covers(prefix, code) is expected


def test_codes_outside_prefix_fails_closed():
    from apps.core.scoping import codes_outside_prefix

    assert codes_outside_prefix("2201", {"220102", "220204", "220104"}) == {"220204"}
    assert codes_outside_prefix("", {"220102", "220204"}) == set()
    assert codes_outside_prefix(None, {"220102"}) == {"220102"}


def test_filter_and_exclude_by_prefix_split_the_rows(records):
    from apps.core.scoping import exclude_prefix, filter_by_prefix

    employers = Employer.objects.all()
    inside = set(filter_by_prefix(employers, "2201").values_list("name", flat=True))
    outside = set(exclude_prefix(employers, "2201", "region__code").values_list("name", flat=True))
    assert inside == {"南关单位", "朝阳单位"} and outside == {"吉林市单位"}
    assert filter_by_prefix(employers, None).count() == 0 and exclude_prefix(employers, None).count() == 3
    assert filter_by_prefix(employers, "").count() == 3 and exclude_prefix(employers, "").count() == 0


def test_no_user_sees_nothing(records):
    from apps.core.scoping import user_can_see_region, user_can_see_regions, visible_regions

    assert scope_queryset(Employer.objects.all(), None).count() == 0
    assert not user_can_see_region(None, "220102")
    assert not user_can_see_regions(None, {"220102"})
    assert visible_regions(None).count() == 0


def test_visible_regions_are_the_users_own_and_below(db, caseworker, supervisor):
    from apps.core.scoping import user_can_see_regions, visible_regions

    assert set(visible_regions(caseworker).values_list("code", flat=True)) >= {"220102"}
    assert all(code.startswith("2201") for code in visible_regions(supervisor, levels=["county"])
               .values_list("code", flat=True))
    assert user_can_see_regions(supervisor, {"220102", "220104"})
    assert not user_can_see_regions(supervisor, {"220102", "220204"})


# --- The back office: the same scope, and saves through the services with request.user ----------------------

def _staff(user, *codenames):
    from django.contrib.auth.models import Permission

    user.is_superuser, user.is_staff = False, True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.parametrize("url", ["/admin/applicants/person/", "/admin/employers/employer/",
                                 "/admin/employers/contribution/", "/admin/applicants/statustag/",
                                 "/admin/core/accesslog/"])
def test_admin_staff_without_region_sees_nothing(client_for, records, url):
    from apps.core.models import AccessLog
    from tests.factories import ContributionFactory, UserFactory

    ContributionFactory(employer=records["nanguan_employer"])
    AccessLog.objects.create(user=UserFactory(region_id="220102"), action="view", object_type="applicants.person",
                             object_id="1", object_label="南关张三")
    staff = _staff(UserFactory(region_id=None, role="administrator"), "view_person", "view_employer",
                   "view_contribution", "view_statustag", "view_accesslog")
    response = client_for(staff).get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0 and response.context["cl"].full_result_count == 0


def test_admin_people_changelist_is_scoped(client_for, supervisor, records):
    body = client_for(_staff(supervisor, "view_person")).get("/admin/applicants/person/").content.decode()
    assert "南关张三" in body and "船营李四" not in body


def _person_admin_form(person, **changes):
    data = {"name": person.name, "id_number": person.id_number, "phone": person.phone, "hukou_type": "",
            "hukou_region": "", "region": person.region_id, "address": person.address}
    return {**data, **changes}


def test_admin_save_of_a_person_into_another_region_is_refused(client_for, supervisor, records):
    from apps.applicants.models import Person

    person = records["nanguan_person"]
    client = client_for(_staff(supervisor, "view_person", "change_person"))
    response = client.post(f"/admin/applicants/person/{person.pk}/change/", _person_admin_form(person, region="220204"))
    assert response.status_code == 200 and "region" in response.context["adminform"].form.errors
    assert Person.objects.get(pk=person.pk).region_id == "220102"
    response = client.post(f"/admin/applicants/person/{person.pk}/change/", _person_admin_form(person, name="南关张三丰"))
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).name == "南关张三丰"


def test_admin_cannot_open_a_person_of_another_region(client_for, supervisor, records):
    client = client_for(_staff(supervisor, "view_person", "change_person"))
    response = client.get(f"/admin/applicants/person/{records['jilin_person'].pk}/change/")
    assert response.status_code == 302  # Django admin: "does not exist" → back to the index


def test_admin_save_model_passes_the_user_so_the_service_checks_the_region(rf, supervisor, records):
    from django.contrib import admin as django_admin

    from apps.applicants.models import Person
    from apps.core.exceptions import ApplicationError
    from apps.employers.models import Employer as EmployerModel

    request = rf.post("/")
    request.user = _staff(supervisor)
    person = records["nanguan_person"]
    person.region_id = "220204"
    with pytest.raises(ApplicationError) as caught:
        django_admin.site._registry[Person].save_model(request, person, form=None, change=True)
    assert caught.value.code == "region_out_of_scope"
    employer = records["nanguan_employer"]
    employer.region_id = "220204"
    with pytest.raises(ApplicationError) as caught:
        django_admin.site._registry[EmployerModel].save_model(request, employer, form=None, change=True)
    assert caught.value.code == "region_out_of_scope"
