"""Pages: the objections of a record (a refund run), lodging one on the employer's behalf, one objection with
its assignment, decision form and attachments (uploaded and downloaded only here, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core.attachments import attachment_response
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.idempotency import once_redirect
from apps.core.models import Attachment
from apps.core.pagination import page_size
from apps.core.review import ReviewRefused
from apps.objections import services
from apps.objections.lifecycle import LIFECYCLE
from apps.objections.models import Objection
from apps.objections.selectors import objection_attachments, objection_events, objection_get, objection_list
from apps.objections.sources import source_get


def _record_id(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class ObjectionListView(RoleRequiredMixin, TemplateView):
    template_name = "objections/list.html"

    def get_context_data(self, **kwargs):
        source = self.request.GET.get("source") or None
        record_id = _record_id(self.request.GET.get("record"))
        status = self.request.GET.get("status") or None
        if status not in Objection.Status.values:
            status = None
        rows = objection_list(user=self.request.user, source=source, record_id=record_id, status=status)
        page = Paginator(rows, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "objections": page.object_list,
                "source": source, "record_id": record_id, "statuses": Objection.Status.choices, "status": status}


class LodgeView(RoleRequiredMixin, TemplateView):
    """经办人代为录入: the employer's objection taken at the counter or by phone, with its attachment."""

    template_name = "objections/lodge.html"

    def _row(self):
        return services.row_for(user=self.request.user, source_slug=self.kwargs["source"],
                                record_id=self.kwargs["record_id"], row_key=self.kwargs["row_key"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "row": self._row(), "values": kwargs.get("values", {}),
                "errors": kwargs.get("errors", {}), "error": kwargs.get("error", "")}

    def post(self, request, **kwargs):
        row = self._row()
        values = {"disputed_item": request.POST.get("disputed_item", ""), "grounds": request.POST.get("grounds", "")}

        def lodge() -> str:
            objection = services.objection_lodge(
                user=request.user, source_slug=kwargs["source"], record_id=kwargs["record_id"],
                row_key=row.row_key, channel=Objection.Channel.ON_BEHALF, **values)
            upload = request.FILES.get("file")
            if upload is not None:
                services.objection_attach(user=request.user, objection_id=objection.pk, upload=upload)
            messages.success(request, f"已登记{objection}")
            return reverse("objections:detail", args=[objection.pk])

        try:
            return once_redirect(request, lodge, fallback_url=row.url)
        except ApplicationError as error:
            if isinstance(error, ReviewRefused):
                raise
            return self.render_to_response(self.get_context_data(values=values, errors=error.fields,
                                                                 error=error.message), status=error.status_code)


class ObjectionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "objections/detail.html"

    def get_context_data(self, **kwargs):
        objection = objection_get(user=self.request.user, pk=kwargs["pk"])
        source = source_get(objection.source)
        row = source.row(objection.record_id, objection.row_key)
        actions = {t.action: t for t in LIFECYCLE.available(objection, self.request.user)}
        return {**super().get_context_data(**kwargs), "objection": objection, "row": row, "source": source,
                "events": objection_events(objection), "attachments": objection_attachments(objection),
                "actions": actions, "assignable": services.assignable_users(objection) if "assign" in actions else [],
                "correctable": _fact_rows(source, row, kwargs.get("errors", {})) if "uphold" in actions else [],
                "errors": kwargs.get("errors", {}), "error": kwargs.get("error", ""),
                "values": kwargs.get("values", {})}


def _fact_rows(source, row, errors: dict) -> list[dict]:
    rows = []
    for fact in source.correctable():
        value = (row.facts if row else {}).get(fact.name)
        if fact.kind == "boolean":
            current = "是" if value else "否"
        elif fact.kind == "choice":
            current = dict(fact.choices).get(str(value), str(value))
        else:
            current = "" if value is None else str(value)
        rows.append({"fact": fact, "current": current, "errors": errors.get(f"corrected_facts.{fact.name}", [])})
    return rows


class _Post(RoleRequiredMixin, View):
    def post(self, request, pk):
        objection = objection_get(user=request.user, pk=pk)
        url = reverse("objections:detail", args=[objection.pk])
        try:
            return once_redirect(request, lambda: self.act(request, objection) or url, fallback_url=url)
        except ReviewRefused:
            raise
        except ApplicationError as error:
            view = ObjectionDetailView.as_view()
            request.method = "GET"
            messages.error(request, error.message)
            response = view(request, pk=pk, errors=error.fields, error=error.message, values=request.POST)
            response.status_code = error.status_code
            return response

    def act(self, request, objection) -> str:
        raise NotImplementedError


class AssignView(_Post):
    def act(self, request, objection) -> str:
        assignee = request.POST.get("assignee", "")
        if not assignee.isdigit():
            raise ApplicationError("invalid_assignee", "请选择承办人", {"assignee": ["请选择承办人"]})
        services.objection_assign(user=request.user, objection_id=objection.pk, assignee_id=int(assignee),
                                  note=request.POST.get("note", ""))
        messages.success(request, "已指定承办人，异议进入复核")
        return ""


class DecideView(_Post):
    def act(self, request, objection) -> str:
        decision = request.POST.get("decision", "")
        corrected = {}
        if decision == "uphold":
            for fact in source_get(objection.source).correctable():
                raw = request.POST.get(f"fact_{fact.name}", "").strip()
                if raw == "":
                    continue
                if fact.kind == "boolean":
                    corrected[fact.name] = raw == "1"
                elif fact.kind == "integer":
                    corrected[fact.name] = int(raw) if raw.lstrip("-").isdigit() else raw
                else:
                    corrected[fact.name] = raw
        done = services.objection_decide(user=request.user, objection_id=objection.pk, decision=decision,
                                         reasons=request.POST.get("reasons", ""), corrected_facts=corrected)
        messages.success(request, f"已决定：{done.get_status_display()}")
        return ""


class AttachView(_Post):
    def act(self, request, objection) -> str:
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError("attachment_missing", "请选择要上传的文件", {"file": ["请选择文件"]})
        services.objection_attach(user=request.user, objection_id=objection.pk, upload=upload,
                                  description=request.POST.get("description", ""))
        messages.success(request, "附件已上传")
        return ""


class AttachmentDownloadView(RoleRequiredMixin, View):
    """The only way out for an objection's file: scoped by the objection (404 outside it), audited."""

    def get(self, request, pk, attachment_id):
        objection = objection_get(user=request.user, pk=pk)
        attachment = objection_attachments(objection).filter(pk=attachment_id).first()
        if attachment is None:
            raise NotFoundError("not_found", "记录不存在或无权访问。")
        assert isinstance(attachment, Attachment)
        return attachment_response(attachment=attachment, user=request.user, request=request)


def record_objections_url(source: str, record_id: int) -> str:
    return f"{reverse('objections:list')}?source={source}&record={record_id}"


