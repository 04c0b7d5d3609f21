"""The care pages of a case: assessment, plan items, visits, referrals."""

from datetime import date

from django.shortcuts import render

from apps.child_welfare import forms, selectors, services
from apps.child_welfare.views.base import CaseFormView
from apps.core.forms import add_service_error


class AssessmentFormView(CaseFormView):
    anchor = "assessment"

    def render_form(self, form, **extra):
        return render(self.request, "child_welfare/assessment_form.html",
                      {"case": self.case, "form": form, "title": self.title, "back_url": self.case_url(self.anchor),
                       "form_token": self.form_token(), **extra})


class AssessmentCreateView(AssessmentFormView):
    title = "六领域需求评估"
    once = True

    def get_form(self, data=None):
        return forms.AssessmentForm(data)

    def perform(self, form):
        services.assessment_create(user=self.request.user, case_id=self.case.pk,
                                   assessed_on=form.cleaned_data["assessed_on"],
                                   summary=form.cleaned_data["summary"], domains=form.domains())


class AssessmentEditView(AssessmentFormView):
    title = "修改需求评估"

    def _assessment(self):
        return selectors.child_record_get(selectors.assessment_list(user=self.request.user, case=self.case),
                                          self.kwargs["assessment_id"])

    def get_form(self, data=None):
        assessment = self._assessment()
        initial = {"version": assessment.version, "assessed_on": assessment.assessed_on,
                   "summary": assessment.summary}
        for row in assessment.domains.all():
            initial[f"{row.domain}_severity"], initial[f"{row.domain}_needs"] = row.severity, row.needs
        return forms.AssessmentForm(data, initial=initial)

    def perform(self, form):
        services.assessment_update(user=self.request.user, assessment_id=self.kwargs["assessment_id"],
                                   expected_version=form.cleaned_data["version"],
                                   assessed_on=form.cleaned_data["assessed_on"],
                                   summary=form.cleaned_data["summary"], domains=form.domains())

    def on_stale(self, form, error):
        add_service_error(form, error)
        return self.render_form(form, conflict=error, fresh_version=error.current.version,
                                current=self._assessment())


class PlanItemView(CaseFormView):
    title = "服务计划事项"
    once = True
    anchor = "plan"

    def get_form(self, data=None):
        item_id = self.kwargs.get("item_id")
        if item_id:
            item = selectors.child_record_get(selectors.plan_item_list(user=self.request.user, case=self.case),
                                              item_id)
            return forms.PlanItemForm(data, instance=item)
        return forms.PlanItemForm(data, initial={"domain": self.request.GET.get("domain")})

    def perform(self, form):
        services.plan_item_save(user=self.request.user, case_id=self.case.pk, item_id=self.kwargs.get("item_id"),
                                **form.cleaned_data)


class VisitCreateView(CaseFormView):
    title = "记录入户探访"
    once = True
    anchor = "visits"

    def get_form(self, data=None):
        return forms.VisitForm(data, initial={"visited_on": date.today(), "visitors": str(self.request.user)})

    def perform(self, form):
        services.visit_record(user=self.request.user, case_id=self.case.pk, **form.cleaned_data)


class ReferralCreateView(CaseFormView):
    title = "转介"
    once = True
    anchor = "referrals"

    def get_form(self, data=None):
        return forms.ReferralForm(data, initial={"referred_on": date.today()})

    def perform(self, form):
        services.referral_create(user=self.request.user, case_id=self.case.pk, **form.cleaned_data)


class ReferralRespondView(CaseFormView):
    title = "登记转介回复"
    anchor = "referrals"
    form_class = forms.ReferralResponseForm

    def get_form(self, data=None):
        # The referral is looked up among this case's, like an assessment or a plan item: another case's
        # referral (another region's, too) under this case's URL is a 404, not a blank form.
        self.referral = selectors.child_record_get(selectors.referral_list(user=self.request.user, case=self.case),
                                                   self.kwargs["referral_id"])
        return super().get_form(data)

    def perform(self, form):
        services.referral_respond(user=self.request.user, referral_id=self.referral.pk, **form.cleaned_data)
