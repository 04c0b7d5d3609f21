from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.bank import BankDetails
from apps.core.models import TimeStampedModel
from apps.core.money import MONEY_FIELD
from apps.core.validators import validate_phone, validate_uscc

MONEY = MONEY_FIELD

# Registry industry code → key of the size-standard table where the two differ (others are equal).
SIZE_TABLE_KEYS = {
    "industry": "industrial",
    "hospitality": "accommodation_catering",
    "software": "software_it",
    "real_estate": "real_estate_development",
    "leasing": "leasing_business_services",
}


class Employer(BankDetails, TimeStampedModel):
    class EntityType(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        SOCIAL_ORG = "social_org", _("社会团体")
        FOUNDATION = "foundation", _("基金会")
        SOCIAL_SERVICE_ORG = "social_service_org", _("社会服务机构")
        LAW_FIRM = "law_firm", _("律师事务所")
        ACCOUNTING_FIRM = "accounting_firm", _("会计师事务所")
        INDIVIDUAL_BUSINESS = "individual_business", _("以单位形式参保的个体工商户")
        PUBLIC_INSTITUTION = "public_institution", _("财政拨款的事业单位")

    class Industry(models.TextChoices):
        """The industries of the SME size standard (工信部联企业〔2011〕300号)."""

        INDUSTRY = "industry", _("工业")
        CONSTRUCTION = "construction", _("建筑业")
        WHOLESALE = "wholesale", _("批发业")
        RETAIL = "retail", _("零售业")
        TRANSPORT = "transport", _("交通运输业")
        WAREHOUSING = "warehousing", _("仓储业")
        POSTAL = "postal", _("邮政业")
        HOSPITALITY = "hospitality", _("住宿业和餐饮业")
        TELECOM = "telecom", _("信息传输业")
        SOFTWARE = "software", _("软件和信息技术服务业")
        REAL_ESTATE = "real_estate", _("房地产开发经营")
        PROPERTY_MANAGEMENT = "property_management", _("物业管理")
        LEASING = "leasing", _("租赁和商务服务业")
        AGRICULTURE = "agriculture", _("农、林、牧、渔业")
        OTHER = "other", _("其他未列明行业")

        @classmethod
        def size_table_key(cls, code: str) -> str:
            """The row of the size-standard table (parameter enterprise_size.thresholds) for an industry.

            The registry's codes are what imports and forms use; the table's keys are the policy data's.
            """
            return SIZE_TABLE_KEYS.get(code, code)

    # validate_uscc returns the compact code (it is a parser too); Django ignores a validator's result.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                            validators=[validate_uscc])  # type: ignore[list-item]
    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    entity_type = models.CharField(_("单位类型"), max_length=32, choices=EntityType.choices,
                                   default=EntityType.ENTERPRISE)
    industry = models.CharField(_("行业"), max_length=32, choices=Industry.choices, default=Industry.OTHER)
    # Unknown is None, never 0: the size classification must know the difference.
    employees = models.PositiveIntegerField(_("从业人员数"), null=True, blank=True)
    revenue_10k = models.DecimalField(_("营业收入（万元）"), **MONEY, null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    assets_10k = models.DecimalField(_("资产总额（万元）"), **MONEY, null=True, blank=True,
                                     validators=[MinValueValidator(0)])
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    serious_dishonesty = models.BooleanField(_("列入严重失信主体名单"), default=False)
    dishonesty_date = models.DateField(_("列入日期"), null=True, blank=True)
    dishonesty_source = models.CharField(_("失信信息来源"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    # Where the 稳岗返还 notices go by e-mail (apps.notifications); db_default as for the bank details.
    contact_email = models.EmailField(_("联系邮箱"), blank=True, default="", db_default="")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["-id"]
        indexes = [
            # Name prefix search and region scoping are LIKE 'prefix%': PostgreSQL needs pattern ops for
            # a b-tree to serve them under a non-C collation; SQLite ignores opclasses.
            models.Index(fields=["name"], name="employer_name_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["region"], name="employer_region_prefix", opclasses=["varchar_pattern_ops"]),
            # The list's sort keys (either direction; the id breaks ties, StableOrderingFilter) read the first
            # page off these indexes (tests/architecture/test_sort_indexes.py requests every key).
            models.Index(fields=["employees", "id"], name="employer_employees_sort"),
            models.Index(fields=["name", "id"], name="employer_name_sort"),
            models.Index(fields=["created_at", "id"], name="employer_created_sort"),
        ]

    def __str__(self) -> str:
        return self.name


class Contribution(models.Model):
    """One month of unemployment-insurance contributions of one employer."""

    employer = models.ForeignKey(Employer, verbose_name=_("单位"), on_delete=models.CASCADE,
                                 related_name="contributions")
    period = models.DateField(_("费款所属期"), help_text=_("所属月份的第一天"))
    insured_headcount = models.PositiveIntegerField(_("参保人数"))
    amount_due = models.DecimalField(_("应缴金额"), **MONEY, validators=[MinValueValidator(0)])
    paid_employer = models.DecimalField(_("单位实缴"), **MONEY, validators=[MinValueValidator(0)])
    paid_employee = models.DecimalField(_("个人实缴"), **MONEY, validators=[MinValueValidator(0)])
    late_fee = models.DecimalField(_("滞纳金"), **MONEY, default=0, validators=[MinValueValidator(0)])
    # Rows written by a file import point at the batch (who, when, file, sha256) instead of carrying
    # per-row history: at a million rows a history row each would double the write. Edits through the
    # admin or a service still get simple-history records.
    import_batch = models.ForeignKey("imports.ImportBatch", verbose_name=_("导入批次"), on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["import_batch"])

    class Meta:
        verbose_name = _("失业保险缴费记录")
        verbose_name_plural = _("失业保险缴费记录")
        ordering = ["employer_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "period"], name="contribution_unique_employer_period",
                                    violation_error_message=_("该单位该月份的缴费记录已存在，请编辑原有记录，不要重复录入。")),
        ]
        # The list's default sort (newest period first, then employer), and a range of periods for the refund
        # facts statement: one index serves both (it replaces a plain `period` index).
        indexes = [models.Index(fields=["-period", "employer"], name="contribution_period_list")]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.period:%Y-%m}"

    @property
    def paid_total(self):
        return self.paid_employer + self.paid_employee
