"""One publication (公示) of a record of a registered source: its public token and its window."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Publication(models.Model):
    source = models.CharField(_("公示来源"), max_length=40)
    record_id = models.BigIntegerField(_("记录编号"))
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    # The public address's key: 32 URL-safe characters from `secrets` (192 bits), never the numeric id.
    token = models.CharField(_("公开链接标识"), max_length=43, unique=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(_("发布时间"))
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"), help_text=_("异议须在此日（含）前提出"))
    working_days = models.PositiveSmallIntegerField(_("公示工作日数"))
    parameter_version = models.BigIntegerField(_("公示天数参数版本"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "record_id"], name="publication_one_per_record",
                                    violation_error_message=_("该记录已经发布公示，不能重复发布。")),
        ]

    def __str__(self) -> str:
        return f"{self.source}#{self.record_id} {self.starts_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}"
