from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.validators import mask_id_number, validate_id_number


class Person(TimeStampedModel):
    """One natural person — applicant, parent or child. One person, one record: the ID number is unique."""

    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class HukouType(models.TextChoices):
        URBAN = "urban", _("城镇")
        RURAL = "rural", _("农村")

    id_number = models.CharField(_("身份证号"), max_length=18, unique=True, validators=[validate_id_number])
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    # Derived from the ID number by the service, never typed.
    birth_date = models.DateField(_("出生日期"), editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, editable=False)
    birthplace_code = models.CharField(_("出生地区划码"), max_length=6, editable=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, db_index=True)
    hukou_type = models.CharField(_("户籍性质"), max_length=10, choices=HukouType.choices, blank=True)
    hukou_region = models.ForeignKey(
        "core.Region", verbose_name=_("户籍地"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey("core.Region", verbose_name=_("居住地（经办区划）"), on_delete=models.PROTECT,
                               related_name="+")
    address = models.CharField(_("居住地址"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["-id"]
        indexes = [models.Index(fields=["name", "birth_date"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)
