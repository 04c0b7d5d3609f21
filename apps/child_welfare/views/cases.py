"""The case pages: report, the case file, edit, risk, lifecycle actions, categories, guardians, sensitive notes."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.child_welfare import benefits, forms, lifecycle, selectors, services, statistics
from apps.child_welfare.ages import child_age
from apps.child_welfare.lifecycle import CASE_LIFECYCLE
from apps.child_welfare.models import Domain
from apps.child_welfare.views.base import CaseFormView, CaseMixin, download
from apps.core import audit, idempotency
from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_error
from apps.core.models import AccessLog


class CaseExportView(CaseMixin, View):
    """The case file with its history (e.g. for a transfer or an inspection)."""

    def get(self, request, pk):
        audit.log_read(user=request.user, obj=self.case, request=request, action=AccessLog.Action.EXPORT)
        return download(statistics.case_dossier_rows(self.case), f"个案{self.case.reference}",
                         request.GET.get("format", "csv"))



class CaseReportView(RoleRequiredMixin, View):
    def render_form(self, form):
        return render(self.request, "child_welfare/case_report.html",
                      {"form": form, "form_token": idempotency.page_token(self.request)})

    def get(self, request):
        return self.render_form(forms.CaseReportForm(user=request.user))

    def post(self, request):
        form = forms.CaseReportForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            guardians = ([{"name": d["guardian_name"], "relationship": d["guardian_relationship"] or "监护人",
                           "situation": d["guardian_situation"] or "normal", "phone": d["guardian_phone"]}]
                         if d["guardian_name"] else [])

            def report() -> str:
                case = services.case_report(
                    user=request.user, child_id_number=d["child_id_number"], child_name=d["child_name"],
                    region_code=d["region"], referral_source=d["referral_source"], risk_level=d["risk_level"],
                    risk_reason=d["risk_reason"], categories=[(c, d["categories_since"]) for c in d["categories"]],
                    guardians=guardians, township=d["township"], village=d["village"], address=d["address"],
                    household_situation=d["household_situation"])
                messages.success(request, f"已建立个案 {case.reference}")
                if selectors.user_can_open(request.user, case):
                    return reverse("child_welfare:case-detail", args=[case.pk])
                return reverse("child_welfare:case-list")

            try:
                return idempotency.once_redirect(request, report, fallback_url=reverse("child_welfare:case-list"))
            except ApplicationError as error:
                if "child_id_number" in error.fields or error.code == "invalid_id_number":
                    error.fields.setdefault("child_id_number", error.fields.pop("id_number", []))
                add_service_error(form, error)
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
                "stepper": lifecycle.stepper(case.status), "actions": CASE_LIFECYCLE.available(case, user),
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
                "age": child_age(case.child)}


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
        add_service_error(form, error)
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
    once = True
    form_class = forms.CategoryForm

    def perform(self, form):
        services.category_add(user=self.request.user, case_id=self.case.pk, **form.cleaned_data)


class GuardianAddView(CaseFormView):
    title = "添加监护人"
    once = True
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
                def add() -> str:
                    services.sensitive_note_add(user=request.user, case_id=self.case.pk,
                                                text=note_form.cleaned_data["text"])
                    messages.success(request, "敏感信息已记录")
                    return self.case_url()

                return idempotency.once_redirect(request, add, fallback_url=self.case_url())  # once per form
            return redirect(self.case_url())
        form = forms.PurposeForm(request.POST)
        if not form.is_valid():
            return render(request, "child_welfare/sensitive.html", {"case": self.case, "form": form})
        notes = services.sensitive_notes_read(user=request.user, case_id=self.case.pk,
                                              purpose=form.cleaned_data["purpose"], request=request)
        return render(request, "child_welfare/sensitive.html",
                      {"case": self.case, "notes": notes, "purpose": form.cleaned_data["purpose"],
                       "note_form": forms.SensitiveNoteForm()})
