"""对外推送 page: the region's deliveries with their status labels; 重新发送 for reviewers, scoped and audited."""

import pytest
from django.urls import reverse

from apps.integrations.models import OutboundMessage
from apps.integrations.services import outbound_enqueue
from apps.training.pushes import WILLINGNESS

pytestmark = pytest.mark.django_db
S = OutboundMessage.Status


def message(region="220102", status=S.DEAD, **kwargs):
    row = outbound_enqueue(kind=WILLINGNESS.code, source_id=kwargs.pop("source_id", 1), region_code=region,
                           payload={"name": "张三", "id_number": "220102199005170012"})
    OutboundMessage.objects.filter(pk=row.pk).update(status=status, attempts=8, last_error="DeliveryError: 接收方返回 HTTP 503")
    return row


def test_the_page_lists_the_regions_deliveries_with_labels(client_for, caseworker):
    mine, theirs = message(), message(region="220204", source_id=2)
    page = client_for(caseworker).get(reverse("integrations:delivery-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "放弃" in text and "培训意愿登记" in text and "由审核人重新发送" in text
    assert "220102199005170012" not in text
    assert f"{mine.source_id}" in text and f'/integrations/deliveries/{theirs.pk}/' not in text
    assert client_for(caseworker).get(reverse("integrations:delivery-list") + "?status=x").status_code == 400


def test_resend_by_a_reviewer_of_the_region_only(client, client_for, caseworker, supervisor, outbound_dir,
                                                 django_capture_on_commit_callbacks):
    row, elsewhere = message(), message(region="220204", source_id=2)
    url = reverse("integrations:delivery-resend", args=[row.pk])
    assert client_for(caseworker).post(url).status_code == 403
    client.logout()
    reviewer = client_for(supervisor)
    assert reviewer.post(reverse("integrations:delivery-resend", args=[elsewhere.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        answer = reviewer.post(url)
    assert answer.status_code == 302
    row.refresh_from_db()
    assert row.status == S.SENT  # the file backend delivered it
    assert row.history.filter(history_user=supervisor).exists()
    assert reviewer.post(url, follow=True).status_code == 200  # pressed twice: said, not a 500
    assert reviewer.get(url).status_code == 405
