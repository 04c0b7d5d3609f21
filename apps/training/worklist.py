"""Training's 待办 (registered in TrainingConfig.ready()): subsidy claims waiting for 初审 by a reviewer who did not
claim them and for 复核 (window past, no open objection) by one who neither claimed nor first-reviewed them (four
eyes; approved claims wait for the payment file, 待办 of apps.payments), follow-ups due (overdue, or due within the window), and training providers whose
accreditation runs out soon or has run out."""

from datetime import timedelta

from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource, worklist_window
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.objections.models import Objection
from apps.objections.worklist import open_objections_source
from apps.training.models import FollowUp, Provider, TrainingSubsidyClaim
from apps.training.payments import claim_url
from apps.training.services.claims import OBJECTION_SLUG

CLAIM = TrainingSubsidyClaim.Status


def claims_awaiting_first_review(user, today):
    """已申领: 初审 (and 公示) by a reviewer who did not claim it."""
    claims = scope_queryset(TrainingSubsidyClaim.objects.filter(status=CLAIM.CLAIMED), user, "enrollment__region")
    # Ordered by id: a claim's id follows its creation (`since`), and the primary key serves the sort.
    return claims.exclude(claimed_by=user).select_related("person", "claimed_by").order_by("id")


def first_review_item(claim: TrainingSubsidyClaim) -> WorkItem:
    return WorkItem(what=f"{claim.person.name} · {claim.get_kind_display()}",
                    why=f"已申领，待初审并公示，金额 {format_money(claim.amount)} 元（申领经办人：{claim.claimed_by}）",
                    url=claim_url(claim), since=claim.created_at)


def claims_awaiting_second_review(user, today):
    """公示中 with the window past (its last day before today) and no objection open: 复核 by a reviewer who is
    neither the claimer nor the first reviewer (the move's own guards, apps.training.services.claims)."""
    held = Objection.objects.filter(source=OBJECTION_SLUG, status__in=Objection.OPEN).values("record_id")
    claims = TrainingSubsidyClaim.objects.filter(status=CLAIM.PUBLICIZING, publicity_ends_on__lt=today)
    claims = scope_queryset(claims, user, "enrollment__region").exclude(pk__in=held)
    return (claims.exclude(claimed_by=user).exclude(reviewed_by=user).select_related("person", "reviewed_by")
            .order_by("publicity_ends_on", "id"))


def second_review_item(claim: TrainingSubsidyClaim) -> WorkItem:
    return WorkItem(what=f"{claim.person.name} · {claim.get_kind_display()}",
                    why=f"公示期已于 {claim.publicity_ends_on:%Y-%m-%d} 届满，无未处理异议，待复核，金额 "
                        f"{format_money(claim.amount)} 元（初审人：{claim.reviewed_by}）",
                    url=claim_url(claim), since=claim.publicity_ends_on)


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
    WorklistSource(key="training.claim_review", module="training", label="培训补贴待初审",
                   queryset=claims_awaiting_first_review, item=first_review_item, roles=REVIEWER_ROLES, order=30),
    WorklistSource(key="training.claim_second_review", module="training", label="培训补贴待复核",
                   queryset=claims_awaiting_second_review, item=second_review_item, roles=REVIEWER_ROLES, order=31),
    open_objections_source(module="training", slug=OBJECTION_SLUG, order=33),
    WorklistSource(key="training.follow_up_due", module="training", label="培训后回访到期",
                   queryset=follow_ups_due, item=follow_up_item, roles=("caseworker",), order=32),
    WorklistSource(key="training.accreditation_expiring", module="training", label="培训机构认定到期",
                   queryset=accreditations_expiring, item=accreditation_item, order=35),
)
