from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from apps.accounts.permissions import RoleRequiredMixin
from apps.applicants.filters import PersonFilter
from apps.applicants.forms import EnrollmentForm, MemberForm, PersonForm, StatusTagForm
from apps.applicants.models import Person
from apps.applicants.selectors import (
    duplicate_get,
    duplicate_list,
    person_children,
    person_enrollments,
    person_get,
    person_household,
    person_list,
    person_status_tags,
)
from apps.applicants.services import (
    duplicate_dismiss,
    duplicate_merge,
    enrollment_save,
    household_add_member_by_id_number,
    person_save,
    status_tag_save,
)
from apps.core import audit
from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_error
from apps.core.idempotency import OnceFormMixin, once_redirect
from apps.core.listing import Listing, ListingMixin, register_listing
from apps.core.pagination import CappedCountPaginator, PageSizeMixin


class PersonScopedMixin:
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_person(self) -> Person:
        return person_get(user=self.request.user, pk=self.kwargs["pk"])  # NotFoundError is a 404


class PersonListView(RoleRequiredMixin, ListingMixin, PageSizeMixin, ListView):
    listing = register_listing(Listing("applicants", "劳动者与申请人", "applicants:list", PersonFilter))
    template_name = "applicants/person_list.html"
    paginate_by = 50
    paginator_class = CappedCountPaginator  # a million rows: no full COUNT(*) per page

    def get_queryset(self):
        return person_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter": PersonFilter(self.request.GET),
                "open_duplicates": duplicate_list(user=self.request.user).count()}


class PersonDetailView(RoleRequiredMixin, PersonScopedMixin, DetailView):
    template_name = "applicants/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        person = self.get_person()
        audit.log_read(user=self.request.user, obj=person, request=self.request)
        return person

    def get_context_data(self, **kwargs):
        person = self.object
        return {**super().get_context_data(**kwargs),
                "status_tags": person_status_tags(person=person), "enrollments": person_enrollments(person=person),
                "household": person_household(person=person), "children": person_children(person=person),
                "tag_form": kwargs.get("tag_form") or StatusTagForm(prefix="tag"),
                "enrollment_form": kwargs.get("enrollment_form") or EnrollmentForm(prefix="enrollment"),
                "member_form": kwargs.get("member_form") or MemberForm(prefix="member")}


class PersonFormView(RoleRequiredMixin, PersonScopedMixin, OnceFormMixin, FormView):
    template_name = "applicants/person_form.html"
    form_class = PersonForm

    def creates(self) -> bool:
        return "pk" not in self.kwargs

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if "pk" in self.kwargs:
            kwargs["instance"] = self.get_person()
        return kwargs

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if "pk" in self.kwargs:  # the edit form shows the bank account in full: a read of personal data
            person = self.get_person()
            if person.bank_account:
                audit.log_read(user=request.user, obj=person, request=request, purpose="查看银行账号")
        return response

    def form_valid(self, form):
        def save() -> str:
            person = person_save(person=form.instance, user=self.request.user)
            messages.success(self.request, f"已保存：{person.name}")
            return reverse("applicants:detail", args=[person.pk])

        try:
            if not self.creates():
                return redirect(save())
            return once_redirect(self.request, save, fallback_url=reverse("applicants:list"))
        except ApplicationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)


class PersonAddRelatedView(RoleRequiredMixin, PersonScopedMixin, View):
    """POST-only: a status tag, an insurance enrollment or a household member, from the detail page."""

    FORMS = {"tag": StatusTagForm, "enrollment": EnrollmentForm, "member": MemberForm}

    def post(self, request, pk: int, what: str):
        if what not in self.FORMS:
            raise Http404
        person = self.get_person()
        form = self.FORMS[what](request.POST, prefix=what)
        if form.is_valid():
            detail = reverse("applicants:detail", args=[person.pk])

            def save() -> str:
                self._save(person, what, form)
                messages.success(request, "已保存。")
                return detail

            try:
                return once_redirect(request, save, fallback_url=detail)
            except ApplicationError as error:
                add_service_error(form, error)
        view = PersonDetailView(request=request, kwargs={"pk": pk})
        view.object = person
        context = view.get_context_data(**{f"{what}_form": form})
        return view.render_to_response(context, status=400)

    def _save(self, person, what, form):
        if what == "tag":
            form.instance.person = person
            status_tag_save(tag=form.instance)
        elif what == "enrollment":
            form.instance.person = person
            enrollment_save(enrollment=form.instance)
        else:
            data = form.cleaned_data
            household_add_member_by_id_number(person=person, id_number=data["id_number"], name=data["name"],
                                              relation=data["relation"], user=self.request.user)


class DuplicateListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "applicants/duplicate_list.html"
    paginate_by = 50

    def get_queryset(self):
        return duplicate_list(user=self.request.user)


class DuplicateResolveView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        candidate = duplicate_get(user=request.user, pk=pk)
        try:
            if request.POST.get("action") == "dismiss":
                duplicate_dismiss(candidate=candidate, user=request.user)
                messages.success(request, "已标记为非同一人。")
            else:
                keep = candidate.person if request.POST.get("keep") == "person" else candidate.other
                if keep is None:
                    raise ApplicationError("duplicate_resolved", "该疑似重复记录已处理。")
                duplicate_merge(candidate=candidate, keep=keep, user=request.user)
                messages.success(request, f"已合并，保留 {keep.name}（{keep.masked_id_number}）。")
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("applicants:duplicates")
