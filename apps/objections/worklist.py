"""异议's 待办: open objections in their window and after it, the earliest deadline first. A caseworker sees those
assigned to them or to nobody yet; a reviewer every open one of the region except those they entered themselves
(the decision is never the entering user's: four eyes). Objections know no programme: each programme that
registers an ObjectionSource adds `open_objections_source(...)` for its slug to its own 待办 sources, so its
objections are counted and grouped under its module (稳岗返还, 托育, 培训)."""

from functools import partial

from django.db.models import Q
from django.urls import reverse

from apps.core.registry import WorkItem, WorklistSource
from apps.core.review import may_review
from apps.core.scoping import scope_queryset
from apps.objections.models import Objection


def open_objections(user, today, *, slug: str):
    objections = scope_queryset(Objection.objects.filter(source=slug, status__in=Objection.OPEN), user)
    if may_review(user):
        objections = objections.exclude(entered_by=user)
    else:
        objections = objections.filter(Q(assignee=user) | Q(assignee__isnull=True))
    return objections.select_related("assignee").order_by("deadline", "id")


def objection_item(objection: Objection) -> WorkItem:
    who = f"承办人：{objection.assignee}" if objection.assignee_id else "尚未指定承办人"
    return WorkItem(what=f"{objection.subject_name} 的异议 #{objection.pk}（{objection.disputed_label}）",
                    why=f"{objection.get_status_display()}，{who}；请核实后作出决定", due=objection.deadline,
                    url=reverse("objections:detail", args=[objection.pk]))


def open_objections_source(*, module: str, slug: str, order: int) -> WorklistSource:
    """The 待办 source of one programme's open objections, key `<module>.objections_open`."""
    return WorklistSource(key=f"{module}.objections_open", module=module, label="公示期异议待处理",
                          queryset=partial(open_objections, slug=slug), item=objection_item, order=order)
