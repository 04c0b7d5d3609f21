"""Caseworker UI for the gig market: the same services and selectors as the API."""

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core import audit
from apps.core.exceptions import ApplicationError
from apps.core.exports import table_download
from apps.core.forms import report_error
from apps.core.idempotency import ServiceCreateMixin, once_redirect
from apps.core.models import AccessLog, Region
from apps.core.pagination import PageSizeMixin
from apps.core.scoping import visible_regions
from apps.employers.selectors import employer_list
from apps.gig import forms, selectors, services
from apps.gig.models import Availability, Broker, Placement, Posting, Trade
from apps.gig.services import BROKER_LEVELS, POSTING_LIFECYCLE


def _regions(user):
    return visible_regions(user).exclude(level=Region.Level.PROVINCE)


# --- Postings --------------------------------------------------------------------------------------------------

class PostingListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "gig/posting_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.posting_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        counts = selectors.status_counts(user=self.request.user)
        return {**super().get_context_data(**kwargs), "trades": Trade.choices,
                "statuses": [(value, label, counts.get(value, 0)) for value, label in Posting.Status.choices]}


class PostingCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "gig/form.html"
    form_class = forms.PostingForm
    fallback_url_name = "gig:posting-list"
    extra_context = {"title": "发布零工岗位"}

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "employers": employer_list(user=user),
                "brokers": selectors.active_brokers(user=user), "regions": _regions(user)}

    def get_initial(self):
        today = timezone.localdate()
        return {"start_date": today, "end_date": today, "headcount": 1}

    def create(self, form) -> str:
        posting = services.posting_create(posting=form.save(commit=False), user=self.request.user)
        messages.success(self.request, f"零工岗位“{posting.title}”已发布")
        return reverse("gig:posting-detail", args=[posting.pk])


class PostingDetailView(RoleRequiredMixin, TemplateView):
    """The posting, its placements with their follow-ups, and the ranked matches with their reasons."""

    template_name = "gig/posting_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        posting = selectors.posting_get(user=user, pk=kwargs["pk"])
        placements = list(selectors.placement_list(user=user, filters={"posting": posting.pk}))
        matches = selectors.posting_matches(user=user, posting=posting) if posting.status == Posting.Status.OPEN else []
        audit.log_bulk_read(user=user, model=Availability, request=self.request, action=AccessLog.Action.VIEW,
                            ids=[c.record.pk for c in matches] + [p.availability_id for p in placements])
        brokers = selectors.active_brokers(user=user)
        return {**super().get_context_data(**kwargs), "posting": posting, "placements": placements,
                "matches": matches, "offers": POSTING_LIFECYCLE.offers(posting, user),
                "place_form": kwargs.get("place_form") or forms.PlacementForm(
                    brokers=brokers, initial={"start_date": max(posting.start_date, timezone.localdate())
                                              if timezone.localdate() <= posting.end_date else posting.start_date}),
                "brokers": brokers, "follow_up_form": forms.FollowUpForm(initial={"visited_on": timezone.localdate()}),
                "places_left": max(0, posting.headcount - posting.taken)}  # type: ignore[attr-defined]


class PostingPlaceView(RoleRequiredMixin, View):
    def post(self, request, pk):
        user = request.user
        posting = selectors.posting_get(user=user, pk=pk)
        detail = reverse("gig:posting-detail", args=[posting.pk])
        form = forms.PlacementForm(request.POST, brokers=selectors.active_brokers(user=user))
        if not form.is_valid():
            messages.error(request, "请核对上岗信息：" + "；".join(str(e) for errs in form.errors.values() for e in errs))
            return redirect(detail)
        data = form.cleaned_data

        def create() -> str:
            availability = selectors.availability_get(user=user, pk=data["availability"])
            placement = services.placement_create(posting=posting, availability=availability, user=user,
                                                  start_date=data["start_date"], broker=data["broker"])
            messages.success(request, f"{placement.availability.person.name} 已撮合上岗")
            return detail + "#placements"

        try:
            return once_redirect(request, create, fallback_url=detail)
        except ApplicationError as error:
            report_error(request, error)
            return redirect(detail)


class PostingActionView(RoleRequiredMixin, View):
    def post(self, request, pk):
        posting = selectors.posting_get(user=request.user, pk=pk)
        form = forms.PostingActionForm(request.POST)
        form.is_valid()
        try:
            posting = services.posting_transition(posting=posting, action=form.cleaned_data.get("action", ""),
                                                  user=request.user, note=form.cleaned_data.get("note", ""))
            messages.success(request, f"岗位已{posting.get_status_display()}")
        except ApplicationError as error:
            report_error(request, error)
        return redirect("gig:posting-detail", pk=posting.pk)


class FollowUpCreateView(RoleRequiredMixin, View):
    def post(self, request, pk):
        placement = selectors.placement_get(user=request.user, pk=pk)
        detail = reverse("gig:posting-detail", args=[placement.posting_id]) + "#placements"
        form = forms.FollowUpForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请核对回访信息：" + "；".join(str(e) for errs in form.errors.values() for e in errs))
            return redirect(detail)

        def create() -> str:
            services.follow_up_record(placement=placement, user=request.user, **form.cleaned_data)
            messages.success(request, f"已记录 {placement.availability.person.name} 的回访")
            return detail

        try:
            return once_redirect(request, create, fallback_url=detail)
        except ApplicationError as error:
            report_error(request, error)
            return redirect(detail)


# --- Workers ---------------------------------------------------------------------------------------------------

class AvailabilityListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "gig/availability_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.availability_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "trades": Trade.choices,
                "statuses": Availability.Status.choices}


class AvailabilityCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "gig/form.html"
    form_class = forms.AvailabilityForm
    fallback_url_name = "gig:availability-list"
    extra_context = {"title": "求职登记"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "regions": _regions(self.request.user)}

    def create(self, form) -> str:
        user, data = self.request.user, form.cleaned_data
        person = services.person_for(id_number=data["id_number"], name=data["name"], phone=data["phone"],
                                     region_id=data["region"].code, user=user)
        availability = services.availability_register(availability=Availability(
            person=person, region=data["region"], phone=data["phone"], available_from=data["available_from"],
            available_to=data["available_to"], expected_pay=data["expected_pay"], pay_unit=data["pay_unit"],
            note=data["note"]), trades=data["trades"], user=user)
        messages.success(self.request, f"{person.name} 的求职登记已保存")
        return reverse("gig:availability-detail", args=[availability.pk])


class AvailabilityDetailView(RoleRequiredMixin, TemplateView):
    template_name = "gig/availability_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        availability = selectors.availability_get(user=user, pk=kwargs["pk"])
        audit.log_read(user=user, obj=availability, request=self.request)
        matches = (selectors.availability_matches(user=user, availability=availability)
                   if availability.status == Availability.Status.OPEN else [])
        placements = Placement.objects.filter(availability=availability).select_related("posting", "broker__person")
        return {**super().get_context_data(**kwargs), "availability": availability, "matches": matches,
                "placements": placements}


class AvailabilityCloseView(RoleRequiredMixin, View):
    """停止求职 (a reason required): the registration leaves the matching; its placements stay."""

    def post(self, request, pk):
        availability = selectors.availability_get(user=request.user, pk=pk)
        try:
            services.availability_close(availability=availability, user=request.user,
                                        note=request.POST.get("note", "")[:300])
            messages.success(request, f"{availability.person.name} 的求职登记已停止")
        except ApplicationError as error:
            report_error(request, error)
        return redirect("gig:availability-detail", pk=availability.pk)


# --- Brokers ---------------------------------------------------------------------------------------------------

class BrokerListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "gig/broker_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.broker_performance(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "statuses": Broker.Status.choices}


class BrokerCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "gig/form.html"
    form_class = forms.BrokerForm
    fallback_url_name = "gig:broker-list"
    extra_context = {"title": "登记劳务经纪人"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "regions": visible_regions(self.request.user, levels=BROKER_LEVELS)}

    def get_initial(self):
        return {"registered_on": timezone.localdate()}

    def create(self, form) -> str:
        user, data = self.request.user, form.cleaned_data
        person = services.person_for(id_number=data["id_number"], name=data["name"], phone=data["phone"],
                                     region_id=data["region"].code, user=user)
        broker = services.broker_register(broker=Broker(
            person=person, region=data["region"], phone=data["phone"], registered_on=data["registered_on"],
            note=data["note"]), user=user)
        messages.success(self.request, f"劳务经纪人 {person.name} 已登记")
        return reverse("gig:broker-detail", args=[broker.pk])


class BrokerDetailView(RoleRequiredMixin, TemplateView):
    template_name = "gig/broker_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        broker = selectors.broker_get(user=user, pk=kwargs["pk"])
        audit.log_read(user=user, obj=broker, request=self.request)
        performance: Any = selectors.broker_performance(user=user).get(pk=broker.pk)  # with the annotations
        return {**super().get_context_data(**kwargs), "broker": performance,
                "placements": selectors.placement_list(user=user, filters={"broker": broker.pk})[:100],
                "postings": selectors.posting_list(user=user, filters={"broker": broker.pk})[:50],
                "chart": {"labels": ["待回访", "在岗", "已结束", "未到岗"],
                          "values": [performance.pending, performance.on_job, performance.ended, performance.no_show]}}


class BrokerDeregisterView(RoleRequiredMixin, View):
    """注销: the broker stays on the lists with their record, and can no longer post or place."""

    def post(self, request, pk):
        broker = selectors.broker_get(user=request.user, pk=pk)
        try:
            services.broker_deregister(broker=broker, user=request.user, note=request.POST.get("note", "")[:300])
            messages.success(request, f"劳务经纪人 {broker.person.name} 已注销")
        except ApplicationError as error:
            report_error(request, error)
        return redirect("gig:broker-detail", pk=broker.pk)


class BrokerPerformanceView(RoleRequiredMixin, TemplateView):
    """Every broker of the region: placements, follow-up outcomes, active postings; a chart; CSV/XLSX."""

    template_name = "gig/performance.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            brokers = list(selectors.broker_performance(user=request.user).order_by("-registered_on", "-id"))
            audit.log_bulk_read(user=request.user, model=Broker, ids=[b.pk for b in brokers], request=request)
            stamp = timezone.localdate().strftime("%Y%m%d")
            return table_download(selectors.performance_table(brokers), fmt=fmt, stem=f"gig-brokers-{stamp}",
                                  title="劳务经纪人业绩")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows: list[Any] = list(selectors.broker_performance(user=self.request.user).order_by("-registered_on", "-id")[:500])
        top = sorted(rows, key=lambda b: (-b.placed, b.pk))[:12]
        totals = {key: sum(getattr(b, key) for b in rows)
                  for key in ("placed", "pending", "on_job", "ended", "no_show", "paid", "active_postings")}
        return {**super().get_context_data(**kwargs), "rows": rows, "totals": totals,
                "chart": {"labels": [b.person.name for b in top], "values": [b.placed for b in top]}}
