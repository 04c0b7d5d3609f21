"""Pages: my 站内信 (inbox: list, mark read, the unread count the top bar's badge fetches) and, for
supervisors, the delivery status of the messages of their region."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin, SupervisorRequiredMixin
from apps.core.pagination import page_size
from apps.notifications.events import EVENTS
from apps.notifications.filters import MessageFilter
from apps.notifications.selectors import inbox_list, inbox_unread_count, message_list
from apps.notifications.services import inbox_mark_all_read, inbox_mark_read


class InboxView(RoleRequiredMixin, TemplateView):
    template_name = "notifications/inbox.html"

    def get_context_data(self, **kwargs):
        page = Paginator(inbox_list(user=self.request.user), page_size(self.request, 20)).get_page(
            self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "items": page.object_list}


class InboxReadView(RoleRequiredMixin, View):
    """POST: one message (another user's id is a 404) or, without an id, every unread one."""

    def post(self, request, pk=None):
        if pk is None:
            inbox_mark_all_read(user=request.user)
        else:
            inbox_mark_read(user=request.user, message_id=pk)
        return redirect("notifications:inbox")


class InboxUnreadView(RoleRequiredMixin, View):
    """The top bar's badge asks here (static/notifications/inbox-badge.js): no query on every page render."""

    def get(self, request):
        return JsonResponse({"unread": inbox_unread_count(user=request.user)})


class MessageListView(SupervisorRequiredMixin, TemplateView):
    """Delivery status of the messages of the supervisor's region (addresses masked)."""

    template_name = "notifications/message_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(message_list(user=self.request.user, filters=self.request.GET),
                         page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        events = {code: event.label for code, event in EVENTS.items()}
        return {**super().get_context_data(**kwargs), "page_obj": page,
                "rows": [(message, events.get(message.event, "其他通知")) for message in page.object_list],
                "filter": MessageFilter(self.request.GET or None)}
