"""Writes land only in the user's region, whichever face they come from; no user means no region (fail closed)."""

import logging
from datetime import date
from decimal import Decimal

import pytest

from apps.core.exceptions import ApplicationError
from apps.training import services
from apps.training.models import Program, ShortageReport
from tests.factories import EmployerFactory
from tests.training.conftest import make_provider

pytestmark = pytest.mark.django_db


def _program(occupations, provider) -> Program:
    return Program(code="SC-01", name="范围测试班", provider=provider, occupation=occupations["DOM-01"], capacity=10,
                   start_date=date(2026, 3, 1), end_date=date(2026, 4, 1))


@pytest.mark.parametrize("who", ["other_caseworker", "nobody"])
def test_program_of_a_provider_outside_the_region_is_refused(request, occupations, who):
    user = request.getfixturevalue(who) if who != "nobody" else None
    with pytest.raises(ApplicationError) as error:
        services.program_save(program=_program(occupations, make_provider("220102")), user=user)
    assert error.value.code == "region_out_of_scope" and "provider" in error.value.fields
    assert not Program.objects.exists()


def test_program_in_the_region_is_saved(occupations, caseworker):
    program = services.program_save(program=_program(occupations, make_provider("220102")), user=caseworker)
    assert program.pk and program.region_id == "220102"


def test_shortage_of_an_employer_outside_the_region_is_refused(occupations, other_caseworker):
    report = ShortageReport(employer=EmployerFactory(region_id="220102"), occupation=occupations["DOM-01"], count=3,
                            wage_min=Decimal("3000"), wage_max=Decimal("4000"), reported_on=date(2026, 1, 5))
    with pytest.raises(ApplicationError) as error:
        services.shortage_report_create(report=report, user=other_caseworker)
    assert error.value.code == "region_out_of_scope"
    assert not ShortageReport.objects.exists()


def test_admin_cannot_save_a_program_outside_the_region(client_for, supervisor, occupations):
    from django.contrib.auth.models import Permission

    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="training"))
    jilin = make_provider("220204")
    response = client_for(supervisor).post("/admin/training/program/add/", {
        "code": "ADM-01", "name": "后台班", "provider": jilin.pk, "occupation": occupations["DOM-01"].pk,
        "target_level": "junior", "funding_channel": "subsidised", "capacity": 10, "start_date": "2026-03-01",
        "end_date": "2026-04-01", "target_groups": "[]", "region": "220204", "subsidy_key": ""})
    # The form does not even offer another region's provider (a field error on the page); were it offered,
    # the service would refuse the region (400).
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "provider" in response.context["adminform"].form.errors
    assert not Program.objects.filter(code="ADM-01").exists()


def test_program_save_logs_at_info_level(occupations, caseworker, caplog):
    # The log line's extra fields must not collide with LogRecord attributes ("created" did: seed_demo crashed).
    with caplog.at_level(logging.INFO, logger="apps.training.services.programs"):
        program = services.program_save(program=_program(occupations, make_provider("220102")), user=caseworker)
    assert program.pk and "training program saved" in caplog.text
