"""Caseworker UI: the same services and selectors as the API."""

from datetime import date

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core import audit
from apps.core.bulk import BulkActionView, bulk_context
from apps.core.exceptions import ApplicationError
from apps.core.exports import table_download
from apps.core.forms import report_error
from apps.core.idempotency import ServiceCreateMixin, once_redirect
from apps.core.listing import Listing, ListingMixin, register_listing
from apps.core.pagination import PageSizeMixin
from apps.core.review import ReviewRefused
from apps.documents.views import notice_pdf_response, notice_preview_context
from apps.employers.selectors import employer_list
from apps.objections.selectors import objection_list
from apps.objections.sources import SOURCES as OBJECTION_SOURCES
from apps.training import forms, indicators, selectors, services
from apps.training.bulk import ENROLLMENT_BULK
from apps.training.filters import EnrollmentFilter
from apps.training.models import EnrollmentStatus, Occupation, TrainingSubsidyClaim
from apps.training.notices import SOURCE as NOTICE_SOURCE
from apps.training.objections import claim_comparison
from apps.training.publicity import claim_publicity
from apps.training.services import ENROLLMENT_LIFECYCLE, MAIN_PATH
from apps.training.services.claims import OBJECTION_SLUG


class TrainingDashboardView(RoleRequiredMixin, TemplateView):
    template_name = "training/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        counts = selectors.status_counts(user=user)
        rows, total = indicators.indicator_rows(user=user, dimension="program")
        funnel = [(EnrollmentStatus(s).label, sum(counts.get(t, 0) for t in MAIN_PATH[i:]))
                  for i, s in enumerate(MAIN_PATH)]
        return {**super().get_context_data(**kwargs),
                "stats": [("在训及已报名", sum(counts.get(s, 0) for s in ("registered", "enrolled", "in_training")),
                           "person-plus"),
                          ("培训人数", total.trained, "mortarboard"),
                          ("培训后就业率", f"{total.employment_rate}%" if total.employment_rate is not None else "—",
                           "briefcase"),
                          ("待办回访", selectors.worklist(user=user).count(), "bell")],
                "funnel": {"labels": [str(label) for label, _ in funnel], "values": [n for _, n in funnel]},
                "programs": selectors.program_list(user=user).order_by("-start_date")[:6],
                "total": total}


class ProgramListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "training/program_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.program_list(user=self.request.user, filters=self.request.GET)


class ProgramDetailView(RoleRequiredMixin, TemplateView):
    template_name = "training/program_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        program = selectors.program_get(user=user, pk=kwargs["pk"])
        subsidy = selectors.program_subsidy(program=program)
        return {**super().get_context_data(**kwargs), "program": program, "subsidy_amount": subsidy["amount"],
                "subsidy_source": subsidy["source"], "level_amounts": subsidy["levels"],
                "enrollments": selectors.enrollment_list(user=user, filters={"program": program.pk})[:200],
                "shortages": program.shortages.select_related("employer", "occupation"),
                "willingness": program.willingness.select_related("person", "occupation")}


class ProgramCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "training/program_form.html"
    form_class = forms.ProgramForm
    fallback_url_name = "training:program-list"

    def _shortage(self):
        pk = self.request.GET.get("shortage")
        return selectors.shortage_get(user=self.request.user, pk=pk) if pk else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "providers": selectors.provider_list(user=self.request.user)}

    def get_initial(self):
        shortage = self._shortage()
        if shortage is None:
            return {}
        return {"occupation": shortage.occupation, "capacity": shortage.count,
                "name": f"{shortage.occupation.name}订单式培训班", "target_groups": ["migrant_worker", "unemployed"]}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "shortage": self._shortage()}

    def create(self, form) -> str:
        shortage = self._shortage()
        program = form.save(commit=False)
        program.region_id = form.cleaned_data["provider"].region_id
        # Demand for the same occupation nearby is linked too: the page then shows how much is met.
        saved = services.program_save(program=program, user=self.request.user,
                                      shortages=[shortage] if shortage else [])
        messages.success(self.request, f"培训项目“{saved.name}”已创建")
        return reverse("training:program-detail", args=[saved.pk])


class EnrollmentListView(RoleRequiredMixin, ListingMixin, PageSizeMixin, ListView):
    listing = register_listing(Listing("training-enrollments", "培训报名", "training:enrollment-list", EnrollmentFilter,
                                       facets=("status", "target_group")))
    template_name = "training/enrollment_list.html"
    paginate_by = 50

    def facet_queryset(self):
        return selectors.enrollment_list(user=self.request.user, filters={})

    def get_queryset(self):
        return selectors.enrollment_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter": EnrollmentFilter(self.request.GET),
                "statuses": EnrollmentStatus.choices,
                **bulk_context(self.request, ENROLLMENT_BULK, reverse("training:enrollment-bulk"))}


class EnrollmentBulkView(RoleRequiredMixin, BulkActionView):
    """Several enrollments moved to their next stage at once (apps.core.bulk): per enrollment, with a report."""

    bulk = ENROLLMENT_BULK
    list_url_name = "training:enrollment-list"


def _stepper(enrollment) -> list[dict]:
    path = list(MAIN_PATH)
    dropped = enrollment.status == EnrollmentStatus.DROPPED_OUT
    if dropped:
        reached = {t.from_status for t in enrollment.transitions.all()}
        current = max((path.index(s) for s in reached if s in path), default=0)
    else:
        current = path.index(enrollment.status)
    finished = dropped or enrollment.status == EnrollmentStatus.PAID
    return [{"label": EnrollmentStatus(s).label, "state": "done" if i < current or (i == current and finished)
             else "current" if i == current else "todo"} for i, s in enumerate(path)]


class EnrollmentDetailView(RoleRequiredMixin, TemplateView):
    template_name = "training/enrollment_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        enrollment = selectors.enrollment_get(user=user, pk=kwargs["pk"])
        audit.log_read(user=user, obj=enrollment, request=self.request)
        offers = ENROLLMENT_LIFECYCLE.offers(enrollment, user)  # refused ones drawn disabled with the reason
        actions = [o.transition for o in offers if not o.refusal]
        claimed_levels = {(c.kind, c.level) for c in enrollment.claims.all() if c.status != TrainingSubsidyClaim.Status.REJECTED}
        return {**super().get_context_data(**kwargs), "enrollment": enrollment, "person": enrollment.person,
                "stepper": _stepper(enrollment), "actions": actions, "offers": offers,
                "certificate_form": forms.CertificateForm(prefix="cert"),
                "employment_form": forms.EmploymentForm(prefix="emp"),
                "follow_up_form": forms.FollowUpForm(prefix="fu"),
                "claimable_certificates": [c for c in enrollment.certificates.all() if c.calculator_level
                                           and ("assessment", c.calculator_level) not in claimed_levels],
                "claim_blocks": [_claim_block(claim, user, self.request) for claim in enrollment.claims.all()],
                "objection_lodgeable": OBJECTION_SLUG in OBJECTION_SOURCES, "objection_slug": OBJECTION_SLUG,
                "today": timezone.localdate()}


def _claim_block(claim: TrainingSubsidyClaim, user, request) -> dict:
    """One claim on the enrollment page: its own buttons (an assessment-subsidy claim's; a training-subsidy claim
    moves with the enrollment's buttons above), its 公示 card with the objections, and 新旧对照 once an upheld
    objection recomputed it."""
    published = claim.published_at is not None
    return {
        "claim": claim,
        "offers": (services.CLAIM_LIFECYCLE.offers(claim, user) if claim.kind == TrainingSubsidyClaim.Kind.ASSESSMENT
                   else []),
        "publicity": claim_publicity(claim=claim, request=request) if published else {"published": False},
        "objections": (list(objection_list(user=user, source=OBJECTION_SLUG, record_id=claim.pk)) if published
                       else []),
        "comparison": claim_comparison(claim) if published else None,
        "notice_offered": claim.status != TrainingSubsidyClaim.Status.REJECTED and claim.amount > 0,
    }


class ClaimNoticeView(RoleRequiredMixin, TemplateView):
    """告知书 preview (HTML, printable), the same content as its PDF (apps.training.notices); 草稿 until the
    claim is approved. Scoped like the claim (404 outside the user's region)."""

    template_name = "training/claim_notice.html"

    def get_context_data(self, **kwargs):
        claim = selectors.claim_get(user=self.request.user, pk=kwargs["pk"])
        audit.log_read(user=self.request.user, obj=claim, request=self.request, purpose="查看告知书")
        return {**super().get_context_data(**kwargs), "claim": claim,
                **notice_preview_context(user=self.request.user, source=NOTICE_SOURCE, source_id=claim.pk,
                                         row_key=str(claim.person_id))}


class ClaimNoticePdfView(RoleRequiredMixin, View):
    """The notice as PDF: the stored version while its content is unchanged, else a new version (a download
    is an access-log row)."""

    def get(self, request, pk):
        claim = selectors.claim_get(user=request.user, pk=pk)
        return notice_pdf_response(request=request, source=NOTICE_SOURCE, source_id=claim.pk,
                                   row_key=str(claim.person_id), filename=f"告知书-培训补贴-{claim.pk}")


class EnrollmentActionView(RoleRequiredMixin, TemplateView):
    """POST only: a lifecycle action, a certificate, an assessment claim or a follow-up."""

    http_method_names = ["post"]

    def post(self, request, pk):
        user = request.user
        enrollment = selectors.enrollment_get(user=user, pk=pk)
        action = request.POST.get("action", "")
        # Records outside the enrollment or the region are a 404 (NotFoundError), looked up before the
        # refusals below turn into messages.
        claim = (selectors.claim_get(user=user, pk=request.POST.get("claim"), enrollment=enrollment)
                 if action == "decide_claim" else None)
        follow_up = (selectors.follow_up_get(user=user, pk=request.POST.get("follow_up"), enrollment=enrollment)
                     if action == "record_follow_up" else None)
        try:
            if action in self.CREATES:  # once per form shown (apps.core.idempotency)
                return once_redirect(request, lambda: self._create(action, enrollment),
                                     fallback_url=reverse("training:enrollment-detail", args=[enrollment.pk]))
            if claim is not None:
                services.claim_move(claim=claim, user=user, decision=request.POST.get("decision", ""))
                messages.success(request, "申领状态已更新")
            elif follow_up is not None:
                follow_up_form = forms.FollowUpForm(request.POST, prefix="fu")
                if not follow_up_form.is_valid():
                    raise ApplicationError("invalid_follow_up", "回访信息有误，请检查填写")
                services.follow_up_record(follow_up=follow_up, user=user, data=follow_up_form.cleaned_data)
                messages.success(request, "回访已记录")
            else:
                services.enrollment_transition(enrollment=enrollment, action=action, user=user,
                                               note=request.POST.get("note", ""), payload=self._payload(action))
                messages.success(request, f"已{ENROLLMENT_LIFECYCLE.label(action)}")
        except ReviewRefused:
            raise  # the one review refusal: a 403 page (core.middleware), the same in every approval flow
        except ApplicationError as error:
            detail = "；".join(m for msgs in error.fields.values() for m in msgs)
            messages.error(request, f"{error.message}{'：' + detail if detail else ''}")
        return redirect("training:enrollment-detail", pk=enrollment.pk)

    # The posts that create a record (a certificate, a claim): a double-submitted one creates once.
    CREATES = ("add_certificate", "claim_assessment", "claim_subsidy")

    def _create(self, action: str, enrollment) -> str:
        user = self.request.user
        if action == "claim_subsidy":
            services.enrollment_transition(enrollment=enrollment, action=action, user=user,
                                           note=self.request.POST.get("note", ""), payload=self._payload(action))
            messages.success(self.request, f"已{ENROLLMENT_LIFECYCLE.label(action)}")
        elif action == "add_certificate":
            form = forms.CertificateForm(self.request.POST, prefix="cert")
            if not form.is_valid():
                raise ApplicationError("invalid_certificate", "证书信息有误，请检查填写")
            services.certificate_add(enrollment=enrollment, user=user, data=form.cleaned_data)
            messages.success(self.request, "证书已登记")
        else:
            certificate = enrollment.certificates.filter(pk=self.request.POST.get("certificate")).first()
            new_claim = services.subsidy_claim_create(enrollment=enrollment, user=user,
                                                      kind=TrainingSubsidyClaim.Kind.ASSESSMENT,
                                                      certificate=certificate)
            messages.success(self.request, f"技能评价补贴已申领：{new_claim.amount} 元")
        return reverse("training:enrollment-detail", args=[enrollment.pk])

    def _payload(self, action: str) -> dict:
        """The details an action's form posts; unparsed values go to the service, which names the bad field."""
        form_class, prefix = {"assess": (forms.CertificateForm, "cert"),
                              "verify_employment": (forms.EmploymentForm, "emp")}.get(action, (None, ""))
        if form_class is None:
            return {}
        form: django_forms.Form = form_class(self.request.POST, prefix=prefix)
        if form.is_valid():
            return form.cleaned_data
        return {name: self.request.POST.get(f"{prefix}-{name}") for name in form.fields}


class EnrollmentRegisterView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "training/enrollment_form.html"
    form_class = forms.EnrollmentRegisterForm
    fallback_url_name = "training:enrollment-list"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programs": selectors.program_list(user=self.request.user)}

    def get_initial(self):
        return {"program": self.request.GET.get("program")}

    def create(self, form) -> str:
        data = form.cleaned_data
        enrollment = services.enrollment_register_by_id_number(
            id_number=data["id_number"], name=data["name"], phone=data["phone"], program=data["program"],
            target_group=data["target_group"], user=self.request.user)
        messages.success(self.request, f"{enrollment.person.name} 已报名")
        return reverse("training:enrollment-detail", args=[enrollment.pk])


class DemandView(RoleRequiredMixin, TemplateView):
    template_name = "training/demand.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {**super().get_context_data(**kwargs),
                "by_occupation": selectors.demand_by_occupation(user=user),
                "shortages": selectors.shortage_list(user=user).prefetch_related("programs")[:100],
                "willingness": selectors.willingness_list(user=user)[:100],
                "shortage_form": kwargs.get("shortage_form") or forms.ShortageForm(
                    prefix="s", employers=employer_list(user=user), initial={"reported_on": date.today()}),
                "willingness_form": kwargs.get("willingness_form") or forms.WillingnessForm(prefix="w")}

    def post(self, request):
        user = request.user
        if request.POST.get("kind") == "shortage":
            form = forms.ShortageForm(request.POST, prefix="s", employers=employer_list(user=user))
            if form.is_valid():
                def report() -> str:
                    services.shortage_report_create(report=form.save(commit=False), user=user)
                    messages.success(request, "缺工信息已登记")
                    return reverse("training:demand")

                try:
                    return once_redirect(request, report, fallback_url=reverse("training:demand"))
                except ApplicationError as error:
                    report_error(request, error, form)
            return self.render_to_response(self.get_context_data(shortage_form=form))
        willingness_form = forms.WillingnessForm(request.POST, prefix="w")
        if willingness_form.is_valid():
            data = willingness_form.cleaned_data

            def register() -> str:
                services.willingness_register_by_id_number(
                    user=user, id_number=data["id_number"], name=data["name"], occupation=data["occupation"],
                    target_group=data["target_group"])
                messages.success(request, "培训意愿已登记")
                return reverse("training:demand")

            try:
                return once_redirect(request, register, fallback_url=reverse("training:demand"))
            except ApplicationError as error:
                report_error(request, error, willingness_form)
        return self.render_to_response(self.get_context_data(willingness_form=willingness_form))


class WorklistView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "training/worklist.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.worklist(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class IndicatorView(RoleRequiredMixin, TemplateView):
    template_name = "training/indicators.html"

    def dimension(self) -> str:
        value = self.request.GET.get("by", "program")
        return value if value in indicators.DIMENSIONS else "program"

    def get(self, request, *args, **kwargs):
        export = request.GET.get("format")
        if export in ("csv", "xlsx"):
            rows, total = indicators.indicator_rows(user=request.user, dimension=self.dimension())
            return _export(indicators.export_table(rows, total, self.dimension()), export)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        dimension = self.dimension()
        rows, total = indicators.indicator_rows(user=self.request.user, dimension=dimension)
        top = rows[:12]
        return {**super().get_context_data(**kwargs), "rows": rows, "total": total, "by": dimension,
                "dimensions": indicators.DIMENSIONS.values(), "dimension": indicators.DIMENSIONS[dimension],
                "chart": {"labels": [r.label for r in top], "trained": [r.trained for r in top],
                          "employed": [r.employed for r in top],
                          "rate": [str(r.employment_rate or 0) for r in top]}}


def _export(table: list[list], fmt: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return table_download(table, fmt=fmt, stem=f"training-indicators-{stamp}", title="培训指标")


class CatalogueView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "training/catalogue.html"
    paginate_by = 100

    def get_queryset(self):
        return selectors.occupation_list(filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "categories": Occupation.Category.choices,
                "providers": selectors.provider_list(user=self.request.user)[:50]}

