from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView, ListView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core.audit import log_read
from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_error
from apps.core.idempotency import OnceFormMixin, once_redirect
from apps.core.listing import Listing, ListingMixin, register_listing
from apps.core.pagination import CappedCountPaginator, PageSizeMixin, page_size
from apps.employers.filters import EmployerFilter
from apps.employers.forms import EmployerForm
from apps.employers.selectors import contribution_list, employer_get, employer_list
from apps.employers.services import employer_save


class EmployerListView(RoleRequiredMixin, ListingMixin, PageSizeMixin, ListView):
    listing = register_listing(Listing("employers", "用人单位", "employers:list", EmployerFilter))
    template_name = "employers/employer_list.html"
    paginate_by = 50
    paginator_class = CappedCountPaginator  # hundreds of thousands of rows: no full COUNT(*) per page

    def get_queryset(self):
        return employer_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter": EmployerFilter(self.request.GET)}


class EmployerScopedMixin:
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_employer(self):
        return employer_get(user=self.request.user, pk=self.kwargs["pk"])  # NotFoundError is a 404


class EmployerDetailView(RoleRequiredMixin, EmployerScopedMixin, DetailView):
    template_name = "employers/employer_detail.html"
    context_object_name = "employer"

    def get_object(self, queryset=None):
        employer = self.get_employer()
        if employer.bank_account:  # the full account number is shown: read-audited like personal data
            log_read(user=self.request.user, obj=employer, request=self.request, purpose="查看银行账号")
        return employer

    def get_context_data(self, **kwargs):
        contributions = contribution_list(user=self.request.user, employer=self.object)
        page = Paginator(contributions, page_size(self.request, 24)).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "contributions": page.object_list, "page_obj": page}


class EmployerFormView(RoleRequiredMixin, EmployerScopedMixin, OnceFormMixin, FormView):
    template_name = "employers/employer_form.html"
    form_class = EmployerForm

    def creates(self) -> bool:
        return "pk" not in self.kwargs

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if "pk" in self.kwargs:
            kwargs["instance"] = self.get_employer()
        return kwargs

    def form_valid(self, form):
        def save() -> str:
            employer = employer_save(employer=form.instance, user=self.request.user)
            messages.success(self.request, f"已保存：{employer.name}")
            return reverse("employers:detail", args=[employer.pk])

        try:
            if not self.creates():
                return redirect(save())
            return once_redirect(self.request, save, fallback_url=reverse("employers:list"))
        except ApplicationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
