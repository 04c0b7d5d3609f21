"""The UI flow through the Django test client: 立案 (once-token), the lifecycle buttons, four eyes drawn disabled,
the tag on the person page, the statistics page and its CSV/XLSX, scope (404)."""

import re
from decimal import Decimal

from django.urls import reverse

from apps.core.models import AccessLog
from apps.fraud.models import FraudCase
from tests.fraud.conftest import move


def token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def test_create_flow_once(client_for, caseworker, person):
    client = client_for(caseworker)
    page = client.get(reverse("fraud:case-create"))
    assert page.status_code == 200
    data = {"id_number": person.id_number, "kind": "work_injury_medical", "reported_on": "2026-11-20",
            "hospital": "长春市某医院", "amount_billed": "8600.00", "description": "", "form_token": token(page)}
    first = client.post(reverse("fraud:case-create"), data)
    case = FraudCase.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("fraud:case-detail", args=[case.pk])
    client.post(reverse("fraud:case-create"), data)  # a double submit records once
    assert FraudCase.objects.count() == 1


def test_create_field_errors(client_for, caseworker):
    client = client_for(caseworker)
    page = client.get(reverse("fraud:case-create"))
    response = client.post(reverse("fraud:case-create"), {
        "id_number": "110101199003070000", "kind": "work_injury_medical", "reported_on": "2026-11-20",
        "hospital": "医院", "amount_billed": "-1", "form_token": token(page)})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "amount_billed" in errors
    response = client.post(reverse("fraud:case-create"), {
        "id_number": "110101199003070000", "kind": "work_injury_medical", "reported_on": "2026-11-20",
        "hospital": "医院", "amount_billed": "1", "form_token": token(page)})
    assert "本区划人员库中没有" in response.context["form"].errors["id_number"][0]


def test_lifecycle_through_the_pages(client_for, caseworker, supervisor, open_case):
    case = open_case()
    cw = client_for(caseworker)
    detail = reverse("fraud:case-detail", args=[case.pk])
    page = cw.get(detail).content.decode()
    assert 'data-action="investigate"' in page and AccessLog.objects.filter(object_id=str(case.person_id)).exists()
    cw.post(reverse("fraud:case-action", args=[case.pk, "investigate"]))
    cw.post(reverse("fraud:case-action", args=[case.pk, "find"]), {"misused_amount": "8600.00",
                                                                   "facts_summary": "事实"})
    case.refresh_from_db()
    assert case.status == "found"
    page = cw.get(detail).content.decode()
    assert 'data-refused-action="approve"' in page and "21,500.00" in page  # the caseworker may not review
    sup = client_for(supervisor)
    assert 'data-action="approve"' in sup.get(detail).content.decode()
    sup.post(reverse("fraud:case-action", args=[case.pk, "approve"]))
    case.refresh_from_db()
    assert case.status == "effective"
    person_page = cw.get(reverse("applicants:detail", args=[case.person_id])).content.decode()
    assert "暂停医保直接结算" in person_page
    refused = sup.post(reverse("fraud:case-action", args=[case.pk, "appeal"]), {"note": ""}, follow=True)
    assert "请填写" in refused.content.decode()


def test_the_finder_is_refused_the_review_page_and_post(client_for, supervisor, open_case):
    case = move(move(open_case(), "investigate", supervisor), "find", supervisor, misused_amount=Decimal("1"),
                facts_summary="事实")
    client = client_for(supervisor)
    assert 'data-refused-action="approve"' in client.get(reverse("fraud:case-detail", args=[case.pk])).content.decode()
    assert client.post(reverse("fraud:case-action", args=[case.pk, "approve"])).status_code == 403


def test_scope_and_unknown_action(client_for, other_caseworker, caseworker, open_case):
    case = open_case()
    other = client_for(other_caseworker)
    assert other.get(reverse("fraud:case-detail", args=[case.pk])).status_code == 404
    assert other.post(reverse("fraud:case-action", args=[case.pk, "investigate"])).status_code == 404
    assert case.person.name not in other.get(reverse("fraud:case-list")).content.decode()
    assert client_for(caseworker).post(reverse("fraud:case-action", args=[case.pk, "bogus"])).status_code == 404


def test_list_masks_and_filters(client_for, caseworker, open_case):
    case = open_case()
    page = client_for(caseworker).get(reverse("fraud:case-list") + "?status=opened").content.decode()
    assert case.person.name in page and case.person.id_number not in page and case.masked_id_number in page
    assert client_for(caseworker).get(reverse("fraud:case-list") + "?reported_from=x").status_code == 400


def test_statistics_and_exports(client_for, caseworker, supervisor, found_case):
    move(found_case("100.00"), "approve", supervisor)
    found_case("50.00")  # not in force: not in the totals
    client = client_for(caseworker)
    page = client.get(reverse("fraud:statistics"))
    stats = page.context["stats"]
    assert (stats.total_cases, stats.repay, stats.fine, stats.suspended_now) == (2, Decimal("100.00"),
                                                                                 Decimal("250.00"), 1)
    assert 'id="chart-fraud-status"' in page.content.decode()
    csv = client.get(reverse("fraud:statistics") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and "250.00" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("fraud:statistics") + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_the_back_office_cannot_delete_a_case(client_for, supervisor, open_case):
    found_case = open_case()  # just 立案: no finding or appeal whose protection would refuse the delete anyway
    """A fraud case is a legal record (its finding, the suspension tag it put on the person): the admin shows it
    and moves it through its lifecycle, but has no delete — not on the page, not by a posted form."""
    from django.contrib.auth.models import Permission
    # even a back-office user granted Django's delete permission on the model
    supervisor.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_fraudcase", "change_fraudcase", "delete_fraudcase"]))
    web = client_for(supervisor)
    assert web.get(f"/admin/fraud/fraudcase/{found_case.pk}/change/").status_code == 200
    assert web.post(f"/admin/fraud/fraudcase/{found_case.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = web.post("/admin/fraud/fraudcase/", {"action": "delete_selected", "_selected_action": [found_case.pk],
                                                   "post": "yes"})
    assert listing.status_code in (200, 302)
    assert FraudCase.objects.filter(pk=found_case.pk).exists()
