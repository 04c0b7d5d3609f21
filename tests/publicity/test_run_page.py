"""The run page: the window, its progress in working days, the public link, the buttons the lifecycle offers."""

from datetime import date

import pytest
from django.urls import reverse

from apps.refunds.models import RefundRun
from apps.refunds.services import run_first_review, run_publish

pytestmark = pytest.mark.django_db


def page(client, run) -> str:
    response = client.get(reverse("refunds:detail", args=[run.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_buttons_window_and_link(run, caseworker, supervisor, reviewer_b, client_for):
    assert 'id="firstreview"' not in page(client_for(caseworker), run)  # a caseworker is offered no review
    html = page(client_for(supervisor), run)
    assert 'id="firstreview"' in html and 'id="reject"' in html and 'id="approve"' not in html
    assert "data-confirm=" in html

    client = client_for(supervisor)
    response = client.post(reverse("refunds:first-review", args=[run.pk]), {"comment": "核对无误"}, follow=True)
    assert "初审通过，可发布公示" in response.content.decode()
    assert 'id="publish"' in page(client_for(supervisor), run)
    run_publish(run_id=run.pk, user=supervisor, today=date(2026, 12, 1))
    html = page(client_for(reviewer_b), run)
    assert "公示期 2026-12-02 至 2026-12-08，5 个工作日" in html
    assert 'id="public-link"' in html and "/public/publicity/" in html
    assert 'id="approve"' in html  # offered to the second reviewer; refused with the reason while the window is open
    assert 'id="approve"' not in page(client_for(supervisor), run)  # never to the first reviewer
    assert "初审：" in html and "待初审 → 初审通过，待公示" in html


def test_progress_in_working_days(run, supervisor, client_for):
    from apps.publicity.models import Publication
    from apps.publicity.selectors import window_progress

    run_first_review(run_id=run.pk, user=supervisor)
    run_publish(run_id=run.pk, user=supervisor, today=date(2026, 12, 1))
    publication = Publication.objects.get(record_id=run.pk)
    assert [window_progress(publication, day)["elapsed"] for day in (
        date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 5), date(2026, 12, 8), date(2026, 12, 20))] == [0, 1, 3, 5, 5]
    assert window_progress(publication, date(2026, 12, 8))["passed"] is False
    assert window_progress(publication, date(2026, 12, 9))["passed"] is True
    assert RefundRun.objects.get(pk=run.pk).status == "publicizing"
