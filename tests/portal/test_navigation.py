"""The sidebar offers a user only the pages that let them in (issue 13): every link it draws opens for that user
(no 403), and the audit administrator (三员分立) sees the access log and the admin's read-only audit tables —
nothing of the caseworkers' domains, no 工作台, no API docs — and reaches a record's 变更记录 from the log."""

import re

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.employers.services import employer_save
from tests.factories import EmployerFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_DOMAINS = {"工作台", "待办", "劳动者与申请人", "用人单位", "政策计算器", "主动发现", "稳岗返还", "职业技能培训", "托育机构",
               "困境儿童", "零工市场", "公益性岗位", "养老服务人才", "创业担保贷款", "欺诈骗保", "对外推送"}

# role → (what the sidebar shows, what it must not show)
CASES = {
    User.Role.CASEWORKER: (ALL_DOMAINS | {"接口文档"}, {"访问日志", "后台管理", "通知发送情况"}),
    User.Role.SUPERVISOR: (ALL_DOMAINS | {"访问日志", "接口文档", "后台管理", "通知发送情况"}, set()),
    User.Role.ADMINISTRATOR: (ALL_DOMAINS | {"访问日志", "接口文档", "后台管理", "通知发送情况"}, set()),
    User.Role.AUDITOR: ({"访问日志", "后台管理"}, ALL_DOMAINS | {"接口文档"}),
    User.Role.SECURITY_ADMIN: ({"后台管理"}, ALL_DOMAINS | {"访问日志", "接口文档"}),
}

SIDEBAR = re.compile(r'<nav class="portal-sidebar.*?</nav>', re.S)
LINK = re.compile(r'<a class="nav-link[^"]*" href="([^"]+)"[^>]*><i class="bi [^"]+"></i>([^<]+)</a>')  # aria-current


def _sidebar(web, url: str) -> dict[str, str]:
    page = web.get(url, follow=True)  # the security administrator's only portal page is a 403 page
    return {label: href for href, label in LINK.findall(SIDEBAR.search(page.content.decode()).group(0))}


@pytest.mark.parametrize("role", list(CASES), ids=[str(role) for role in CASES])
def test_the_sidebar_shows_a_role_only_the_pages_it_may_open(role, client_for):
    user = UserFactory(username=f"nav_{role}", role=role, region_id="220100", is_staff=role != User.Role.CASEWORKER)
    shown, hidden = CASES[role]
    web = client_for(user)
    links = _sidebar(web, reverse("dashboard"))  # the auditor lands on the access log
    assert set(links) == shown
    assert not set(links) & hidden
    for label, href in links.items():
        assert web.get(href, follow=True).status_code == 200, f"{label} ({href}) is offered but refused"


def test_the_auditor_reaches_a_records_change_history_from_the_access_log(client_for, supervisor):
    auditor = UserFactory(username="nav_auditor", role=User.Role.AUDITOR, region_id="220000", is_staff=True)
    employer = EmployerFactory(name="历史单位", region_id="220102")
    employer.name = "改名后的单位"
    employer_save(employer=employer)
    client_for(supervisor).get(reverse("history", args=["employers", "employer", employer.pk]))  # a logged read
    web = client_for(auditor)
    history = reverse("history", args=["employers", "employer", employer.pk])
    assert f'href="{history}"' in web.get(reverse("access-log")).content.decode()
    assert "改名后的单位" in web.get(history).content.decode()
