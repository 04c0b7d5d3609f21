"""The UI, the API and the admin: scoping (404 outside the region), masking, access log, error shape,
query counts, exports, the worklist task."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AccessLog
from apps.training import tasks
from apps.training.models import FollowUp, TrainingSubsidyClaim, WorklistItem
from tests.factories import UserFactory
from tests.queries import assert_queries_constant, prime_worklist_counts
from tests.training.conftest import make_enrollment, make_program, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def jilin_enrollment(occupations, other_caseworker):
    return make_enrollment(make_program(occupations, region_id="220204"), other_caseworker)


@pytest.fixture
def own_enrollment(occupations, caseworker):
    return make_enrollment(make_program(occupations, region_id="220102"), caseworker)


def test_caseworker_of_other_region_gets_404(client_for, api_for, caseworker, jilin_enrollment):
    client = client_for(caseworker)
    assert client.get(reverse("training:enrollment-detail", args=[jilin_enrollment.pk])).status_code == 404
    assert client.get(reverse("training:program-detail", args=[jilin_enrollment.program_id])).status_code == 404
    assert client.post(reverse("training:enrollment-action", args=[jilin_enrollment.pk]),
                       {"action": "enroll"}).status_code == 404
    api = api_for(caseworker)
    assert api.get(f"/api/v1/training/enrollments/{jilin_enrollment.pk}/").status_code == 404
    response = api.post(f"/api/v1/training/enrollments/{jilin_enrollment.pk}/transition/", {"action": "enroll"},
                        format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api.get("/api/v1/training/enrollments/").json()["count"] == 0
    jilin_enrollment.refresh_from_db()
    assert jilin_enrollment.status == "registered"


def test_list_masks_id_numbers_and_detail_logs_the_read(client_for, caseworker, own_enrollment):
    client = client_for(caseworker)
    listing = client.get(reverse("training:enrollment-list")).content.decode()
    assert own_enrollment.person.id_number not in listing
    assert own_enrollment.masked_id_number in listing
    detail = client.get(reverse("training:enrollment-detail", args=[own_enrollment.pk]))
    assert own_enrollment.person.id_number in detail.content.decode()
    assert AccessLog.objects.filter(object_type="training.enrollment", object_id=str(own_enrollment.pk),
                                    user=caseworker).exists()


def test_api_list_masks_and_detail_logs(api_for, caseworker, own_enrollment):
    api = api_for(caseworker)
    row = api.get("/api/v1/training/enrollments/").json()["results"][0]
    assert row["id_number"] == own_enrollment.masked_id_number
    detail = api.get(f"/api/v1/training/enrollments/{own_enrollment.pk}/").json()
    assert detail["id_number"] == own_enrollment.person.id_number
    assert detail["available_actions"] == ["enroll", "drop_out"]
    assert AccessLog.objects.filter(action="api", object_id=str(own_enrollment.pk)).exists()


def test_api_transition_and_refusal_shape(api_for, caseworker, own_enrollment):
    api = api_for(caseworker)
    url = f"/api/v1/training/enrollments/{own_enrollment.pk}/transition/"
    assert api.post(url, {"action": "enroll"}, format="json").json()["status"] == "enrolled"
    refused = api.post(url, {"action": "pay"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_not_allowed" and "已录取" in refused.json()["detail"]
    for action, payload in (("start", {}), ("complete", {"completed_on": "2026-04-30"})):
        api.post(url, {"action": action, "payload": payload}, format="json")
    premature = api.post(url, {"action": "claim_subsidy"}, format="json")
    assert premature.status_code == 400 and premature.json()["code"] == "employment_not_verified"
    bad = api.post(url, {"action": "verify_employment", "payload": {"employment_evidence": "x"}}, format="json")
    assert bad.status_code == 400 and "employment_evidence" in bad.json()["fields"]


def test_api_enroll_by_id_number_and_lists_query_count(api_for, caseworker, occupations,
                                                       django_assert_max_num_queries):
    from apps.core.demo import make_id_number

    program = make_program(occupations)
    api = api_for(caseworker)
    created = api.post("/api/v1/training/enrollments/", {
        "id_number": make_id_number("220102", date(1991, 2, 3), 5, True), "name": "孙丽", "phone": "13900000000",
        "program": program.pk, "target_group": "women_returning"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "registered"
    for _ in range(5):
        make_enrollment(program, caseworker)
    for url in ("/api/v1/training/enrollments/", "/api/v1/training/programs/", "/api/v1/training/occupations/"):
        with django_assert_max_num_queries(6):
            assert api.get(url).status_code == 200
    assert_queries_constant(lambda: api.get("/api/v1/training/enrollments/"),
                            lambda n: [make_enrollment(program, caseworker) for _ in range(n)], n=3, at_most=6)


def test_ui_lists_have_a_fixed_number_of_queries(client_for, caseworker, occupations, django_assert_max_num_queries):
    program = make_program(occupations)
    for _ in range(8):
        make_enrollment(program, caseworker)
    client = client_for(caseworker)
    prime_worklist_counts(caseworker)  # the menu's 待办 counts: cached per user, pinned in tests/portal/test_worklist_page.py
    for name in ("training:enrollment-list", "training:program-list", "training:worklist", "training:catalogue",
                 "training:indicators", "training:dashboard", "training:demand"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200, name
    assert_queries_constant(lambda: client.get(reverse("training:enrollment-list")),
                            lambda n: [make_enrollment(program, caseworker) for _ in range(n)], n=4, at_most=14)


def test_ui_walks_an_enrollment_with_buttons(client_for, caseworker, supervisor, own_enrollment):
    client = client_for(caseworker)
    action = reverse("training:enrollment-action", args=[own_enrollment.pk])
    for data in ({"action": "enroll"}, {"action": "start"}, {"action": "complete"},
                 {"action": "assess", "cert-kind": "skill_level", "cert-level": "junior", "cert-number": "N-1",
                  "cert-issued_on": "2026-05-01", "cert-issuer": "鉴定中心"},
                 {"action": "verify_employment", "emp-employment_evidence": "wage_statement",
                  "emp-employer_name": "某公司", "emp-employment_start": "2026-05-10", "emp-monthly_wage": "3800"},
                 {"action": "claim_subsidy"}):
        client.post(action, data)
    own_enrollment.refresh_from_db()
    assert own_enrollment.status == "subsidy_claimed"
    page = client.get(reverse("training:enrollment-detail", args=[own_enrollment.pk])).content.decode()
    assert "补贴已申领" in page and "stepper" in page
    client.post(action, {"action": "pay"})
    assert "不能执行" in str(list(client.get(reverse("training:enrollment-list")).context["messages"]))
    client_for(supervisor)
    client.post(action, {"action": "publish"})  # 初审通过并公示
    own_enrollment.refresh_from_db()
    assert own_enrollment.status == "subsidy_publicizing"
    page = client.get(reverse("training:enrollment-detail", args=[own_enrollment.pk])).content.decode()
    assert "补贴公示中" in page and "公开名单（无需登录）" in page
    assert client.post(action, {"action": "approve"}).status_code == 403  # the first reviewer may not 复核
    third = UserFactory(username="sup_third", role="supervisor", region_id="220100")
    client_for(third)
    client.post(action, {"action": "approve"})  # the window is still open
    assert "公示期满后方可复核" in str(list(client.get(reverse("training:enrollment-list")).context["messages"]))
    claim = own_enrollment.claims.get()
    TrainingSubsidyClaim.objects.filter(pk=claim.pk).update(
        publicity_ends_on=claim.publicity_ends_on - timedelta(days=30))  # the window has passed
    client.post(action, {"action": "approve"})
    client.post(action, {"action": "pay"})
    own_enrollment.refresh_from_db()
    assert own_enrollment.status == "paid"


def test_indicator_export_csv_and_xlsx(client_for, supervisor, caseworker, occupations):
    walk_to(make_enrollment(make_program(occupations, name="导出班"), caseworker), "paid", supervisor, caseworker)
    client = client_for(supervisor)
    csv_text = client.get(reverse("training:indicators"), {"by": "program", "format": "csv"}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[1] == "导出班,1,1,1,100.00,4200.00,1200.00"
    response = client.get(reverse("training:indicators"), {"by": "provider", "format": "xlsx"})
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "培训机构" and sheet["E2"].value == "100.00"


def test_overdue_follow_up_worklist_is_idempotent_and_scoped(client_for, caseworker, other_caseworker, occupations,
                                                             own_enrollment, jilin_enrollment):
    walk_to(own_enrollment, "completed", caseworker)  # completed 2026-04-30 → due 2026-07-30 and 2026-10-30
    walk_to(jilin_enrollment, "completed", other_caseworker)
    from apps.training.services import worklist_refresh

    assert worklist_refresh(today=date(2026, 8, 1))["created"] == 2
    assert worklist_refresh(today=date(2026, 8, 1))["created"] == 0
    tasks.refresh_follow_up_worklist.delay()  # eager in tests; real today is later than both due dates or not
    assert WorklistItem.objects.filter(resolved_at__isnull=True).count() >= 2
    page = client_for(caseworker).get(reverse("training:worklist"))
    assert len(page.context["object_list"]) == WorklistItem.objects.filter(region_id="220102",
                                                                           resolved_at__isnull=True).count()
    assert jilin_enrollment.person.name not in page.content.decode()
    follow_up = FollowUp.objects.get(enrollment=own_enrollment, months=3)
    response = client_for(caseworker).post(reverse("training:enrollment-action", args=[own_enrollment.pk]), {
        "action": "record_follow_up", "follow_up": follow_up.pk, "fu-employment_status": "employed",
        "fu-skill_level": "junior", "fu-monthly_wage": "4100"})
    assert response.status_code == 302
    assert WorklistItem.objects.get(follow_up=follow_up).resolved_at is not None


def test_beat_schedule_has_the_worklist_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["training-follow-up-worklist"]
    assert entry["task"] == "apps.training.tasks.refresh_follow_up_worklist"


def test_program_opened_against_demand_shows_how_much_it_meets(client_for, caseworker, occupations):
    from decimal import Decimal

    from apps.training.models import Program, ShortageReport
    from tests.factories import EmployerFactory
    from tests.training.conftest import make_provider

    provider = make_provider()
    shortage = ShortageReport.objects.create(employer=EmployerFactory(), occupation=occupations["ELD-01"], count=40,
                                             wage_min=Decimal("3000"), wage_max=Decimal("4500"),
                                             reported_on=date(2026, 1, 5), region_id="220102")
    client = client_for(caseworker)
    url = reverse("training:program-create") + f"?shortage={shortage.pk}"
    assert client.get(url).context["form"].initial["capacity"] == 40
    response = client.post(url, {"code": "YL-01", "name": "养老护理员班", "provider": provider.pk,
                                 "occupation": occupations["ELD-01"].pk, "target_level": "junior",
                                 "funding_channel": "subsidised", "capacity": 30, "start_date": "2026-03-01",
                                 "end_date": "2026-04-01", "target_groups": ["unemployed"],
                                 "subsidy_key": "elderly_care"})
    program = Program.objects.get(code="YL-01")
    assert response.status_code == 302 and list(program.shortages.all()) == [shortage]
    page = client.get(reverse("training:program-detail", args=[program.pk])).content.decode()
    assert "满足缺工需求 75.00%" in page


def test_import_page_reports_errors(client_for, caseworker, occupations):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(caseworker)
    old_address = client.get(reverse("training:enrollment-import"))
    assert old_address.url == reverse("imports:upload") + "?kind=training_enrollments"
    assert 'value="training_enrollments" selected' in client.get(old_address.url).content.decode()
    upload = SimpleUploadedFile("list.csv", b"id_number,name,phone,program_code,target_group\n1,,x,NOPE,?\n")
    response = client.post(reverse("imports:upload"), {"kind": "training_enrollments", "file": upload}, follow=True)
    assert response.status_code == 200 and len(response.context["page_obj"]) == 5


def test_admin_pages_are_scoped(client_for, supervisor, occupations, jilin_enrollment, own_enrollment):
    from django.contrib.auth.models import Permission

    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="training"))
    client = client_for(supervisor)
    listing = client.get("/admin/training/enrollment/").content.decode()
    assert own_enrollment.person.name in listing and jilin_enrollment.person.name not in listing
    assert client.get(f"/admin/training/enrollment/{jilin_enrollment.pk}/change/").status_code == 302
    assert client.get("/admin/training/occupation/").status_code == 200
    response = client.post("/admin/training/enrollment/", {"action": "transition_enroll",
                                                           "_selected_action": [own_enrollment.pk]})
    assert response.status_code == 302
    own_enrollment.refresh_from_db()
    assert own_enrollment.status == "enrolled"


def test_catalogue_ships_named_occupations(occupations, api_for, province_admin, caseworker):
    names = {o.name for o in occupations.values()}
    assert {"家政服务员", "养老护理员", "电工", "叉车司机", "保安员", "跨境电商运营管理师", "生成式人工智能系统测试员",
            "保鲜花制作工"} <= names
    assert occupations["NEW25-J01"].parent.name == "生成式人工智能系统应用员"
    data = {"code": "X-01", "name": "测试新职业", "kind": "occupation", "category": "other"}
    assert api_for(caseworker).post("/api/v1/training/occupations/", data, format="json").status_code == 403
    assert api_for(province_admin).post("/api/v1/training/occupations/", data, format="json").status_code == 201


def test_history_page_for_enrollment_is_registered(client_for, supervisor, own_enrollment, jilin_enrollment):
    client = client_for(supervisor)
    assert client.get(reverse("history", args=["training", "enrollment", own_enrollment.pk])).status_code == 200
    assert client.get(reverse("history", args=["training", "enrollment", jilin_enrollment.pk])).status_code == 404


def test_training_registers_its_tile_and_worklist_with_the_portal(caseworker, other_caseworker, occupations,
                                                                  own_enrollment, jilin_enrollment):
    from apps.core import registry

    walk_to(own_enrollment, "in_training", caseworker)
    completed = walk_to(make_enrollment(make_program(occupations), caseworker), "completed", caseworker)
    walk_to(jilin_enrollment, "completed", other_caseworker)
    tile = registry.TILES["training"]
    assert (tile.label, tile.url_name) == ("培训中学员", "training:dashboard")
    assert tile.value(caseworker) == {"value": 1, "hint": "全部学员 2 人"}
    from apps.training.services import worklist_refresh

    worklist_refresh(today=date(2026, 8, 1))
    items = registry.WORKLIST_SOURCES["training.follow_up_due"].items(caseworker, date(2026, 8, 1))
    assert [(i["url"], i["due"], i["overdue_days"]) for i in items] == [
        (reverse("training:enrollment-detail", args=[completed.pk]), date(2026, 7, 30), 2)]
