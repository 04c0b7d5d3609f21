"""个案's bulk bar (apps.core.bulk): a supervisor reassigns several cases to another caseworker of the region at
once, each by `case_reassign` (the case locked and versioned; a closed case, a case already with that worker and
a worker who does not serve the case's region are reported per case)."""

from apps.accounts.models import User
from apps.child_welfare import selectors
from apps.child_welfare.services import case_reassign
from apps.core.bulk import BulkAction, BulkChoice
from apps.core.scoping import scope_queryset


def _workers(user) -> list[User]:
    """The caseworkers a supervisor may hand cases to: active, in the supervisor's region (one query)."""
    if not getattr(user, "is_supervisor", False):
        return []
    return list(scope_queryset(User.objects.filter(role=User.Role.CASEWORKER, is_active=True), user)
                .select_related("region").order_by("region_id", "last_name", "first_name", "id"))


def _choice(worker: User) -> BulkChoice:
    who = f"{worker.display_name}（{worker.region.name if worker.region else ''}）"
    return BulkChoice(str(worker.pk), f"改派给 {who}",
                      confirm=f"责任经办人将改为 {who}，由其负责探访和办理，原经办人不再能打开这些个案。")


def _choices(user) -> list[BulkChoice]:
    return [_choice(w) for w in _workers(user)]


def _perform(case, user, choice: BulkChoice, note: str) -> None:
    worker = User.objects.get(pk=int(choice.value))  # a choice is one of _workers(user): it exists
    case_reassign(user=user, case_id=case.pk, worker=worker)


CASE_BULK = BulkAction(
    name="child_welfare_cases", label="批量改派",
    queryset=lambda user: selectors.case_list(user=user),
    choices=_choices,
    describe=lambda case: f"{case.reference} · {case.child.name}",
    perform=_perform, note_label="",
)
