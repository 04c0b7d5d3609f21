"""对外推送: the deliveries of the user's region with their status, and 重新发送 (reviewers) of a failed one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import REVIEW_ROLES, RoleRequiredMixin
from apps.core.exceptions import ApplicationError
from apps.core.pagination import page_size
from apps.integrations.filters import OutboundMessageFilter
from apps.integrations.kinds import KINDS
from apps.integrations.models import OutboundMessage
from apps.integrations.selectors import outbound_list
from apps.integrations.services import outbound_resend

STATUS_BADGES: dict[str, str] = {OutboundMessage.Status.PENDING: "text-bg-light border", OutboundMessage.Status.SENDING: "text-bg-info",
                 OutboundMessage.Status.SENT: "text-bg-success", OutboundMessage.Status.FAILED: "text-bg-warning",
                 OutboundMessage.Status.DEAD: "text-bg-danger"}
RESENDABLE = (OutboundMessage.Status.FAILED, OutboundMessage.Status.DEAD)


class DeliveryListView(RoleRequiredMixin, TemplateView):
    template_name = "integrations/delivery_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(outbound_list(user=self.request.user, filters=self.request.GET),
                         page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        may_resend = self.request.user.has_role(*REVIEW_ROLES)  # type: ignore[union-attr]  # signed in
        rows = [{"message": m, "kind": KINDS[m.kind].label if m.kind in KINDS else m.kind,
                 "badge": STATUS_BADGES.get(m.status, "text-bg-light"), "resendable": m.status in RESENDABLE}
                for m in page.object_list]
        return {**super().get_context_data(**kwargs), "page_obj": page, "rows": rows, "may_resend": may_resend,
                "filter": OutboundMessageFilter(self.request.GET or None)}


class DeliveryResendView(RoleRequiredMixin, View):
    """POST 重新发送 (reviewers): another region's id is a 404; a message already waiting again says so."""

    def post(self, request, pk):
        if not request.user.has_role(*REVIEW_ROLES):
            raise PermissionDenied("只有审核人可以重新发送")
        try:
            outbound_resend(user=request.user, message_id=pk)
        except ApplicationError as error:
            if error.code != "outbound_not_failed":
                raise
            messages.info(request, error.message)
        else:
            messages.success(request, "已重新加入发送队列")
        return redirect("integrations:delivery-list")
