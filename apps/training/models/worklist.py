"""The caseworker's to-do items (待办) materialised from overdue follow-ups."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.training.models.enrollments import FollowUp


class WorklistItem(models.Model):
    """A caseworker's to-do (待办), materialised by the beat task; one per overdue follow-up."""

    class Kind(models.TextChoices):
        FOLLOW_UP_OVERDUE = "follow_up_overdue", _("回访逾期")

    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices, default=Kind.FOLLOW_UP_OVERDUE)
    follow_up = models.OneToOneField(FollowUp, verbose_name=_("回访"), on_delete=models.CASCADE,
                                     related_name="worklist_item")
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    due_on = models.DateField(_("应办日期"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "id"], name="worklist_item_list_sort")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.follow_up}"
