from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.child_welfare import selectors
from apps.child_welfare.models import (
    Case,
    CaseGuardian,
    Category,
    ClosureReason,
    Domain,
    PlanItem,
    Referral,
    ReferralSource,
    RiskLevel,
    Severity,
    Visit,
)
from apps.core.models import Region
from apps.core.scoping import scope_queryset

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def county_choices(user) -> list[tuple[str, str]]:
    """Counties (and streets/villages where the tree has them) inside the user's region."""
    regions = scope_queryset(Region.objects.filter(level__in=["county", "township", "village"]), user, "parent")
    if user.region_id and user.region.level in ("county", "township"):
        regions = regions | Region.objects.filter(code=user.region_id)
    return [(r.code, f"{r.parent.name if r.parent else ''}{r.name}（{r.code}）")
            for r in regions.select_related("parent").order_by("code")]


class CaseReportForm(forms.Form):
    child_name = forms.CharField(label=_("儿童姓名"), max_length=50)
    child_id_number = forms.CharField(label=_("儿童身份证号"), max_length=18)
    region = forms.ChoiceField(label=_("经办区划（县区）"))
    township = forms.CharField(label=_("街道/乡镇"), max_length=100, required=False)
    village = forms.CharField(label=_("村/社区"), max_length=100, required=False)
    address = forms.CharField(label=_("现住址"), max_length=200, required=False)
    referral_source = forms.ChoiceField(label=_("发现来源"), choices=ReferralSource.choices)
    risk_level = forms.ChoiceField(label=_("初始风险等级"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM)
    risk_reason = forms.CharField(label=_("风险评定依据"), widget=TEXT, required=False)
    categories = forms.MultipleChoiceField(label=_("困境类别"), choices=Category.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    categories_since = forms.DateField(label=_("类别认定日期"), widget=DATE, initial=date.today)
    household_situation = forms.CharField(label=_("家庭情况"), widget=TEXT, required=False)
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    guardian_relationship = forms.CharField(label=_("与儿童关系"), max_length=20, required=False)
    guardian_situation = forms.ChoiceField(label=_("监护状况"), choices=CaseGuardian.Situation.choices, required=False)
    guardian_phone = forms.CharField(label=_("监护人电话"), max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = county_choices(user)
        if user.region_id and user.region.level == "county":
            self.fields["region"].initial = user.region_id


class CaseEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = ["township", "village", "address", "referral_source", "household_situation", "household_size",
                  "director", "assigned_worker", "identity_verified", "documents_verified",
                  "at_inclusive_kindergarten", "kindergarten_approved", "urban"]
        widgets = {"household_situation": TEXT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.instance
        director = cast(forms.ModelChoiceField, self.fields["director"])
        worker = cast(forms.ModelChoiceField, self.fields["assigned_worker"])
        director.queryset = selectors.director_choices(case=case)
        worker.queryset = User.objects.filter(pk__in=[w.pk for w in selectors.caseworkers_for_region(case.region_id)])
        if not user.is_supervisor:
            worker.disabled = True


class RiskForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    risk_level = forms.ChoiceField(label=_("新风险等级"), choices=RiskLevel.choices)
    reason = forms.CharField(label=_("调整原因"), widget=TEXT)


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("原因/说明"), widget=TEXT, required=False)
    closure_reason = forms.ChoiceField(label=_("结案原因"), choices=[("", "—"), *ClosureReason.choices],
                                       required=False)
    target_region = forms.ChoiceField(label=_("转入县区（迁出时）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Region.objects.filter(level="county").select_related("parent")
        cast(forms.ChoiceField, self.fields["target_region"]).choices = [("", "—")] + [
            (r.code, f"{r.parent.name if r.parent else ''}{r.name}") for r in counties]


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("困境类别"), choices=Category.choices)
    since = forms.DateField(label=_("认定日期"), widget=DATE, initial=date.today)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class GuardianForm(forms.ModelForm):
    class Meta:
        model = CaseGuardian
        fields = ["name", "relationship", "situation", "phone", "note"]


class AssessmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    assessed_on = forms.DateField(label=_("评估日期"), widget=DATE, initial=date.today)
    summary = forms.CharField(label=_("综合评估意见"), widget=TEXT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for domain in Domain.values:
            self.fields[f"{domain}_severity"] = forms.ChoiceField(label=_("需求程度"), choices=Severity.choices)
            self.fields[f"{domain}_needs"] = forms.CharField(label=_("需求描述"), required=False,
                                                             widget=forms.Textarea(attrs={"rows": 2}))

    def domain_rows(self):
        return [{"domain": domain, "label": label, "severity": self[f"{domain}_severity"],
                 "needs": self[f"{domain}_needs"]} for domain, label in Domain.choices]

    def domains(self) -> dict:
        return {d: {"severity": self.cleaned_data[f"{d}_severity"], "needs": self.cleaned_data[f"{d}_needs"]}
                for d in Domain.values}


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["domain", "goal", "service", "responsible_type", "responsible_name", "due_date", "status"]
        widgets = {"due_date": DATE}


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["visited_on", "visitors", "child_seen", "findings", "services_delivered"]
        widgets = {"visited_on": DATE, "findings": TEXT, "services_delivered": TEXT}


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["target_type", "target_name", "domain", "request", "referred_on"]
        widgets = {"referred_on": DATE, "request": TEXT}


class ReferralResponseForm(forms.Form):
    status = forms.ChoiceField(label=_("答复结果"),
                               choices=[c for c in Referral.ReferralStatus.choices if c[0] != "sent"])
    response = forms.CharField(label=_("对方回复"), widget=TEXT)


class PurposeForm(forms.Form):
    purpose = forms.CharField(label=_("查看事由"), max_length=200, min_length=4,
                              help_text=_("依据个人信息保护法，查看敏感信息须说明目的；事由将记入访问日志。"))


class SensitiveNoteForm(forms.Form):
    text = forms.CharField(label=_("新增敏感信息"), widget=TEXT)
