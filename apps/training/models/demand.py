"""Demand a program is opened against: employers' shortage reports and applicants' willingness."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.training.models.catalogue import Occupation
from apps.training.models.choices import TargetGroup


class ShortageReport(TimeStampedModel):
    """An employer's labour-shortage report (缺工): demand a program can be opened against."""

    employer = models.ForeignKey("employers.Employer", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="+")
    occupation = models.ForeignKey(Occupation, verbose_name=_("缺工职业"), on_delete=models.PROTECT,
                                   related_name="shortages")
    count = models.PositiveIntegerField(_("缺工人数"), validators=[MinValueValidator(1)])
    wage_min = models.DecimalField(_("月工资下限（元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    wage_max = models.DecimalField(_("月工资上限（元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    reported_on = models.DateField(_("登记日期"))
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("企业缺工登记")
        verbose_name_plural = _("企业缺工登记")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["reported_on", "id"], name="shortage_report_list_sort")]
        constraints = [models.CheckConstraint(condition=Q(wage_max__gte=models.F("wage_min")),
                                              name="shortage_wage_range",
                                              violation_error_message=_("最高工资不能低于最低工资，请核对工资范围。"))]

    def __str__(self) -> str:
        return f"{self.occupation} × {self.count}"


class TrainingWillingness(TimeStampedModel):
    """An applicant's training-willingness registration (培训意愿)."""

    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="+")
    occupation = models.ForeignKey(Occupation, verbose_name=_("意向职业"), on_delete=models.PROTECT,
                                   related_name="willingness")
    target_group = models.CharField(_("人员类别"), max_length=24, choices=TargetGroup.choices)
    registered_on = models.DateField(_("登记日期"))
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训意愿登记")
        verbose_name_plural = _("培训意愿登记")
        ordering = ["-registered_on", "-id"]
        indexes = [models.Index(fields=["registered_on", "id"], name="willingness_list_sort")]
        constraints = [models.UniqueConstraint(fields=["person", "occupation"], name="willingness_once_per_occupation",
                                               violation_error_message=_("该人员已登记过这一职业（工种）的培训意愿，请编辑原有登记。"))]

    def __str__(self) -> str:
        return f"{self.person} · {self.occupation}"
