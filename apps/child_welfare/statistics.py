"""Figures for the statistics page and its CSV/XLSX export. Only cases the user may open are counted."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from apps.child_welfare.lifecycle import action_label
from apps.child_welfare.models import OPEN_STATUSES, CaseCategory, Category, RiskLevel, Status
from apps.child_welfare.selectors import case_queryset


def _pairs(rows, key: str, labels: dict) -> dict:
    rows = list(rows)
    return {"labels": [str(labels.get(r[key], r[key] or "—")) for r in rows], "values": [r["n"] for r in rows]}


def _months_back(today: date, count: int) -> list[date]:
    """The first days of the last `count` months, oldest first, this month last."""
    this_month = today.replace(day=1)
    return [this_month - relativedelta(months=back) for back in range(count - 1, -1, -1)]


def case_statistics(*, user, today: date, months: int = 12) -> dict:
    cases = case_queryset(user)
    open_cases = cases.filter(status__in=OPEN_STATUSES)
    by_status = _pairs(cases.values("status").annotate(n=Count("id")).order_by("status"), "status",
                       dict(Status.choices))
    by_risk = _pairs(open_cases.values("risk_level").annotate(n=Count("id")).order_by("risk_level"), "risk_level",
                     dict(RiskLevel.choices))
    by_category = _pairs(CaseCategory.objects.filter(case__in=open_cases.values("pk")).values("category")
                         .annotate(n=Count("id")).order_by("-n"), "category", dict(Category.choices))
    by_region = _pairs(open_cases.values("region__name").annotate(n=Count("id")).order_by("-n")[:15],
                       "region__name", {})
    axis = _months_back(today, months)
    start = axis[0]
    new = dict(cases.filter(reported_on__gte=start).annotate(m=TruncMonth("reported_on")).values("m")
               .annotate(n=Count("id")).values_list("m", "n"))
    closed = dict(cases.filter(closed_on__gte=start).annotate(m=TruncMonth("closed_on")).values("m")
                  .annotate(n=Count("id")).values_list("m", "n"))
    new = {(k.date() if hasattr(k, "date") else k): v for k, v in new.items()}
    closed = {(k.date() if hasattr(k, "date") else k): v for k, v in closed.items()}
    monthly = {"labels": [f"{m:%Y-%m}" for m in axis], "new": [new.get(m, 0) for m in axis],
               "closed": [closed.get(m, 0) for m in axis]}
    totals = open_cases.aggregate(
        open=Count("id"), high=Count("id", filter=Q(risk_level=RiskLevel.HIGH)),
        overdue_visits=Count("id", filter=Q(next_visit_due__lt=today)),
        overdue_reviews=Count("id", filter=Q(next_review_due__lt=today)))
    return {"by_status": by_status, "by_risk": by_risk, "by_category": by_category, "by_region": by_region,
            "monthly": monthly, "totals": totals}


def statistics_table(stats: dict) -> list[list]:
    """One sheet/CSV: section, label, value — easy to pivot in a spreadsheet."""
    rows = [["分组", "项目", "数量"]]
    for section, key in (("按状态", "by_status"), ("按风险等级（在案）", "by_risk"), ("按困境类别（在案）", "by_category"),
                         ("按区划（在案）", "by_region")):
        rows += [[section, label, value] for label, value in zip(stats[key]["labels"], stats[key]["values"],
                                                                  strict=True)]
    for label, new, closed in zip(stats["monthly"]["labels"], stats["monthly"]["new"], stats["monthly"]["closed"],
                                  strict=True):
        rows += [["每月新增", label, new], ["每月结案", label, closed]]
    totals = stats["totals"]
    rows += [["合计", "在案个案", totals["open"]], ["合计", "高风险", totals["high"]],
             ["合计", "探访逾期", totals["overdue_visits"]], ["合计", "复核逾期", totals["overdue_reviews"]]]
    return rows


def case_rows(cases) -> list[list]:
    """The case list export: full names and ID numbers — only cases the user may open ever reach here."""
    rows = [["个案编号", "儿童姓名", "身份证号", "性别", "出生日期", "区划", "街道/乡镇", "村/社区", "困境类别", "风险等级",
             "状态", "责任经办人", "报告日期", "最近探访", "下次探访期限"]]
    for case in cases:
        rows.append([case.reference, case.child.name, case.child.id_number, case.child.get_sex_display(),
                     f"{case.child.birth_date:%Y-%m-%d}", case.region.name, case.township, case.village,
                     "、".join(c.get_category_display() for c in case.categories.all()), case.get_risk_level_display(),
                     case.get_status_display(), str(case.assigned_worker or ""), f"{case.reported_on:%Y-%m-%d}",
                     f"{case.last_visit_on:%Y-%m-%d}" if case.last_visit_on else "",
                     f"{case.next_visit_due:%Y-%m-%d}" if case.next_visit_due else ""])
    return rows


def case_dossier_rows(case) -> list[list]:
    """One case with its history, for a transfer file or an inspection."""
    rows = case_rows([case])
    rows.append([])
    rows.append(["状态变更", "时间", "操作", "原状态", "新状态", "操作人", "原因"])
    for t in case.transitions.select_related("by"):
        rows.append(["", f"{t.at:%Y-%m-%d %H:%M}", action_label(t.action), t.get_from_status_display(),
                     t.get_to_status_display(), str(t.by or ""), t.reason])
    rows.append([])
    rows.append(["入户探访", "日期", "探访人员", "见到儿童", "发现", "服务"])
    for v in case.visits.all():
        rows.append(["", f"{v.visited_on:%Y-%m-%d}", v.visitors, "是" if v.child_seen else "否", v.findings,
                     v.services_delivered])
    return rows
