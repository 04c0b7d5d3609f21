"""Training's 待办 (registered in TrainingConfig.ready()): subsidy claims waiting for a reviewer who did not
claim them (four eyes), follow-ups due (overdue, or due within the window), and training providers whose
accreditation runs out soon or has run out."""

from datetime import timedelta

from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource, worklist_window
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.training.models import FollowUp, Provider, TrainingSubsidyClaim

CLAIM = TrainingSubsidyClaim.Status
DECISIONS: dict[str, str] = {CLAIM.CLAIMED: "已申领，待审核", CLAIM.APPROVED: "已审核通过，待确认发放"}


def claims_awaiting_review(user, today):
    claims = scope_queryset(TrainingSubsidyClaim.objects.filter(status__in=list(DECISIONS)), user,
                            "enrollment__region")
    # Ordered by id: a claim's id follows its creation (`since`), and the primary key serves the sort.
    return claims.exclude(claimed_by=user).select_related("person", "claimed_by").order_by("id")


def claim_item(claim: TrainingSubsidyClaim) -> WorkItem:
    return WorkItem(what=f"{claim.person.name} · {claim.get_kind_display()}",
                    why=f"{DECISIONS[claim.status]}，金额 {format_money(claim.amount)} 元（申领经办人：{claim.claimed_by}）",
                    url=reverse("training:enrollment-detail", args=[claim.enrollment_id]), since=claim.created_at)


def follow_ups_due(user, today):
    until = today + timedelta(days=worklist_window("follow_up_upcoming"))
    follow_ups = FollowUp.objects.filter(done_on__isnull=True, due_on__lte=until)
    return scope_queryset(follow_ups, user, "enrollment__region").select_related(
        "enrollment__person", "enrollment__program").order_by("due_on", "id")


def follow_up_item(follow_up: FollowUp) -> WorkItem:
    enrollment = follow_up.enrollment
    return WorkItem(what=f"{enrollment.person.name} · {follow_up.months} 个月回访",
                    why=f"结业后 {follow_up.months} 个月的就业回访（{enrollment.program.name}），请联系学员并记录就业情况",
                    url=reverse("training:enrollment-detail", args=[enrollment.pk]), due=follow_up.due_on)


def accreditations_expiring(user, today):
    until = today + timedelta(days=worklist_window("certification_expiring"))
    providers = Provider.objects.filter(is_active=True, accredited_until__lte=until)
    return scope_queryset(providers, user).select_related("region").order_by("accredited_until", "id")


def accreditation_item(provider: Provider) -> WorkItem:
    number = provider.accreditation_number or "办学许可/认定"
    return WorkItem(what=f"{provider.name}（{provider.region.name}）",
                    why=f"{number}有效期至 {provider.accredited_until:%Y-%m-%d}，到期后不能再承接补贴性培训，请督促机构办理延续",
                    url=f"{reverse('training:catalogue')}#provider-{provider.pk}", due=provider.accredited_until)


SOURCES = (
    WorklistSource(key="training.claim_review", module="training", label="培训补贴待审核",
                   queryset=claims_awaiting_review, item=claim_item, roles=REVIEWER_ROLES, order=30),
    WorklistSource(key="training.follow_up_due", module="training", label="培训后回访到期",
                   queryset=follow_ups_due, item=follow_up_item, roles=("caseworker",), order=32),
    WorklistSource(key="training.accreditation_expiring", module="training", label="培训机构认定到期",
                   queryset=accreditations_expiring, item=accreditation_item, order=35),
)
