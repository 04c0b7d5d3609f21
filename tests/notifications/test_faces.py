"""The inbox (only my own 站内信), the supervisors' delivery page and the API (scoped by region, addresses masked,
constant queries), the template admin (validation against the event's variables, preview)."""

import pytest
from django.urls import reverse

from apps.notifications.models import Message, MessageTemplate
from apps.notifications.rendering import template_problems
from apps.notifications.services import enqueue, message_deliver
from apps.payments.notices import PAID
from tests.notifications.conftest import PAID_CONTEXT, paid_context, payee
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db


def _inbox_for(user, n=1, start=0, region="220102"):
    for i in range(start, start + n):
        enqueue(PAID.code, [payee(i, region=region, phone="", user_id=user.pk, context=paid_context())],
                PAID_CONTEXT, dedupe_key=f"inbox:{user.pk}:{i}")
    for message in Message.objects.filter(status="pending", channel="inbox"):
        message_deliver(message_id=message.pk)


def test_the_inbox_shows_my_messages_only_and_marks_them_read(client_for, caseworker, other_caseworker):
    _inbox_for(caseworker, 2)
    _inbox_for(other_caseworker, 1, start=10, region="220204")
    mine = client_for(caseworker)
    body = mine.get(reverse("notifications:inbox")).content.decode()
    assert "长春测试0有限公司" in body and "长春测试1有限公司" in body and "长春测试10有限公司" not in body
    assert mine.get(reverse("notifications:inbox-unread")).json() == {"unread": 2}
    theirs = Message.objects.get(recipient_user=other_caseworker)
    assert mine.post(reverse("notifications:inbox-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    first = Message.objects.filter(recipient_user=caseworker).first()
    assert mine.post(reverse("notifications:inbox-read", args=[first.pk])).status_code == 302
    assert mine.get(reverse("notifications:inbox-unread")).json() == {"unread": 1}
    mine.post(reverse("notifications:inbox-read-all"))
    assert mine.get(reverse("notifications:inbox-unread")).json() == {"unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_undelivered_inbox_message_is_not_shown(client_for, caseworker):
    enqueue(PAID.code, [payee(1, phone="", user_id=caseworker.pk, context=paid_context())], PAID_CONTEXT,
            dedupe_key="not-yet")
    assert client_for(caseworker).get(reverse("notifications:inbox-unread")).json() == {"unread": 0}


def test_the_top_bar_links_the_inbox_with_a_badge_filled_by_script(client_for, caseworker):
    body = client_for(caseworker).get(reverse("dashboard")).content.decode()
    assert 'id="inbox-unread"' in body and "notifications/inbox-badge.js" in body


def test_inbox_query_count_is_constant(client_for, caseworker):
    client = client_for(caseworker)
    added = [0]

    def add(n):
        _inbox_for(caseworker, n, start=added[0])
        added[0] += n

    assert_queries_constant(lambda: client.get(reverse("notifications:inbox")), add, n=3)


def test_the_supervisors_page_is_scoped_masked_and_constant(client_for, supervisor, caseworker):
    enqueue(PAID.code, [payee(99, region="220204", context=paid_context())], PAID_CONTEXT, dedupe_key="jilin")
    client = client_for(supervisor)
    added = [0]

    def add(n):
        enqueue(PAID.code, [payee(added[0] + i, context=paid_context()) for i in range(n)], PAID_CONTEXT,
                dedupe_key=f"page:{added[0]}")
        added[0] += n

    response = assert_queries_constant(lambda: client.get(reverse("notifications:message-list")), add, n=3)
    body = response.content.decode()
    assert "长春测试0有限公司" in body and "长春测试99有限公司" not in body  # 船营区's is not 长春's
    assert "138****0000" in body and "13800130000" not in body
    assert client.get(reverse("notifications:message-list") + "?status=bogus").status_code == 400
    assert client_for(caseworker).get(reverse("notifications:message-list")).status_code == 403


def test_the_api_is_read_only_scoped_and_masked(client_for, caseworker, other_caseworker):
    enqueue(PAID.code, [payee(1, context=paid_context())], PAID_CONTEXT, dedupe_key="api")
    message = Message.objects.get()
    client = client_for(caseworker)
    data = client.get("/api/v1/notifications/").json()
    results = data["results"] if isinstance(data, dict) else data
    assert [row["id"] for row in results] == [message.pk]
    assert results[0]["recipient_address"] == "138****0001" and results[0]["status"] == "pending"
    assert client.get(f"/api/v1/notifications/{message.pk}/").status_code == 200
    assert client.post("/api/v1/notifications/", {}).status_code == 405
    other = client_for(other_caseworker)
    assert other.get(f"/api/v1/notifications/{message.pk}/").status_code == 404
    assert client.get("/api/v1/notifications/?source=refund-run&status=sent").json()["results"] == []


def test_api_list_query_count_is_constant(client_for, caseworker):
    client = client_for(caseworker)
    added = [0]

    def add(n):
        enqueue(PAID.code, [payee(added[0] + i, context=paid_context()) for i in range(n)], PAID_CONTEXT,
                dedupe_key=f"api:{added[0]}")
        added[0] += n

    assert_queries_constant(lambda: client.get("/api/v1/notifications/"), add, n=3)


@pytest.mark.parametrize(("source", "problem"), [
    ("{{ amount }}元", None),
    ("{% if amount %}{{ amount }}{% endif %}{% for x in reference %}{{ x }}{% endfor %}", None),
    ("{{ secret_key }}", "secret_key"),
    ("{{ amount.__class__ }}", "语法错误"),  # no way into the objects behind a variable
    ("{% include 'base.html' %}", "include"),
    ("{% load static %}", "load"),
    ("{% debug %}", "debug"),
    ("{% if amount %}", "语法错误"),
    ("{{ amount|nosuchfilter }}", "语法错误"),
])
def test_template_validation(source, problem):
    allowed, sample = PAID.variable_names(), PAID.sample_context()
    problems = template_problems(source, allowed=allowed, sample=sample)
    if problem is None:
        assert problems == []
    else:
        assert problems and problem in problems[0]


def test_every_seeded_template_validates():
    from apps.notifications.events import EVENTS

    templates = list(MessageTemplate.objects.all())
    assert {(t.event, t.channel) for t in templates} >= {("refunds.run_published", "sms"), ("payments.paid", "sms"),
                                                          ("refunds.objection_decided", "email")}
    for template in templates:
        event = EVENTS[template.event]
        for text in (template.subject, template.body):
            assert template_problems(text, allowed=event.variable_names(), sample=event.sample_context()) == []


def test_the_admin_refuses_an_undocumented_variable_and_previews(client_for, province_admin):
    client = client_for(province_admin)
    template = MessageTemplate.objects.get(event=PAID.code, channel="sms")
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    page = client.get(url).content.decode()
    assert "预览" in page and "3600.00" in page and "{{ amount }}" in page  # the preview and the variables list
    response = client.post(url, {"event": PAID.code, "channel": "sms", "subject": "", "active": "on",
                                 "body": "{{ recipient_name }}：{{ bank_account }}"})
    assert response.status_code == 200 and "bank_account" in response.content.decode()
    template.refresh_from_db()
    assert "bank_account" not in template.body
    response = client.post(url, {"event": PAID.code, "channel": "sms", "subject": "", "active": "on",
                                 "body": "{{ recipient_name }}：到账{{ amount }}元"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "{{ recipient_name }}：到账{{ amount }}元" and template.history.count() >= 1


def test_the_outbox_admin_is_scoped(client_for, supervisor):
    enqueue(PAID.code, [payee(1, context=paid_context()), payee(2, region="220204", context=paid_context())],
            PAID_CONTEXT, dedupe_key="admin")
    supervisor.user_permissions.add(*__import__("django.contrib.auth.models", fromlist=["Permission"])
                                    .Permission.objects.filter(codename="view_message"))
    body = client_for(supervisor).get(reverse("admin:notifications_message_changelist")).content.decode()
    assert "长春测试1有限公司" in body and "长春测试2有限公司" not in body
