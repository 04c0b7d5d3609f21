"""The occupation catalogue (职业分类大典) and the training providers."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.validators import validate_phone, validate_uscc


class Occupation(TimeStampedModel):
    """An occupation (职业) or a job type (工种) under one, as in the 职业分类大典."""

    class Kind(models.TextChoices):
        OCCUPATION = "occupation", _("职业")
        JOB_TYPE = "job_type", _("工种")

    class Category(models.TextChoices):
        DOMESTIC_SERVICE = "domestic_service", _("家政服务")
        ELDERLY_CARE = "elderly_care", _("养老服务")
        ELECTRICAL = "electrical", _("电工与特种作业")
        LOGISTICS = "logistics", _("物流仓储")
        SECURITY = "security", _("安全保卫")
        DIGITAL = "digital", _("数字技术")
        LIFE_SERVICE = "life_service", _("生活服务")
        MANUFACTURING = "manufacturing", _("制造加工")
        OTHER = "other", _("其他")

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, default=Kind.OCCUPATION)
    category = models.CharField(_("行业分类"), max_length=20, choices=Category.choices, default=Category.OTHER)
    parent = models.ForeignKey("self", verbose_name=_("所属职业"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="job_types", help_text=_("工种填写其所属职业"))
    is_new = models.BooleanField(_("新职业/新工种"), default=False)
    announced_in = models.CharField(_("发布批次"), max_length=100, blank=True)
    licence_name = models.CharField(_("可取得的操作证/资格"), max_length=100, blank=True,
                                    help_text=_("“一培双证”中其他部门颁发的证书，如低压电工特种作业操作证"))
    licence_issuer = models.CharField(_("操作证颁发部门"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("职业（工种）")
        verbose_name_plural = _("职业（工种）目录")
        ordering = ["category", "code"]
        indexes = [models.Index(fields=["category", "code"], name="occupation_list_sort")]

    def __str__(self) -> str:
        return self.name


class Provider(TimeStampedModel):
    class ProviderType(models.TextChoices):
        TECHNICAL_SCHOOL = "technical_school", _("技工院校")
        VOCATIONAL_COLLEGE = "vocational_college", _("职业院校")
        TRAINING_INSTITUTION = "training_institution", _("培训机构")
        ENTERPRISE = "enterprise", _("企业")
        TRADE_UNION = "trade_union", _("工会")
        WOMENS_FEDERATION = "womens_federation", _("妇联")
        OPEN_UNIVERSITY = "open_university", _("开放大学")
        OTHER = "other", _("其他")

    # validate_uscc returns the normalised code, which Django ignores; the stubs want a validator returning None.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                            validators=[validate_uscc])  # type: ignore[list-item]
    name = models.CharField(_("机构名称"), max_length=200)
    provider_type = models.CharField(_("机构类型"), max_length=24, choices=ProviderType.choices)
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    accreditation_number = models.CharField(_("办学许可/认定编号"), max_length=60, blank=True)
    accredited_until = models.DateField(_("认定有效期至"), null=True, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训机构")
        verbose_name_plural = _("培训机构")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="provider_list_sort"),
                   # accreditations running out, on the 待办 list (apps.training.worklist)
                   models.Index(fields=["accredited_until", "id"], name="provider_accredited_until")]

    def __str__(self) -> str:
        return self.name
