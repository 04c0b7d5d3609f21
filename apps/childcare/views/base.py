"""What every childcare page shares: a form that posts to one service, and the institution a page is about."""

from django.forms import BaseForm
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from apps.accounts.permissions import RoleRequiredMixin
from apps.childcare import selectors
from apps.childcare.models import Institution
from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_error
from apps.core.idempotency import OnceFormMixin, once_redirect


def form_error_message(form: BaseForm) -> str:
    return "；".join(str(message) for errors in form.errors.values() for message in errors)


class ServiceFormView(RoleRequiredMixin, OnceFormMixin, FormView):
    """A form whose valid data goes to one service; ApplicationError lands back on the form. A form that
    creates posts once per page shown (apps.core.idempotency); an edit form says `creates = False`."""

    template_name = "childcare/form.html"
    title = ""
    creates_records = True

    def creates(self) -> bool:
        return self.creates_records

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        def save() -> str:
            self.result = self.perform(form)
            return self.get_success_url()

        try:
            if not self.creates():
                return redirect(save())
            return once_redirect(self.request, save, fallback_url=self.cancel_url())
        except ApplicationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title, "cancel_url": self.cancel_url()}

    def cancel_url(self) -> str:
        return reverse("childcare:institution-list")


class InstitutionFormView(ServiceFormView):
    """A form about one institution (from the URL), which must be inside the user's region (else 404)."""

    institution: Institution

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.institution = selectors.institution_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return reverse("childcare:institution-detail", args=[self.institution.pk])

    def cancel_url(self) -> str:
        return reverse("childcare:institution-detail", args=[self.institution.pk])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "institution": self.institution}
