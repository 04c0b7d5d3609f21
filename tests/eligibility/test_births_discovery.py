"""R3 births programmes from the registry (issue 16): the birth order read from the household's children, the
household's region against the border list, the 主动发现 leads, the benefits panel and the API."""

from datetime import date

import pytest
from django.urls import reverse

from apps.applicants import eligibility_facts as person_facts
from apps.applicants.services import household_add_member
from apps.eligibility.models import BenefitMatch
from apps.eligibility.services import benefit_match_run
from tests.factories import PersonFactory

AS_OF = date(2026, 6, 1)
BIRTHS = ("birth-reward", "border-village-birth-reward", "child-rearing-subsidy")
pytestmark = pytest.mark.django_db


def household(region, *births):
    head = PersonFactory(region_id=region, name=f"户主{region}", birth=date(1990, 3, 3))
    children = []
    for index, born in enumerate(births):
        child = PersonFactory(region_id=region, name=f"子女{region}-{index + 1}", birth=born)
        household_add_member(person=head, member=child, relation="child")
        children.append(child)
    return head, children


@pytest.fixture
def families():
    # 南关区: a first child of 2022, then twins of 2026 — the 2nd and the 3rd child (same day: by registration).
    nanguan = household("220102", date(2022, 5, 1), date(2026, 3, 8), date(2026, 3, 8))
    # 珲春市 (a border county on the list): a first child of 2026.
    hunchun = household("222404", date(2026, 4, 1))
    return nanguan, hunchun


def births_entries(person):
    return [(e.calculator, e.subject.name, getattr(e.facts, "birth_order", None))
            for e in person_facts.person_benefit_entries(person, AS_OF) if e.calculator in BIRTHS]


def test_the_birth_order_is_the_childs_place_among_the_households_children(families):
    (head, (_first, second, third)), _ = families  # the first, 3 since May 2025, has none in 2026
    assert births_entries(head) == [
        ("birth-reward", second.name, 2), ("border-village-birth-reward", second.name, None),
        ("child-rearing-subsidy", second.name, 2),
        ("birth-reward", third.name, 3), ("border-village-birth-reward", third.name, None),
        ("child-rearing-subsidy", third.name, 3),
    ]
    assert births_entries(third) == [("birth-reward", third.name, 3), ("border-village-birth-reward", third.name, None),
                                     ("child-rearing-subsidy", third.name, 3)]


def test_a_person_who_is_nobodys_child_has_no_births_entries(db):
    alone = PersonFactory(region_id="220102", birth=date(2026, 3, 8))
    assert births_entries(alone) == []


def test_the_match_run_finds_each_programme_once_on_the_child(families):
    (_head, (_first, second, third)), (_, (border_child,)) = families
    benefit_match_run(as_of=AS_OF)
    leads = set(BenefitMatch.objects.filter(calculator__in=BIRTHS).values_list("person__name", "calculator", "amount"))
    assert {(name, calculator, str(amount)) for name, calculator, amount in leads} == {
        (second.name, "birth-reward", "2000.00"), (third.name, "birth-reward", "5000.00"),
        (second.name, "child-rearing-subsidy", "1000.00"), (third.name, "child-rearing-subsidy", "1000.00"),
        (border_child.name, "border-village-birth-reward", "3000.00"),
    }
    assert benefit_match_run(as_of=AS_OF) == 0  # a re-run adds nothing
    lead = BenefitMatch.objects.get(person=third, calculator="birth-reward")
    assert lead.year == 2026 and "第3孩" in lead.label and lead.result["steps"]


def test_a_birth_before_the_scheme_or_older_than_a_year_is_not_a_lead(db):
    _head, (old, recent) = household("222404", date(2024, 12, 31), date(2025, 5, 31))
    benefit_match_run(as_of=AS_OF)
    assert not BenefitMatch.objects.filter(calculator__in=("birth-reward", "border-village-birth-reward")).exists()
    # the 2nd child is still a child-rearing lead for 2026 (under 3), the 1st is not (birth order 1)
    assert list(BenefitMatch.objects.filter(calculator="child-rearing-subsidy").values_list("person", flat=True)) == \
        [recent.pk]


def test_the_panel_shows_the_reward_with_its_explanation_and_the_lead_is_listed(client_for, caseworker, families):
    (head, (_first, _second, third)), (_, (border_child,)) = families
    client = client_for(caseworker)
    body = client.get(reverse("applicants:detail", args=[third.pk])).content.decode()
    assert "二孩、三孩生育奖励" in body and "第3个子女" in body and "5,000.00" in body
    assert "边境村生育奖励" in body and "不在边境村名单内" in body and "儿童养育补贴" in body
    benefit_match_run(as_of=AS_OF)
    body = client.get(reverse("eligibility:match-list")).content.decode()
    assert "二孩、三孩生育奖励" in body and third.name in body
    assert border_child.name not in body  # 珲春市 is outside the 南关区 caseworker's region


@pytest.mark.parametrize(("calculator", "amount"), [
    ("birth-reward", "5000.00"), ("border-village-birth-reward", "0.00"), ("child-rearing-subsidy", "1000.00")])  # March to December
def test_the_api_computes_from_the_registry(api_for, caseworker, families, calculator, amount):
    (_head, (_first, _second, third)), _ = families
    response = api_for(caseworker).post(f"/api/v1/eligibility/{calculator}/", {"applicant": third.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == amount


def test_the_api_refuses_a_birth_order_below_one_against_its_field(api_for, caseworker):
    response = api_for(caseworker).post("/api/v1/eligibility/birth-reward/",
                                        {"child_birth_date": "2025-09-18", "birth_order": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["birth_order"][0]["code"] == "birth_order_invalid"


def test_the_demo_families_show_the_births_leads(db):
    """`make run`: the 南关区 twins (2nd and 3rd child) and the 珲春市 2nd child are found by the matching job."""
    from apps.applicants.demo import _births_families

    assert _births_families() == 2 and _births_families() == 0  # idempotent
    benefit_match_run(as_of=date(2026, 12, 2))
    leads = set(BenefitMatch.objects.filter(calculator__in=BIRTHS).values_list("person__name", "calculator"))
    assert {("刘二宝", "birth-reward"), ("刘三宝", "birth-reward"), ("金小山", "birth-reward"),
            ("金小山", "border-village-birth-reward"), ("刘二宝", "child-rearing-subsidy")} <= leads
    assert ("刘一诺", "birth-reward") not in leads and ("刘二宝", "border-village-birth-reward") not in leads


def test_the_admin_shows_the_parameters_with_their_sources_and_the_leads_and_decisions(
        client_for, caseworker, province_admin, supervisor, families):
    from apps.eligibility.services import determination_create

    (_head, (_first, _second, third)), (_, (border_child,)) = families
    benefit_match_run(as_of=AS_OF)
    determination_create(user=caseworker, calculator="birth-reward", facts={"child_birth_date": "2026-03-08",
                                                                            "birth_order": 3}, person=third)
    province_admin.is_superuser = True
    province_admin.save()
    admin = client_for(province_admin)
    body = admin.get("/admin/eligibility/policyparameter/?q=birth_reward").content.decode()
    assert "birth_reward.amount_by_order" in body and "吉林省人民政府办公厅《吉林省提振消费专项行动实施方案》" in body
    assert "示例值，待管理员按当地文件录入" in body
    body = admin.get("/admin/eligibility/benefitmatch/?calculator=birth-reward").content.decode()
    assert "二孩、三孩生育奖励" in body and third.name in body and border_child.name not in body
    lead = BenefitMatch.objects.get(person=third, calculator="birth-reward")
    page = admin.get(f"/admin/eligibility/benefitmatch/{lead.pk}/change/").content.decode()
    assert "第3个子女" in page and "5,000.00" in page
    body = admin.get("/admin/eligibility/determination/?calculator=birth-reward").content.decode()
    assert "二孩、三孩生育奖励" in body and third.name in body
    # A supervisor of 长春市 sees 南关区's lead, not 珲春市's.
    supervisor.is_superuser = False
    body = client_for(supervisor).get("/admin/eligibility/benefitmatch/")
    assert border_child.name not in body.content.decode()


def test_the_panel_folds_what_the_child_cannot_have(client_for, caseworker, families):
    """A child of no border village: 边境村生育奖励 is 不符合 — one line at the foot of the panel, its explanation
    one click away (<details>), while what the child can have (二孩、三孩生育奖励) leads the panel."""
    (_head, (_first, _second, third)), _ = families
    body = client_for(caseworker).get(reverse("applicants:detail", args=[third.pk])).content.decode()
    leading, _, declined = body.partition('id="benefits-declined"')
    assert declined, "no folded 不符合 list"
    assert "二孩、三孩生育奖励" in leading and "5,000.00" in leading
    assert "不在边境村名单内" not in leading and "边境村生育奖励" in declined and "不在边境村名单内" in declined
