from django.http import Http404
from django.views.generic import DetailView, ListView

from apps.accounts.permissions import RoleRequiredMixin
from apps.applicants.filters import PersonFilter
from apps.applicants.selectors import person_get, person_list
from apps.core import audit
from apps.core.exceptions import NotFoundError


class PersonListView(RoleRequiredMixin, ListView):
    template_name = "applicants/person_list.html"
    paginate_by = 50

    def get_queryset(self):
        return person_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter": PersonFilter(self.request.GET)}


class PersonDetailView(RoleRequiredMixin, DetailView):
    template_name = "applicants/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        try:
            person = person_get(user=self.request.user, pk=self.kwargs["pk"])
        except NotFoundError as error:
            raise Http404 from error
        audit.log_read(user=self.request.user, obj=person, request=self.request)
        return person
