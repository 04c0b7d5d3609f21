from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel


class PolicyParameter(TimeStampedModel):
    """One version of one policy number: a value, its validity period, its region and its legal source.

    A province row applies everywhere below it; a city row overrides it for that city. Two versions of
    the same key and region may not be in force on the same day (checked by the service).
    """

    class ValueType(models.TextChoices):
        DECIMAL = "decimal", _("金额/数值")
        INTEGER = "integer", _("整数")
        PERCENTAGE = "percentage", _("百分比")
        DATE = "date", _("日期")
        REGION_LIST = "region_list", _("区划代码列表")
        TABLE = "table", _("表格")

    key = models.CharField(_("参数键"), max_length=100, db_index=True)
    name = models.CharField(_("参数名称"), max_length=200)
    value_type = models.CharField(_("值类型"), max_length=16, choices=ValueType.choices)
    value = models.JSONField(_("参数值"), help_text=_("金额、百分比写成字符串，如 \"3600.00\"、\"5.5\"（表示5.5%）"))
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("留空表示长期有效"))
    region = models.ForeignKey("core.Region", verbose_name=_("适用区划"), on_delete=models.PROTECT,
                               related_name="+", default=settings.PORTAL_ROOT_REGION)
    source_title = models.CharField(_("依据文件"), max_length=300)
    source_number = models.CharField(_("文号"), max_length=100, blank=True)
    source_file = models.CharField(_("原文文件"), max_length=100, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        ordering = ["key", "region_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "region", "valid_from"], name="parameter_unique_version_start"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                                   name="parameter_valid_to_after_from"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d}起）"

    @property
    def source(self) -> str:
        number = f" {self.source_number}" if self.source_number else ""
        file = f" ({self.source_file})" if self.source_file else ""
        return f"{self.source_title}{number}{file}"
