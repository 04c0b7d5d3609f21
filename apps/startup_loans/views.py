"""Pages: the application list, 申请 (the form), an application with its decision, review buttons, repayment schedule
and subsidy claims; a claim with its explanation and review buttons. One POST per move."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.applicants.selectors import person_by_id_number
from apps.core.audit import log_read
from apps.core.exceptions import ApplicationError
from apps.core.forms import report_error
from apps.core.idempotency import ServiceCreateMixin, once_redirect
from apps.core.listing import Listing, ListingMixin, register_listing
from apps.core.money import format_money
from apps.core.pagination import page_size
from apps.core.review import ReviewRefused
from apps.eligibility.calculators.base import format_percent
from apps.eligibility.calculators.startup_loan import TARGET_GROUPS
from apps.startup_loans import selectors, services
from apps.startup_loans.filters import ApplicationFilter, ClaimFilter
from apps.startup_loans.forms import ApplicationForm, LenderForm, LenderLinkForm, NoteForm
from apps.startup_loans.models import Lender


class ApplicationListView(RoleRequiredMixin, ListingMixin, TemplateView):
    listing = register_listing(Listing("startup-loans", "创业担保贷款申请", "startup_loans:application-list",
                                       ApplicationFilter, facets=("status",)))
    template_name = "startup_loans/application_list.html"

    def facet_queryset(self):
        return selectors.application_list(user=self.request.user, filters={})

    def get_context_data(self, **kwargs):
        queryset = selectors.application_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(queryset, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": ApplicationFilter(self.request.GET)}


class ApplicationCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "startup_loans/application_form.html"
    form_class = ApplicationForm
    fallback_url_name = "startup_loans:application-list"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def create(self, form) -> str:
        data = form.cleaned_data
        person = person_by_id_number(user=self.request.user, id_number=data["id_number"])
        application = services.application_create(user=self.request.user, person=person, data=services.ApplicationInput(
            application_date=data["application_date"], business_name=data["business_name"],
            business_uscc=data["business_uscc"], amount_requested=data["amount_requested"],
            term_months=data["term_months"], lender_bank=data["lender_bank"] or "",
            lender_id=data["lender"].pk if data["lender"] else None))
        verdict = "符合条件" if application.eligible else "不符合条件"
        messages.success(self.request, f"已登记申请 {application.reference}（资格测算：{verdict}）")
        return reverse("startup_loans:application-detail", args=[application.pk])


class ApplicationDetailView(RoleRequiredMixin, TemplateView):
    template_name = "startup_loans/application_detail.html"

    def get_context_data(self, **kwargs):
        application = selectors.application_get(user=self.request.user, pk=kwargs["pk"])
        log_read(user=self.request.user, obj=application.person, request=self.request, purpose="创业担保贷款")
        offers = services.APPLICATION_LIFECYCLE.offers(application, self.request.user)
        periods = list(selectors.application_periods(application))
        return {**super().get_context_data(**kwargs), "application": application, "offers": offers,
                "needs_note": any(o.needs_reason and not o.refusal for o in offers),
                "note_form": NoteForm(), "periods": periods,
                "lender_form": LenderLinkForm(user=self.request.user, initial={"lender": application.lender_id}),
                "claimable": [p for p in periods if p.paid_date and p.claim_id is None],
                "claims": list(selectors.application_claims(application)),
                "result": application.determination.result if application.determination else None,
                "target_labels": [TARGET_GROUPS.get(code, code) for code in application.target_groups],
                "share_label": format_percent(application.interest_subsidy_share)}


class ApplicationReviewView(RoleRequiredMixin, View):
    def post(self, request, pk, action):
        if action not in services.APPLICATION_LIFECYCLE.transitions:
            raise Http404
        application = selectors.application_get(user=request.user, pk=pk)
        try:
            services.application_review(application=application, user=request.user, action=action,
                                        note=request.POST.get("note", ""))
            messages.success(request, f"已{services.APPLICATION_LIFECYCLE.label(action)}")
        except ReviewRefused:
            raise  # the one review refusal: a 403 page (core.middleware), as in every approval flow
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("startup_loans:application-detail", pk=pk)


class ClaimCreateView(RoleRequiredMixin, View):
    """贴息申请 from the application page: once per posted token (a repeat goes to the first claim)."""

    def post(self, request, pk):
        application = selectors.application_get(user=request.user, pk=pk)

        def create() -> str:
            claim = services.claim_create(application=application, user=request.user)
            messages.success(request, f"已计算贴息申请 #{claim.pk}：{format_money(claim.amount)} 元")
            return reverse("startup_loans:claim-detail", args=[claim.pk])

        fallback = reverse("startup_loans:application-detail", args=[pk])
        try:
            return once_redirect(request, create, fallback_url=fallback)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(fallback)


class ClaimListView(RoleRequiredMixin, ListingMixin, TemplateView):
    listing = register_listing(Listing("startup-loan-claims", "创业担保贷款贴息申请", "startup_loans:claim-list",
                                       ClaimFilter, facets=("status",)))
    template_name = "startup_loans/claim_list.html"

    def facet_queryset(self):
        return selectors.claim_list(user=self.request.user, filters={})

    def get_context_data(self, **kwargs):
        queryset = selectors.claim_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(queryset, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": ClaimFilter(self.request.GET)}


class ClaimDetailView(RoleRequiredMixin, TemplateView):
    template_name = "startup_loans/claim_detail.html"

    def get_context_data(self, **kwargs):
        claim = selectors.claim_get(user=self.request.user, pk=kwargs["pk"])
        log_read(user=self.request.user, obj=claim.application.person, request=self.request,
                 purpose="创业担保贷款贴息")
        offers = services.CLAIM_LIFECYCLE.offers(claim, self.request.user)
        return {**super().get_context_data(**kwargs), "claim": claim, "offers": offers,
                "needs_note": any(o.needs_reason and not o.refusal for o in offers), "note_form": NoteForm()}


class ClaimReviewView(RoleRequiredMixin, View):
    def post(self, request, pk, action):
        if action not in services.CLAIM_LIFECYCLE.transitions:
            raise Http404
        claim = selectors.claim_get(user=request.user, pk=pk)
        try:
            services.claim_review(claim=claim, user=request.user, action=action, note=request.POST.get("note", ""))
            messages.success(request, f"已{services.CLAIM_LIFECYCLE.label(action)}")
        except ReviewRefused:
            raise
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("startup_loans:claim-detail", pk=pk)


class ApplicationLenderView(RoleRequiredMixin, View):
    """关联经办银行: the lender of the 名录 that receives the loan's subsidy (one POST, back to the loan)."""

    def post(self, request, pk):
        application = selectors.application_get(user=request.user, pk=pk)
        form = LenderLinkForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, "请选择经办银行名录中的银行")
        else:
            try:
                services.application_set_lender(application=application, user=request.user,
                                                lender_id=form.cleaned_data["lender"].pk)
                messages.success(request, f"已关联经办银行：{form.cleaned_data['lender'].name}")
            except ApplicationError as error:
                messages.error(request, error.message)
        return redirect("startup_loans:application-detail", pk=pk)


# ------------------------------------------------------------------ 经办银行名录


class LenderListView(RoleRequiredMixin, TemplateView):
    """The lenders of the user's region; accounts masked (the edit form shows them in full, a logged read)."""

    template_name = "startup_loans/lender_list.html"

    def get_context_data(self, **kwargs):
        queryset = selectors.lender_list(user=self.request.user)
        page = Paginator(queryset, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page}


class LenderCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "startup_loans/lender_form.html"
    form_class = LenderForm
    fallback_url_name = "startup_loans:lender-list"
    title = "登记经办银行"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def create(self, form) -> str:
        lender = services.lender_save(user=self.request.user, lender=form.save(commit=False))
        messages.success(self.request, f"已登记经办银行 {lender.name}")
        return reverse("startup_loans:lender-list")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title}


class LenderUpdateView(RoleRequiredMixin, FormView):
    """The lender's page: shows the account in full (a logged read); saved through lender_save."""

    template_name = "startup_loans/lender_form.html"
    form_class = LenderForm
    title = "修改经办银行"
    lender: Lender

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.lender = selectors.lender_get(user=request.user, pk=kwargs["pk"])
            if request.method == "GET":  # the form shows the full account number: a logged read
                log_read(user=request.user, obj=self.lender, request=request, purpose="查看银行账号")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.lender}

    def form_valid(self, form):
        try:
            lender = services.lender_save(user=self.request.user, lender=form.save(commit=False))
        except ApplicationError as error:
            report_error(self.request, error, form)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存经办银行 {lender.name}")
        return redirect("startup_loans:lender-list")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title, "lender": self.lender}
