"""Back office: the outbox (read-only, scoped by the message's region, filters, 重新发送) and the templates
(editable: validated against the event's documented variables, with a preview rendered from their samples)."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.scoped_admin import RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.notifications.events import COMMON_VARIABLES, event_choices, event_get
from apps.notifications.models import Message, MessageTemplate
from apps.notifications.rendering import TemplateProblem, render_text, template_problems
from apps.notifications.services import message_retry


@admin.register(Message)
class MessageAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ("id", "event", "channel", "recipient_name", "masked_address", "region", "status", "attempts",
                    "next_attempt_at", "sent_at")
    list_filter = ("status", "channel", "event", "source")
    search_fields = ("recipient_name", "=source_id")
    list_select_related = ("region",)
    readonly_fields = ("event", "channel", "recipient_name", "masked_address", "recipient_user", "region", "subject",
                       "body", "dedupe_key", "source", "source_id", "status", "attempts", "last_error",
                       "next_attempt_at", "claimed_at", "sent_at", "read_at", "created_at")
    exclude = ("recipient_address", "claim_token")
    actions = ["retry"]
    show_full_result_count = False

    @admin.display(description=_("收件地址"))
    def masked_address(self, obj):
        return obj.masked_address

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重新发送所选的失败消息"))
    def retry(self, request, queryset):
        done = 0
        for message in queryset.filter(status__in=(Message.Status.DEAD, Message.Status.FAILED)):
            try:
                message_retry(user=request.user, message_id=message.pk)
                done += 1
            except ApplicationError as error:
                self.message_user(request, error.message, messages.ERROR)
        self.message_user(request, f"已重新发送 {done} 条消息", messages.SUCCESS)

    def get_actions(self, request):
        # an action that writes needs the view permission only here: offer it to reviewers alone
        actions = super().get_actions(request)
        if not getattr(request.user, "is_supervisor", False):
            actions.pop("retry", None)
        return actions


class MessageTemplateForm(forms.ModelForm):
    event = forms.ChoiceField(label="事件", choices=event_choices)

    class Meta:
        model = MessageTemplate
        fields = ["event", "channel", "subject", "body", "active"]

    def clean(self):
        data = super().clean() or {}
        event = event_get(data.get("event") or "")
        if event is None:
            return data
        if data.get("channel") and data["channel"] not in event.channels:
            self.add_error("channel", "该事件不通过此渠道发送")
        allowed, sample = event.variable_names(), event.sample_context()
        for name in ("subject", "body"):
            for problem in template_problems(data.get(name) or "", allowed=allowed, sample=sample):
                self.add_error(name, problem)
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ScopedHistoryAdmin):
    """Templates are the province's, like policy parameters: every administrator sees the same set."""

    form = MessageTemplateForm
    list_display = ("event_label", "channel", "subject", "active", "updated_at")
    list_filter = ("channel", "active", "event")
    readonly_fields = ("variables", "preview")
    fields = ("event", "channel", "active", "subject", "body", "variables", "preview")

    @admin.display(description=_("事件"))
    def event_label(self, obj):
        event = event_get(obj.event)
        return event.label if event else obj.event

    @admin.display(description=_("可用变量"))
    def variables(self, obj):
        event = event_get(obj.event) if obj and obj.pk else None
        if event is None:
            return "保存后显示该事件的可用变量"
        rows = {**COMMON_VARIABLES, **event.variables}
        return format_html("<ul>{}</ul>", format_html_join("", "<li><code>{{{{ {} }}}}</code>：{}（示例：{}）</li>",
                                                           ((name, label, sample) for name, (label, sample)
                                                            in rows.items())))

    @admin.display(description=_("预览（示例数据）"))
    def preview(self, obj):
        event = event_get(obj.event) if obj and obj.pk else None
        if event is None:
            return "保存后显示预览"
        try:
            subject = render_text(obj.subject, event.sample_context()) if obj.subject else ""
            body = render_text(obj.body, event.sample_context())
        except TemplateProblem as problem:
            return f"无法预览：{problem}"
        return format_html("<strong>{}</strong><pre class=\"notification-preview\">{}</pre>", subject, body)

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_staff and request.user.is_supervisor)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff and
                    (request.user.is_superuser or request.user.is_administrator))

    def has_add_permission(self, request):
        return self.has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # switch a template off (启用) instead: the history stays readable
