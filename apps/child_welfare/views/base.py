"""What the caseworker pages share: the case loaded through the access rule, the small form about one case,
errors onto forms, and the dated download."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from apps.accounts.permissions import RoleRequiredMixin
from apps.child_welfare import selectors, services
from apps.child_welfare.models import Case
from apps.core import idempotency
from apps.core.exceptions import ApplicationError
from apps.core.exports import table_download
from apps.core.forms import add_service_error


class CaseMixin(RoleRequiredMixin):
    """Loads self.case through the access rule; anything else is a 404."""

    case: Case

    def dispatch(self, request, *args, **kwargs):
        # A user without the role is refused by RoleRequiredMixin (403) before any case is looked up;
        # case_get's NotFoundError is an Http404.
        if request.user.is_authenticated and request.user.has_role(*self.allowed_roles):
            self.case = selectors.case_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def case_url(self, anchor: str = "") -> str:
        return reverse("child_welfare:case-detail", args=[self.case.pk]) + (f"#{anchor}" if anchor else "")


class CaseFormView(CaseMixin, View):
    """A small form about one case: GET shows it, POST calls `perform` and returns to the case."""

    title = ""
    form_class: type[forms.BaseForm] | None = None
    once = False  # a create form: a one-time token makes a double click create once (apps.core.idempotency)
    anchor = ""
    submit_label = "保存"

    def get_form(self, data=None):
        if self.form_class is None:
            raise NotImplementedError("set form_class or override get_form")
        return self.form_class(data)

    def form_token(self) -> str | None:
        """The posted token when a refused form is shown again, a fresh one for a new form."""
        return idempotency.page_token(self.request) if self.once else None

    def render_form(self, form, **extra):
        return render(self.request, "child_welfare/form.html",
                      {"case": self.case, "form": form, "title": self.title, "submit_label": self.submit_label,
                       "back_url": self.case_url(self.anchor), "form_token": self.form_token(), **extra})

    def get(self, request, pk, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, pk, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            def save() -> str:
                self.perform(form)
                messages.success(request, f"{self.title}：已保存")
                return self.case_url(self.anchor)

            try:
                if self.once:
                    return idempotency.once_redirect(request, save, fallback_url=self.case_url(self.anchor))
                return redirect(save())
            except services.StaleVersionError as error:
                return self.on_stale(form, error)
            except ApplicationError as error:
                add_service_error(form, error)
        return self.render_form(form)

    def on_stale(self, form, error):
        add_service_error(form, error)
        return self.render_form(form, conflict=error)

    def perform(self, form):
        raise NotImplementedError


def download(rows, name: str, fmt: str) -> HttpResponse:
    return table_download(rows, fmt=fmt, stem=f"{name}-{date.today():%Y%m%d}", title=name)


