from datetime import date

from django import forms

from apps.core.models import Region
from apps.core.scoping import user_scope_prefix


class RunStartForm(forms.Form):
    year = forms.IntegerField(label="返还年度", min_value=2020, help_text="按上一年度（事实年度）的缴费数据计算")
    region = forms.ChoiceField(label="区划")
    dry_run = forms.BooleanField(label="模拟测算（不形成正式批次）", required=False)
    sme_rate = forms.DecimalField(label="模拟：中小微企业返还比例（%）", required=False, min_value=0, max_value=100,
                                  decimal_places=2, help_text="仅模拟测算可调整；留空按现行参数")
    large_rate = forms.DecimalField(label="模拟：大型企业返还比例（%）", required=False, min_value=0, max_value=100,
                                    decimal_places=2)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        prefix = user_scope_prefix(user) or "-"
        regions = Region.objects.filter(code__startswith=prefix, level__in=["province", "prefecture", "county"])
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)  # declared above; narrowed for the type checker
        region.choices = [(r.code, f"{r.code} {r.name}") for r in regions.order_by("code")]
        self.fields["year"].initial = date.today().year
        self.fields["region"].initial = user.region_id

    def overrides(self) -> dict:
        values = {"stable_job_refund.sme_rate": self.cleaned_data.get("sme_rate"),
                  "stable_job_refund.large_enterprise_rate": self.cleaned_data.get("large_rate")}
        return {key: str(value) for key, value in values.items() if value is not None}


class ReviewForm(forms.Form):
    comment = forms.CharField(label="审核意见", required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))
