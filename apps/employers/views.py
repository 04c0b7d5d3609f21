from django.http import Http404
from django.views.generic import DetailView, ListView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core.exceptions import NotFoundError
from apps.employers.filters import EmployerFilter
from apps.employers.selectors import contribution_list, employer_get, employer_list


class EmployerListView(RoleRequiredMixin, ListView):
    template_name = "employers/employer_list.html"
    paginate_by = 50

    def get_queryset(self):
        return employer_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter": EmployerFilter(self.request.GET)}


class EmployerDetailView(RoleRequiredMixin, DetailView):
    template_name = "employers/employer_detail.html"
    context_object_name = "employer"

    def get_object(self, queryset=None):
        try:
            return employer_get(user=self.request.user, pk=self.kwargs["pk"])
        except NotFoundError as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        contributions = contribution_list(user=self.request.user, employer=self.object)[:24]
        return {**super().get_context_data(**kwargs), "contributions": contributions}
