"""Caseworker UI. Same services and selectors as the API; a case the user may not open is a 404."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.child_welfare import benefits, forms, lifecycle, selectors, services, statistics
from apps.child_welfare.filters import CaseFilter
from apps.child_welfare.models import Case, CharityResource, Domain, Referral, Severity
from apps.core import audit
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.exports import table_download
from apps.core.models import AccessLog


def _apply_error(form, error: ApplicationError) -> None:
    """Field errors where the form has the field; everything else on top of the form."""
    form.add_error(None, error.message)
    for name, msgs in error.fields.items():
        for msg in msgs:
            form.add_error(name if name in form.fields else None, msg)


class CaseMixin(RoleRequiredMixin):
    """Loads self.case through the access rule; anything else is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            try:
                self.case = selectors.case_get(user=request.user, pk=kwargs["pk"])
            except NotFoundError as error:
                if request.user.has_role(*self.allowed_roles):
                    raise Http404 from error
        return super().dispatch(request, *args, **kwargs)

    def case_url(self, anchor: str = "") -> str:
        return reverse("child_welfare:case-detail", args=[self.case.pk]) + (f"#{anchor}" if anchor else "")


class CaseFormView(CaseMixin, View):
    """A small form about one case: GET shows it, POST calls `perform` and returns to the case."""

    title = ""
    form_class = None
    anchor = ""
    submit_label = "保存"

    def get_form(self, data=None):
        return self.form_class(data)

    def render_form(self, form, **extra):
        return render(self.request, "child_welfare/form.html",
                      {"case": self.case, "form": form, "title": self.title, "submit_label": self.submit_label,
                       "back_url": self.case_url(self.anchor), **extra})

    def get(self, request, pk, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, pk, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                self.perform(form)
            except services.StaleVersionError as error:
                return self.on_stale(form, error)
            except ApplicationError as error:
                _apply_error(form, error)
            else:
                messages.success(request, f"{self.title}：已保存")
                return redirect(self.case_url(self.anchor))
        return self.render_form(form)

    def on_stale(self, form, error):
        _apply_error(form, error)
        return self.render_form(form, conflict=error)

    def perform(self, form):
        raise NotImplementedError


# ---------------------------------------------------------------- dashboard, lists, exports


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "child_welfare/dashboard.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, date.today()
        stats = statistics.case_statistics(user=user, today=today, months=6)
        return {**super().get_context_data(**kwargs), "totals": stats["totals"], "stats": stats, "today": today,
                "overdue_visits": selectors.overdue_visits(user=user, today=today)[:20],
                "overdue_reviews": selectors.overdue_reviews(user=user, today=today)[:20],
                "escalations": selectors.open_escalations(user=user)[:20],
                "to_verify": selectors.case_list(user=user, filters={"status": "reported"})[:20]}


class CaseListView(RoleRequiredMixin, TemplateView):
    """`?scope=region` is the masked overview of every case in the region (to avoid double reports)."""

    template_name = "child_welfare/case_list.html"

    def get_context_data(self, **kwargs):
        user, params = self.request.user, self.request.GET
        overview = params.get("scope") == "region"
        cases = (selectors.case_region_overview if overview else selectors.case_list)(user=user, filters=params)
        page = Paginator(cases.order_by("-reported_on", "-id"), 50).get_page(params.get("page"))
        openable = [case.pk for case in page.object_list if case.can_open]
        audit.log_bulk_read(user=user, model=Case, ids=openable, request=self.request, action=AccessLog.Action.VIEW)
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": CaseFilter(params),
                "overview": overview, "today": date.today()}


class CaseListExportView(RoleRequiredMixin, View):
    def get(self, request):
        cases = list(selectors.case_list(user=request.user, filters=request.GET).order_by("id"))
        audit.log_bulk_read(user=request.user, model=Case, ids=[c.pk for c in cases], request=request)
        return _download(statistics.case_rows(cases), "困境儿童个案", request.GET.get("format", "csv"))


def _download(rows, name: str, fmt: str) -> HttpResponse:
    return table_download(rows, fmt=fmt, stem=f"{name}-{date.today():%Y%m%d}", title=name)


class CaseExportView(CaseMixin, View):
    """The case file with its history (e.g. for a transfer or an inspection)."""

    def get(self, request, pk):
        audit.log_read(user=request.user, obj=self.case, request=request, action=AccessLog.Action.EXPORT)
        return _download(statistics.case_dossier_rows(self.case), f"个案{self.case.reference}",
                         request.GET.get("format", "csv"))


class StatisticsView(RoleRequiredMixin, TemplateView):
    template_name = "child_welfare/statistics.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "stats": statistics.case_statistics(user=self.request.user, today=date.today())}


class StatisticsExportView(RoleRequiredMixin, View):
    def get(self, request):
        rows = statistics.statistics_table(statistics.case_statistics(user=request.user, today=date.today()))
        return _download(rows, "困境儿童统计", request.GET.get("format", "csv"))


class CaseloadView(RoleRequiredMixin, TemplateView):
    template_name = "child_welfare/caseload.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, date.today()
        unassigned = selectors.case_list(user=user, filters={}).filter(director__isnull=True, status__in=[
            s for s in lifecycle.STEPS if s != "closed"]).count()
        return {**super().get_context_data(**kwargs), "directors": selectors.director_caseload(user=user, today=today),
                "unassigned": unassigned}


class MatchingView(RoleRequiredMixin, TemplateView):
    """需求与慈善资源对接: needs from the latest assessments next to the resources that cover them."""

    template_name = "child_welfare/matching.html"

    def get_context_data(self, **kwargs):
        domain = self.request.GET.get("domain", "")
        rows = selectors.resource_matches(user=self.request.user)
        if domain:
            rows = [r for r in rows if r["need"].domain == domain]
        return {**super().get_context_data(**kwargs), "rows": rows, "domains": Domain.choices, "domain": domain,
                "resources": CharityResource.objects.filter(active=True).select_related("region")[:50],
                "high": Severity.HIGH}


class MatchReferView(CaseMixin, View):
    def post(self, request, pk):
        try:
            resource = CharityResource.objects.get(pk=request.POST.get("resource"), active=True)
        except (CharityResource.DoesNotExist, ValueError) as error:
            raise Http404 from error
        target = (Referral.TargetType.VOLUNTEER if resource.provider_type == CharityResource.ProviderType.VOLUNTEER
                  else Referral.TargetType.CHARITY)
        services.referral_create(user=request.user, case_id=self.case.pk, target_type=target,
                                 target_name=resource.provider, domain=resource.domain, resource=resource,
                                 request=f"需求对接：{resource.name}")
        messages.success(request, f"已转介至 {resource.provider}")
        return redirect(reverse("child_welfare:matching") + f"?domain={request.POST.get('domain', '')}")


# ---------------------------------------------------------------- the case


class CaseReportView(RoleRequiredMixin, View):
    def render_form(self, form):
        return render(self.request, "child_welfare/case_report.html", {"form": form})

    def get(self, request):
        return self.render_form(forms.CaseReportForm(user=request.user))

    def post(self, request):
        form = forms.CaseReportForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            guardians = ([{"name": d["guardian_name"], "relationship": d["guardian_relationship"] or "监护人",
                           "situation": d["guardian_situation"] or "normal", "phone": d["guardian_phone"]}]
                         if d["guardian_name"] else [])
            try:
                case = services.case_report(
                    user=request.user, child_id_number=d["child_id_number"], child_name=d["child_name"],
                    region_code=d["region"], referral_source=d["referral_source"], risk_level=d["risk_level"],
                    risk_reason=d["risk_reason"], categories=[(c, d["categories_since"]) for c in d["categories"]],
                    guardians=guardians, township=d["township"], village=d["village"], address=d["address"],
                    household_situation=d["household_situation"])
            except ApplicationError as error:
                if "child_id_number" in error.fields or error.code == "invalid_id_number":
                    error.fields.setdefault("child_id_number", error.fields.pop("id_number", []))
                _apply_error(form, error)
            else:
                messages.success(request, f"已建立个案 {case.reference}")
                if selectors.user_can_open(request.user, case):
                    return redirect("child_welfare:case-detail", pk=case.pk)
                return redirect("child_welfare:case-list")
        return self.render_form(form)


class CaseDetailView(CaseMixin, TemplateView):
    template_name = "child_welfare/case_detail.html"

    def get_context_data(self, **kwargs):
        case, user = self.case, self.request.user
        audit.log_read(user=user, obj=case, request=self.request)
        assessments = list(selectors.assessment_list(user=user, case=case))
        latest = assessments[0] if assessments else None
        domains = {d.domain: d for d in latest.domains.all()} if latest else {}
        plan = list(selectors.plan_item_list(user=user, case=case))
        return {**super().get_context_data(**kwargs), "case": case, "today": date.today(),
                "stepper": lifecycle.stepper(case.status), "actions": lifecycle.available(case.status),
                "categories": case.categories.all(), "guardians": case.guardians.all(),
                "transitions": case.transitions.select_related("by", "from_region", "to_region"),
                "risk_changes": case.risk_changes.select_related("by"),
                "assessments": assessments, "latest": latest,
                "domain_cards": [{"domain": key, "label": label, "row": domains.get(key),
                                  "plan": [p for p in plan if p.domain == key]} for key, label in Domain.choices],
                "visits": selectors.visit_list(user=user, case=case)[:20],
                "referrals": selectors.referral_list(user=user, case=case),
                "sensitive_count": case.sensitive_notes.count(),
                "escalations": case.escalations.filter(resolved_at__isnull=True),
                "benefits": benefits.case_benefits(case), "transition_form": forms.TransitionForm(),
                "age": selectors.child_age(case.child)}


class CaseEditView(CaseFormView):
    title = "编辑个案信息"

    def get_form(self, data=None):
        return forms.CaseEditForm(data, instance=self.case, initial={"version": self.case.version},
                                  user=self.request.user)

    def perform(self, form):
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        services.case_update(user=self.request.user, case_id=self.case.pk,
                             expected_version=form.cleaned_data["version"], data=data)

    def on_stale(self, form, error):
        # Show the other person's values and the new version: the user re-applies their change on top.
        _apply_error(form, error)
        return self.render_form(form, conflict=error, fresh_version=error.current.version)


class CaseRiskView(CaseFormView):
    title = "调整风险等级"
    anchor = "risk"

    def get_form(self, data=None):
        return forms.RiskForm(data, initial={"version": self.case.version, "risk_level": self.case.risk_level})

    def perform(self, form):
        d = form.cleaned_data
        services.case_set_risk(user=self.request.user, case_id=self.case.pk, expected_version=d["version"],
                               risk_level=d["risk_level"], reason=d["reason"])


class CaseTransitionView(CaseMixin, View):
    def post(self, request, pk, action):
        form = forms.TransitionForm(request.POST)
        form.is_valid()
        d = form.cleaned_data
        try:
            case = services.case_transition(
                user=request.user, case_id=self.case.pk, action=action, reason=d.get("reason", ""),
                closure_reason=d.get("closure_reason", ""), target_region_code=d.get("target_region", ""),
                expected_version=d.get("version"))
        except ApplicationError as error:
            details = "；".join(m for msgs in error.fields.values() for m in msgs)
            messages.error(request, f"{error.message}{'（' + details + '）' if details else ''}")
            return redirect(self.case_url())
        messages.success(request, f"{lifecycle.action_label(action)}：已完成")
        if not selectors.user_can_open(request.user, case):
            messages.info(request, f"个案 {case.reference} 已转至 {case.region.full_name}，由当地经办人接续办理。")
            return redirect("child_welfare:case-list")
        return redirect(self.case_url())


class CategoryAddView(CaseFormView):
    title = "添加困境类别"
    form_class = forms.CategoryForm

    def perform(self, form):
        services.category_add(user=self.request.user, case_id=self.case.pk, **form.cleaned_data)


class GuardianAddView(CaseFormView):
    title = "添加监护人"
    form_class = forms.GuardianForm

    def perform(self, form):
        services.guardian_add(user=self.request.user, case_id=self.case.pk, **form.cleaned_data)


class SensitiveNotesView(CaseMixin, View):
    """查看敏感信息: a purpose first (logged), then the notes. Nothing is shown on a GET."""

    def get(self, request, pk):
        return render(request, "child_welfare/sensitive.html", {"case": self.case, "form": forms.PurposeForm()})

    def post(self, request, pk):
        if "text" in request.POST:
            note_form = forms.SensitiveNoteForm(request.POST)
            if note_form.is_valid():
                services.sensitive_note_add(user=request.user, case_id=self.case.pk, text=note_form.cleaned_data["text"])
                messages.success(request, "敏感信息已记录")
            return redirect(self.case_url())
        form = forms.PurposeForm(request.POST)
        if not form.is_valid():
            return render(request, "child_welfare/sensitive.html", {"case": self.case, "form": form})
        notes = services.sensitive_notes_read(user=request.user, case_id=self.case.pk,
                                              purpose=form.cleaned_data["purpose"], request=request)
        return render(request, "child_welfare/sensitive.html",
                      {"case": self.case, "notes": notes, "purpose": form.cleaned_data["purpose"],
                       "note_form": forms.SensitiveNoteForm()})


class AssessmentFormView(CaseFormView):
    anchor = "assessment"

    def render_form(self, form, **extra):
        return render(self.request, "child_welfare/assessment_form.html",
                      {"case": self.case, "form": form, "title": self.title, "back_url": self.case_url(self.anchor),
                       **extra})


class AssessmentCreateView(AssessmentFormView):
    title = "六领域需求评估"

    def get_form(self, data=None):
        return forms.AssessmentForm(data)

    def perform(self, form):
        services.assessment_create(user=self.request.user, case_id=self.case.pk,
                                   assessed_on=form.cleaned_data["assessed_on"],
                                   summary=form.cleaned_data["summary"], domains=form.domains())


class AssessmentEditView(AssessmentFormView):
    title = "修改需求评估"

    def _assessment(self):
        try:
            return selectors.child_record_get(selectors.assessment_list(user=self.request.user, case=self.case),
                                              self.kwargs["assessment_id"])
        except NotFoundError as error:
            raise Http404 from error

    def get_form(self, data=None):
        assessment = self._assessment()
        initial = {"version": assessment.version, "assessed_on": assessment.assessed_on,
                   "summary": assessment.summary}
        for row in assessment.domains.all():
            initial[f"{row.domain}_severity"], initial[f"{row.domain}_needs"] = row.severity, row.needs
        return forms.AssessmentForm(data, initial=initial)

    def perform(self, form):
        services.assessment_update(user=self.request.user, assessment_id=self.kwargs["assessment_id"],
                                   expected_version=form.cleaned_data["version"],
                                   assessed_on=form.cleaned_data["assessed_on"],
                                   summary=form.cleaned_data["summary"], domains=form.domains())

    def on_stale(self, form, error):
        _apply_error(form, error)
        return self.render_form(form, conflict=error, fresh_version=error.current.version,
                                current=self._assessment())


class PlanItemView(CaseFormView):
    title = "服务计划事项"
    anchor = "plan"

    def get_form(self, data=None):
        item_id = self.kwargs.get("item_id")
        if item_id:
            item = self.case.plan_items.filter(pk=item_id).first()
            if item is None:
                raise Http404
            return forms.PlanItemForm(data, instance=item)
        return forms.PlanItemForm(data, initial={"domain": self.request.GET.get("domain")})

    def perform(self, form):
        services.plan_item_save(user=self.request.user, case_id=self.case.pk, item_id=self.kwargs.get("item_id"),
                                **form.cleaned_data)


class VisitCreateView(CaseFormView):
    title = "记录入户探访"
    anchor = "visits"

    def get_form(self, data=None):
        return forms.VisitForm(data, initial={"visited_on": date.today(), "visitors": str(self.request.user)})

    def perform(self, form):
        services.visit_record(user=self.request.user, case_id=self.case.pk, **form.cleaned_data)


class ReferralCreateView(CaseFormView):
    title = "转介"
    anchor = "referrals"

    def get_form(self, data=None):
        return forms.ReferralForm(data, initial={"referred_on": date.today()})

    def perform(self, form):
        services.referral_create(user=self.request.user, case_id=self.case.pk, **form.cleaned_data)


class ReferralRespondView(CaseFormView):
    title = "登记转介回复"
    anchor = "referrals"
    form_class = forms.ReferralResponseForm

    def perform(self, form):
        services.referral_respond(user=self.request.user, referral_id=self.kwargs["referral_id"],
                                  **form.cleaned_data)
