"""Caseworker UI of 公益性岗位兜底安置: the same services and selectors as the API."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.applicants.models import Person
from apps.applicants.selectors import person_by_id_number
from apps.core import audit
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.exports import table_download
from apps.core.forms import report_error
from apps.core.idempotency import ServiceCreateMixin, once_redirect
from apps.core.models import AccessLog
from apps.core.pagination import PageSizeMixin
from apps.core.scoping import visible_regions
from apps.employers.selectors import employer_list
from apps.public_posts import forms, selectors, services
from apps.public_posts.models import Placement, PublicPost, SubsidyRun


class PostListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "public_posts/post_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.post_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "post_types": PublicPost.PostType.choices,
                "statuses": PublicPost.Status.choices}


class PostCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "public_posts/post_form.html"
    form_class = forms.PostForm
    fallback_url_name = "public_posts:post-list"

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "employers": employer_list(user=user).order_by("name"),
                "regions": visible_regions(user).order_by("code")}

    def create(self, form) -> str:
        post = form.save(commit=False)
        saved = services.post_save(post=post, user=self.request.user)
        messages.success(self.request, f"公益性岗位“{saved.name}”已登记")
        return reverse("public_posts:post-detail", args=[saved.pk])


class PostDetailView(RoleRequiredMixin, TemplateView):
    template_name = "public_posts/post_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        post = selectors.post_get(user=user, pk=kwargs["pk"])
        placements = list(selectors.placement_list(user=user, filters={"post": post.pk}).prefetch_related("renewals"))
        audit.log_bulk_read(user=user, model=Person, ids=[p.person_id for p in placements], request=self.request,
                            action=AccessLog.Action.VIEW, purpose="公益性岗位安置人员")
        return {**super().get_context_data(**kwargs), "post": post, "placements": placements,
                "placement_form": kwargs.get("placement_form") or forms.PlacementForm(),
                "exit_form": forms.ExitForm(), "renew_form": forms.RenewForm(),
                "free": max(post.places - getattr(post, "taken", 0), 0)}


class PostStatusView(RoleRequiredMixin, View):
    def post(self, request, pk):
        post = selectors.post_get(user=request.user, pk=pk)
        services.post_set_status(post=post, user=request.user, status=request.POST.get("status", ""))
        messages.success(request, f"岗位已{post.get_status_display()}")
        return redirect("public_posts:post-detail", pk=post.pk)


class PlacementCreateView(RoleRequiredMixin, View):
    """The 安置 form of the post page (its one-time token: {% new_form_token %})."""

    def post(self, request, pk):
        post = selectors.post_get(user=request.user, pk=pk)
        form = forms.PlacementForm(request.POST)
        detail = reverse("public_posts:post-detail", args=[post.pk])
        if form.is_valid():
            values = form.cleaned_data

            def create() -> str:
                person = person_by_id_number(user=request.user, id_number=values["id_number"])
                placement = services.placement_create(
                    post=post, person=person, start_date=values["start_date"],
                    agreed_end_date=values["agreed_end_date"],
                    statutory_retirement_date=values["statutory_retirement_date"], user=request.user)
                messages.success(request, f"{person.name} 已安置到“{post.name}”")
                return reverse("public_posts:post-detail", args=[placement.post_id]) + f"#placement-{placement.pk}"

            try:
                return once_redirect(request, create, fallback_url=detail)
            except ApplicationError as error:
                report_error(request, error, form)
        view = PostDetailView(request=request, kwargs={"pk": pk})
        view.setup(request, pk=pk)
        return view.render_to_response(view.get_context_data(pk=pk, placement_form=form), status=400)


class _PlacementAction(RoleRequiredMixin, View):
    form_class: type
    done = ""

    def act(self, placement: Placement, values: dict) -> Placement:
        raise NotImplementedError

    def post(self, request, pk):
        placement = selectors.placement_get(user=request.user, pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            first = next(iter(form.errors.items()))
            messages.error(request, f"{form.fields[first[0]].label}：{first[1][0]}" if first[0] in form.fields
                           else first[1][0])
        else:
            try:
                self.act(placement, form.cleaned_data)
                messages.success(request, f"{placement.person.name} {self.done}")
            except ApplicationError as error:
                report_error(request, error)
        return redirect(reverse("public_posts:post-detail", args=[placement.post_id]) + f"#placement-{placement.pk}")


class PlacementExitView(_PlacementAction):
    form_class = forms.ExitForm
    done = "已办理离岗"

    def act(self, placement, values):
        return services.placement_exit(placement=placement, user=self.request.user, exit_date=values["exit_date"],
                                       reason=values["reason"], note=values["note"])


class PlacementRenewView(_PlacementAction):
    form_class = forms.RenewForm
    done = "已续签"

    def act(self, placement, values):
        return services.placement_renew(placement=placement, user=self.request.user,
                                        new_end_date=values["new_end_date"], note=values["note"])


class RunListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "public_posts/run_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.run_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("start_form", None) or forms.RunStartForm(regions=visible_regions(self.request.user))
        return {**super().get_context_data(**kwargs), "start_form": form}


class RunStartView(RoleRequiredMixin, View):
    def post(self, request):
        form = forms.RunStartForm(request.POST, regions=visible_regions(request.user))
        if form.is_valid():
            def create() -> str:
                run = services.run_start(user=request.user, region=form.cleaned_data["region"],
                                         month=form.cleaned_data["month"])
                messages.success(request, f"已发起 {run.month.year}年{run.month.month}月补贴发放批次")
                return reverse("public_posts:run-detail", args=[run.pk])

            try:
                return once_redirect(request, create, fallback_url=reverse("public_posts:run-list"))
            except ApplicationError as error:
                report_error(request, error, form)
        view = RunListView()
        view.setup(request)
        view.object_list = view.get_queryset()
        return view.render_to_response(view.get_context_data(start_form=form), status=400)


class RunDetailView(RoleRequiredMixin, TemplateView):
    template_name = "public_posts/run_detail.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "json":  # the progress bar's poll (static/portal/progress.js)
            run = selectors.run_get(user=request.user, pk=kwargs["pk"])
            return JsonResponse({"status": run.status, "status_display": run.get_status_display(),
                                 "done": run.placements_done, "total": run.placements_total, "percent": run.percent})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        run = selectors.run_get(user=user, pk=kwargs["pk"])
        lines = list(selectors.run_lines(run=run)[:500])
        audit.log_bulk_read(user=user, model=Person, ids=[line.person_id for line in lines], request=self.request,
                            action=AccessLog.Action.VIEW, purpose="公益性岗位月度补贴明细")
        return {**super().get_context_data(**kwargs), "run": run, "lines": lines,
                "offers": services.RUN_LIFECYCLE.offers(run, user),
                "resumable": run.status in (SubsidyRun.Status.FAILED, SubsidyRun.Status.COMPUTING)}


class RunReviewView(RoleRequiredMixin, View):
    def post(self, request, pk):
        run = selectors.run_get(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        try:
            run = services.run_review(run=run, user=request.user, action=action, note=request.POST.get("note", ""))
            messages.success(request, f"批次已{run.get_status_display()}")
        except ApplicationError as error:
            if error.status_code == 403:
                raise  # the one review refusal page (ApplicationErrorMiddleware)
            report_error(request, error)
        return redirect("public_posts:run-detail", pk=run.pk)


class RunResumeView(RoleRequiredMixin, View):
    def post(self, request, pk):
        run = selectors.run_get(user=request.user, pk=pk)
        try:
            services.run_resume(run=run, user=request.user)
            messages.success(request, "已继续计算")
        except ApplicationError as error:
            report_error(request, error)
        return redirect("public_posts:run-detail", pk=run.pk)


class RunExportView(RoleRequiredMixin, View):
    def get(self, request, pk):
        run = selectors.run_get(user=request.user, pk=pk)
        if run.status not in (SubsidyRun.Status.COMPUTED, SubsidyRun.Status.APPROVED):
            raise ConflictError("not_computed", "批次尚未计算完成，暂无可导出的明细")
        fmt = request.GET.get("fmt", "csv")
        audit.log_bulk_read(user=request.user, model=Person,
                            ids=list(selectors.run_lines(run=run).values_list("person_id", flat=True)),
                            request=request, purpose="公益性岗位月度补贴明细导出")
        return table_download(selectors.run_export_rows(run=run), fmt=fmt,
                              stem=f"public-post-subsidy-{run.region_id}-{run.month:%Y-%m}",
                              title=f"{run.month.year}年{run.month.month}月公益性岗位补贴",
                              widths=[6, 10, 20, 24, 28, 10, 10, 14])
