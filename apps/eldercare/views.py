"""Caseworker UI of 养老服务人才: the same services and selectors as the API."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.applicants.models import Person
from apps.applicants.selectors import person_by_id_number
from apps.core import audit
from apps.core.exceptions import ApplicationError
from apps.core.exports import table_download
from apps.core.forms import report_error
from apps.core.idempotency import ServiceCreateMixin, once_redirect
from apps.core.models import AccessLog
from apps.core.money import format_money
from apps.core.pagination import PageSizeMixin
from apps.core.scoping import visible_regions
from apps.eldercare import forms, indicators, selectors, services
from apps.eldercare.models import (
    SKILL_LEVEL_CHOICES,
    BlacklistEntry,
    IncentiveClaim,
    Institution,
    StaffMember,
)
from apps.eldercare.publicity import entry_publicity

# ------------------------------------------------------------------ institutions


class InstitutionListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "eldercare/institution_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.institution_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "ownerships": Institution.Ownership.choices}


class InstitutionCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "eldercare/form.html"
    form_class = forms.InstitutionForm
    fallback_url_name = "eldercare:institution-list"
    extra_context = {"title": "登记养老机构", "back": "eldercare:institution-list", "back_label": "养老机构"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "regions": visible_regions(self.request.user).order_by("code")}

    def create(self, form) -> str:
        institution = form.save(commit=False)
        saved = services.institution_save(institution=institution, user=self.request.user)
        messages.success(self.request, f"养老机构“{saved.name}”已登记")
        return reverse("eldercare:institution-detail", args=[saved.pk])


class InstitutionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "eldercare/institution_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        institution = selectors.institution_get(user=user, pk=kwargs["pk"])
        staff = list(selectors.staff_list(user=user, filters={"institution": institution.pk}))
        audit.log_bulk_read(user=user, model=Person, ids=[s.person_id for s in staff], request=self.request,
                            action=AccessLog.Action.VIEW, purpose="养老机构工作人员")
        entries = list(selectors.blacklist_list(user=user, filters={"institution": institution.pk}))
        today = timezone.localdate()
        return {**super().get_context_data(**kwargs), "institution": institution, "staff": staff,
                "entries": entries, "listed": any(e.listed_on_day(today) for e in entries)}


# ------------------------------------------------------------------ staff


class StaffListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "eldercare/staff_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.staff_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit.log_bulk_read(user=self.request.user, model=Person,
                            ids=[s.person_id for s in context["object_list"]], request=self.request,
                            action=AccessLog.Action.VIEW, purpose="养老服务人员列表")
        return {**context, "roles": StaffMember.Role.choices, "skill_levels": SKILL_LEVEL_CHOICES}


class StaffCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "eldercare/form.html"
    form_class = forms.StaffForm
    fallback_url_name = "eldercare:staff-list"
    extra_context = {"title": "登记养老服务人员", "back": "eldercare:staff-list", "back_label": "养老服务人员"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "institutions": selectors.institution_list(user=self.request.user)}

    def get_initial(self):
        return {"institution": self.request.GET.get("institution", "")} if self.request.GET.get(
            "institution", "").isdigit() else {}

    def create(self, form) -> str:
        staff = form.save(commit=False)
        staff.person = person_by_id_number(user=self.request.user, id_number=form.cleaned_data["id_number"])
        saved = services.staff_save(staff=staff, user=self.request.user)
        messages.success(self.request, f"{saved.person.name} 已登记为“{saved.institution.name}”工作人员")
        return reverse("eldercare:staff-detail", args=[saved.pk])


class StaffDetailView(RoleRequiredMixin, TemplateView):
    template_name = "eldercare/staff_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        staff = selectors.staff_get(user=user, pk=kwargs["pk"])
        audit.log_read(user=user, obj=staff.person, request=self.request, purpose="养老服务人员")
        claims = list(selectors.claim_list(user=user, filters={"staff": staff.pk}))
        entries = list(selectors.blacklist_list(user=user, filters={"person": staff.person_id}))
        return {**super().get_context_data(**kwargs), "staff": staff, "claims": claims, "entries": entries,
                "claim_form": kwargs.get("claim_form") or forms.ClaimForm(
                    initial={"claim_date": timezone.localdate()})}


class ClaimCreateView(RoleRequiredMixin, View):
    """The 申领 form of the staff page (its one-time token: {% new_form_token %})."""

    def post(self, request, pk):
        staff = selectors.staff_get(user=request.user, pk=pk)
        form = forms.ClaimForm(request.POST)
        if form.is_valid():
            values = form.cleaned_data

            def create() -> str:
                claim = services.claim_submit(
                    staff=staff, user=request.user, kind=values["kind"], claim_date=values["claim_date"],
                    months=values["months"] or 0, honour_level=values["honour_level"],
                    training_certificate=values["training_certificate"], founder=values["founder"])
                messages.success(request, f"{claim.get_kind_display()} {format_money(claim.amount)} 元已提交审核")
                return reverse("eldercare:claim-detail", args=[claim.pk])

            try:
                return once_redirect(request, create, fallback_url=reverse("eldercare:staff-detail", args=[pk]))
            except ApplicationError as error:
                report_error(request, error, form)
        view = StaffDetailView(request=request, kwargs={"pk": pk})
        view.setup(request, pk=pk)
        return view.render_to_response(view.get_context_data(pk=pk, claim_form=form), status=400)


# ------------------------------------------------------------------ 严重失信名单


class BlacklistListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "eldercare/blacklist_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.blacklist_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "subjects": BlacklistEntry.Subject.choices,
                "today": timezone.localdate()}


class BlacklistCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "eldercare/form.html"
    form_class = forms.BlacklistForm
    fallback_url_name = "eldercare:blacklist-list"
    extra_context = {"title": "列入严重失信名单", "back": "eldercare:blacklist-list", "back_label": "严重失信名单",
                     "note": "依据吉民发〔2024〕33号：对列入严重违法失信名单的养老机构经营主体和人员，依法依规进行公示，开展失信惩戒；"
                             "列入期间不得享受养老服务人才补贴。"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "institutions": selectors.institution_list(user=self.request.user)}

    def create(self, form) -> str:
        values = form.cleaned_data
        institution = person = None
        if values["subject"] == BlacklistEntry.Subject.INSTITUTION:
            institution = values["institution"]
        elif values["id_number"]:
            person = person_by_id_number(user=self.request.user, id_number=values["id_number"])
        entry = services.blacklist_add(user=self.request.user, reason=values["reason"], source=values["source"],
                                       listed_on=values["listed_on"], institution=institution, person=person)
        messages.success(self.request, f"{entry.subject_name} 已列入严重失信名单")
        return reverse("eldercare:blacklist-detail", args=[entry.pk])


class BlacklistDetailView(RoleRequiredMixin, TemplateView):
    template_name = "eldercare/blacklist_detail.html"

    def get_context_data(self, **kwargs):
        entry = selectors.blacklist_get(user=self.request.user, pk=kwargs["pk"])
        if entry.person is not None:
            audit.log_read(user=self.request.user, obj=entry.person, request=self.request, purpose="严重失信名单")
        return {**super().get_context_data(**kwargs), "entry": entry, "remove_form": forms.RemoveForm(),
                "publicity": entry_publicity(entry=entry, request=self.request),
                "listed": entry.listed_on_day(timezone.localdate())}


class BlacklistRemoveView(RoleRequiredMixin, View):
    def post(self, request, pk):
        entry = selectors.blacklist_get(user=request.user, pk=pk)
        form = forms.RemoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写有效的移出日期")
        else:
            try:
                services.blacklist_remove(entry=entry, user=request.user, removed_on=form.cleaned_data["removed_on"],
                                          note=form.cleaned_data["note"])
                messages.success(request, "已移出严重失信名单")
            except ApplicationError as error:
                report_error(request, error)
        return redirect("eldercare:blacklist-detail", pk=entry.pk)


class BlacklistPublishView(RoleRequiredMixin, View):
    def post(self, request, pk):
        entry = selectors.blacklist_get(user=request.user, pk=pk)
        try:
            services.blacklist_publish(entry=entry, user=request.user)
            messages.success(request, "已发布公示")
        except ApplicationError as error:
            report_error(request, error)
        return redirect("eldercare:blacklist-detail", pk=entry.pk)


# ------------------------------------------------------------------ claims


class ClaimListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "eldercare/claim_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit.log_bulk_read(user=self.request.user, model=Person,
                            ids=[c.person_id for c in context["object_list"]], request=self.request,
                            action=AccessLog.Action.VIEW, purpose="养老服务人才补贴申领列表")
        return {**context, "kinds": IncentiveClaim._meta.get_field("kind").choices,
                "statuses": IncentiveClaim.Status.choices}


class ClaimDetailView(RoleRequiredMixin, TemplateView):
    template_name = "eldercare/claim_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        claim = selectors.claim_get(user=user, pk=kwargs["pk"])
        audit.log_read(user=user, obj=claim.person, request=self.request, purpose="养老服务人才补贴申领")
        return {**super().get_context_data(**kwargs), "claim": claim, "result": claim.explanation,
                "offers": services.CLAIM_LIFECYCLE.offers(claim, user)}


class ClaimReviewView(RoleRequiredMixin, View):
    def post(self, request, pk):
        claim = selectors.claim_get(user=request.user, pk=pk)
        try:
            claim = services.claim_review(claim=claim, user=request.user, action=request.POST.get("action", ""),
                                          note=request.POST.get("note", ""))
            messages.success(request, f"申领已{claim.get_status_display()}")
        except ApplicationError as error:
            if error.status_code == 403:
                raise  # the one review refusal page (ApplicationErrorMiddleware)
            report_error(request, error)
        return redirect("eldercare:claim-detail", pk=claim.pk)


# ------------------------------------------------------------------ indicators


class IndicatorView(RoleRequiredMixin, TemplateView):
    template_name = "eldercare/indicators.html"

    def get(self, request, *args, **kwargs):
        export = request.GET.get("format")
        if export in ("csv", "xlsx"):
            rows, total = indicators.indicator_rows(user=request.user)
            stamp = timezone.localdate().strftime("%Y%m%d")
            return table_download(indicators.export_table(rows, total), fmt=export,
                                  stem=f"eldercare-social-workers-{stamp}", title="养老服务社会工作者配备指标",
                                  widths=[10, 14, 10, 12, 14, 12, 16, 16, 12, 12, 12])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows, total = indicators.indicator_rows(user=self.request.user)
        top = rows[:12]
        return {**super().get_context_data(**kwargs), "rows": rows, "total": total,
                "chart_older": {"labels": [r.label for r in top],
                                "values": [str(r.per_thousand_older or 0) for r in top]},
                "chart_beds": {"labels": [r.label for r in top],
                               "values": [str(r.per_hundred_beds or 0) for r in top]}}
