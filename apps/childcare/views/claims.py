"""Operating-subsidy claims: list, compute, the claim with its workflow buttons and its 告知书, export, batch runs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.childcare import forms, selectors
from apps.childcare.bulk import CLAIM_BULK
from apps.childcare.disbursement_export import disbursement_response
from apps.childcare.filters import ClaimFilter
from apps.childcare.notices import SOURCE as NOTICE_SOURCE
from apps.childcare.objections import claim_comparison
from apps.childcare.publicity import claim_publicity
from apps.childcare.services import claim_runs
from apps.childcare.services import claims as services
from apps.childcare.services.claims import OBJECTION_SLUG
from apps.core.audit import log_read
from apps.core.bulk import BulkActionView, bulk_context
from apps.core.exceptions import ApplicationError
from apps.core.idempotency import once_redirect
from apps.core.listing import Listing, ListingMixin, register_listing
from apps.core.pagination import page_size
from apps.core.review import ReviewRefused
from apps.documents.selectors import notice_current
from apps.documents.views import notice_pdf_response, notice_preview_context
from apps.objections.selectors import objection_list
from apps.objections.sources import SOURCES as OBJECTION_SOURCES


class ClaimListView(RoleRequiredMixin, ListingMixin, TemplateView):
    listing = register_listing(Listing("childcare-claims", "托育运营补助", "childcare:claim-list", ClaimFilter,
                                       facets=("status",)))
    template_name = "childcare/claim_list.html"

    def facet_queryset(self):
        return selectors.claim_list(user=self.request.user, filters={})

    def get_context_data(self, **kwargs):
        queryset = selectors.claim_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(queryset, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": ClaimFilter(self.request.GET),
                "run_form": forms.RunForm(), "runs": selectors.recent_claim_runs(user=self.request.user),
                **bulk_context(self.request, CLAIM_BULK, reverse("childcare:claim-bulk"))}


class ClaimBulkView(RoleRequiredMixin, BulkActionView):
    """Several submitted claims approved or returned at once (apps.core.bulk): per claim, with a report."""

    bulk = CLAIM_BULK
    list_url_name = "childcare:claim-list"


class ClaimComputeView(RoleRequiredMixin, View):
    def post(self, request, pk):
        institution = selectors.institution_get(user=request.user, pk=pk)
        form = forms.ClaimComputeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的年度")
            return redirect("childcare:institution-detail", pk=pk)
        def compute() -> str:
            claim = services.claim_compute(institution=institution, year=form.cleaned_data["year"], user=request.user)
            messages.success(request, f"已测算{claim}补助")
            return reverse("childcare:claim-detail", args=[claim.pk])

        try:
            return once_redirect(request, compute, fallback_url=reverse("childcare:institution-detail", args=[pk]))
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("childcare:institution-detail", pk=pk)


class ClaimDetailView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/claim_detail.html"

    def get_context_data(self, **kwargs):
        claim = selectors.claim_get(user=self.request.user, pk=kwargs["pk"])
        actions = services.claim_actions(claim=claim, user=self.request.user)
        review_offers = [o for o in services.CLAIM_LIFECYCLE.offers(claim, self.request.user) if o.roles]
        return {
            **super().get_context_data(**kwargs),
            "claim": claim,
            "flag_labels": [services.FLAG_LABELS.get(f, f) for f in claim.flags],
            "actions": actions,
            # approve / return share the comment box; offered to everyone, disabled with the reason for a user who
            # may not (no reviewer role, or the claim's submitter: four eyes)
            "review_offers": review_offers, "may_decide": any(not o.refusal for o in review_offers),
            "review_form": forms.ReviewForm(),
            # the 告知书: offered when the claim pays something; the stored version, if any (its 文号)
            "notice_offered": claim.amount > 0,
            "notice": notice_current(source=NOTICE_SOURCE, source_id=claim.pk, row_key=str(claim.institution_id)),
            # 公示 card: window, public link, the claim's objections (apps.objections) and the lodge link
            "publicity": claim_publicity(claim=claim, request=self.request),
            "objections": list(objection_list(user=self.request.user, source=OBJECTION_SLUG, record_id=claim.pk)),
            "objection_slug": OBJECTION_SLUG, "objection_lodgeable": OBJECTION_SLUG in OBJECTION_SOURCES,
            # 新旧对照 once an upheld objection changed the claim (the history rows it went from and to)
            "comparison": claim_comparison(claim),
        }


class ClaimNoticeView(RoleRequiredMixin, TemplateView):
    """告知书 preview (HTML, printable), the same content as its PDF (apps.childcare.notices); 草稿 until the
    claim is approved. Scoped like the claim (404 outside the user's region)."""

    template_name = "childcare/claim_notice.html"

    def get_context_data(self, **kwargs):
        claim = selectors.claim_get(user=self.request.user, pk=kwargs["pk"])
        log_read(user=self.request.user, obj=claim, request=self.request, purpose="查看告知书")
        return {**super().get_context_data(**kwargs), "claim": claim,
                **notice_preview_context(user=self.request.user, source=NOTICE_SOURCE, source_id=claim.pk,
                                         row_key=str(claim.institution_id))}


class ClaimNoticePdfView(RoleRequiredMixin, View):
    """The notice as PDF: the stored version while its content is unchanged, else a new version (a download
    is an access-log row). A claim of 0 yuan has none: a 404."""

    def get(self, request, pk):
        claim = selectors.claim_get(user=request.user, pk=pk)
        if claim.amount <= 0:
            raise Http404
        return notice_pdf_response(request=request, source=NOTICE_SOURCE, source_id=claim.pk,
                                   row_key=str(claim.institution_id), filename=f"告知书-托育-{claim.pk}")


class ClaimActionView(RoleRequiredMixin, View):
    """One POST per workflow move of CLAIM_LIFECYCLE, plus "recompute" (a draft's figures, not a move)."""

    DONE = {"submit": "已提交审核", "publish": "已初审通过并发布公示", "approve": "已复核通过", "return": "已退回",
            "recompute": "已重新测算"}

    def post(self, request, pk, action):
        if action not in self.DONE:
            raise Http404
        claim = selectors.claim_get(user=request.user, pk=pk)
        try:
            if action == "recompute":
                services.claim_compute(institution=claim.institution, year=claim.year, user=request.user)
            else:
                services.claim_transition(claim=claim, action=action, user=request.user,
                                          comment=request.POST.get("comment", ""))
            messages.success(request, self.DONE[action])
        except ReviewRefused:
            raise  # the one review refusal: a 403 page (core.middleware), the same in every approval flow
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("childcare:claim-detail", pk=pk)


class ClaimExportView(RoleRequiredMixin, View):
    def get(self, request):
        claims, year = selectors.disbursement_claims(user=request.user, filters=request.GET)
        return disbursement_response(claims, request.GET.get("format", "csv"), year)


class ClaimRunStartView(RoleRequiredMixin, View):
    def post(self, request):
        form = forms.RunForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的年度")
            return redirect("childcare:claim-list")
        try:
            return once_redirect(request, lambda: reverse("childcare:run-detail", args=[
                claim_runs.claim_run_start(user=request.user, year=form.cleaned_data["year"]).pk]),
                fallback_url=reverse("childcare:claim-list"))
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("childcare:claim-list")


class ClaimRunDetailView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/run_detail.html"

    def get(self, request, *args, **kwargs):
        run = selectors.claim_run_get(user=request.user, pk=kwargs["pk"])
        if request.GET.get("format") == "json":
            return JsonResponse({"status": run.status, "status_display": run.get_status_display(),
                                 "processed": run.processed, "total": run.total, "percent": run.percent,
                                 "computed": run.computed, "skipped": run.skipped, "failed": run.failed})
        return self.render_to_response(self.get_context_data(run=run))
