from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.bank import ACCOUNT_NAME_MAX_LENGTH, BankDetails
from apps.core.models import TimeStampedModel
from apps.core.money import MONEY_FIELD
from apps.core.validators import (
    id_number_facts,
    mask_id_number,
    validate_id_number,
    validate_id_number_birth_date,
    validate_phone,
)

MONEY = MONEY_FIELD


def person_id_fields(id_number: str) -> dict:
    """The fields of a Person that follow from the ID number (the number itself normalised, birth date, sex,
    birthplace, last four) — for a form save, an import row, demo data and test factories alike.
    Raises ValidationError for a number that is not valid or whose birth date is after today."""
    facts = id_number_facts(id_number)
    validate_id_number_birth_date(facts.number)
    return {"id_number": facts.number, "birth_date": facts.birth_date, "sex": facts.sex,
            "birthplace_code": facts.birthplace_code, "birthplace_known": facts.birthplace_known,
            "id_last4": facts.last4}


class Person(BankDetails, TimeStampedModel):
    """One natural person — applicant, parent or child. One person, one record: the ID number is unique.

    The bank details (BankDetails) are the person's own account for subsidies paid to them (培训补贴): a bank
    card or the 社会保障卡's financial account, 户名 = the person's name (apps.core.bank, personal)."""

    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class HukouType(models.TextChoices):
        URBAN = "urban", _("城镇")
        RURAL = "rural", _("农村")

    # validate_id_number returns the compact number (it is a parser too); Django ignores a validator's result.
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True,
                                 validators=[validate_id_number,  # type: ignore[list-item]
                                             validate_id_number_birth_date])
    # The last four characters, stored so "search by 后四位" is an index lookup instead of a LIKE '%…' scan.
    id_last4 = models.CharField(_("身份证号后四位"), max_length=4, editable=False, db_index=True, default="")
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    # Derived from the ID number (person_id_fields / Person.derive_from_id_number), never typed.
    birth_date = models.DateField(_("出生日期"), editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, editable=False)
    birthplace_code = models.CharField(_("出生地区划码"), max_length=6, editable=False)
    # False when the code is historical or unknown for the birth year (older residents): kept, never refused.
    birthplace_known = models.BooleanField(_("出生地区划码可核对"), default=True, editable=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, db_index=True, validators=[validate_phone])
    hukou_type = models.CharField(_("户籍性质"), max_length=10, choices=HukouType.choices, blank=True)
    hukou_region = models.ForeignKey(
        "core.Region", verbose_name=_("户籍地"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey("core.Region", verbose_name=_("居住地（经办区划）"), on_delete=models.PROTECT,
                               related_name="+")
    address = models.CharField(_("居住地址"), max_length=200, blank=True)
    bank_account_name = models.CharField(_("户名"), max_length=ACCOUNT_NAME_MAX_LENGTH, blank=True, default="",
                                         db_default="", help_text=_("须与本人姓名一致：补贴只发放到本人账户"))
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["name", "birth_date"]),
            # The list's sort keys (either direction; the id breaks ties, StableOrderingFilter) read the first
            # page off these indexes (tests/architecture/test_sort_indexes.py requests every key).
            models.Index(fields=["birth_date", "id"], name="person_birth_date_sort"),
            models.Index(fields=["name", "id"], name="person_name_sort"),
            models.Index(fields=["created_at", "id"], name="person_created_sort"),
            # PostgreSQL only uses a b-tree for LIKE 'prefix%' under a non-C collation with pattern ops;
            # SQLite ignores opclasses. Name prefix search and region scoping are both prefix matches.
            models.Index(fields=["name"], name="person_name_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["region"], name="person_region_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def derive_from_id_number(self) -> None:
        """Set the derived fields from the ID number. Raises ValidationError for a number that is not valid."""
        for name, value in person_id_fields(self.id_number).items():
            setattr(self, name, value)


class StatusTag(TimeStampedModel):
    """A status a person holds for a while (灵活就业 since 2024-03, 低保 until …). Facts for eligibility."""

    class Tag(models.TextChoices):
        FLEXIBLE_EMPLOYMENT = "flexible_employment", _("灵活就业")
        MIGRANT_WORKER = "migrant_worker", _("农民工")
        NEW_EMPLOYMENT_FORM = "new_employment_form", _("新就业形态")
        UNEMPLOYED = "unemployed", _("失业")
        EMPLOYMENT_DIFFICULTY = "employment_difficulty", _("就业困难")
        UNEMPLOYED_GRADUATE = "unemployed_graduate", _("离校未就业高校毕业生")
        POSTNATAL_WOMAN = "postnatal_woman", _("生育后再就业妇女")
        DISABLED = "disabled", _("残疾")
        MINIMUM_LIVING = "minimum_living", _("低保")
        EXTREME_POVERTY = "extreme_poverty", _("特困")
        POVERTY_MONITORING = "poverty_monitoring", _("脱贫/防返贫监测")
        FORMERLY_REGISTERED_POOR = "formerly_registered_poor", _("原建档立卡")
        ORPHAN = "orphan", _("孤儿")
        UNSUPPORTED_CHILD = "unsupported_child", _("事实无人抚养")
        # Opened by apps.fraud when a finding of a work injury billed to medical insurance takes effect.
        DIRECT_SETTLEMENT_SUSPENDED = "direct_settlement_suspended", _("暂停医保直接结算")

    # Tags another programme's decision gives and ends (暂停医保直接结算: a fraud finding in force, with its source):
    # not typed on the person page, not imported, not edited in the admin.
    DECIDED_ELSEWHERE = (Tag.DIRECT_SETTLEMENT_SUSPENDED,)

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="status_tags")
    tag = models.CharField(_("身份类别"), max_length=32, choices=Tag.choices)
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("终止日期"), null=True, blank=True, help_text=_("为空表示至今有效"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # A tag another programme's decision opened owns its own period: the decision's model label and id
    # ("fraud.finding", 12). Empty for tags typed or imported here (one row per person, tag and start day).
    source_label = models.CharField(_("来源"), max_length=64, blank=True, default="", editable=False)
    source_id = models.PositiveBigIntegerField(_("来源记录ID"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("身份标签")
        verbose_name_plural = _("身份标签")
        ordering = ["person_id", "tag", "-since"]
        indexes = [models.Index(fields=["tag", "since"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "tag", "since"], name="status_tag_unique_person_tag_since",
                                    condition=Q(source_label=""),
                                    violation_error_message=_("该人员已有同一开始日期的同类标签，请修改开始日期或编辑原有标签。")),
            models.UniqueConstraint(fields=["source_label", "source_id", "tag"], name="status_tag_unique_source",
                                    condition=~Q(source_label=""),
                                    violation_error_message=_("该决定已为此人开具同类标签。")),
            models.CheckConstraint(condition=Q(source_label="", source_id__isnull=True)
                                   | (~Q(source_label="") & Q(source_id__isnull=False)),
                                   name="status_tag_source_label_with_id",
                                   violation_error_message=_("标签来源须同时记录来源类型和记录ID。")),
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                                   name="status_tag_until_after_since",
                                   violation_error_message=_("标签的结束日期不能早于开始日期，请核对日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_tag_display()} {self.since:%Y-%m-%d}"


class InsuranceEnrollment(TimeStampedModel):
    """Enrollment in employee medical insurance as a flexible worker, or in maternity insurance (RULES R2)."""

    class Kind(models.TextChoices):
        FLEXIBLE_MEDICAL = "flexible_medical", _("职工医保（灵活就业人员）")
        MATERNITY = "maternity", _("生育保险")

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="enrollments")
    kind = models.CharField(_("险种"), max_length=32, choices=Kind.choices)
    start_date = models.DateField(_("参保日期"))
    end_date = models.DateField(_("停保日期"), null=True, blank=True)
    contribution_base = models.DecimalField(_("缴费基数（元/月）"), **MONEY, null=True, blank=True,
                                            validators=[MinValueValidator(0)])
    months_contributed = models.PositiveIntegerField(_("连续缴费月数"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("参保记录")
        verbose_name_plural = _("参保记录")
        ordering = ["person_id", "kind", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "start_date"], name="enrollment_unique_person_kind_start",
                                    violation_error_message=_("该人员已有同一险种、同一参保开始日期的记录，请核对参保开始日期或编辑原有记录。")),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="enrollment_end_after_start",
                                   violation_error_message=_("参保终止日期不能早于参保开始日期，请核对日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%Y-%m-%d}"


class Household(TimeStampedModel):
    """A household (家庭): members with their relation to the head. Children are people with ID numbers."""

    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"家庭 {self.pk}"


class HouseholdMember(models.Model):
    class Relation(models.TextChoices):
        HEAD = "head", _("户主/申请人")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        OTHER = "other", _("其他")

    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.CASCADE,
                                  related_name="members")
    # A person is in one household at a time.
    person = models.OneToOneField(Person, verbose_name=_("人员"), on_delete=models.CASCADE,
                                  related_name="household_membership")
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household_id", "relation", "person_id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class DuplicateCandidate(TimeStampedModel):
    """Two records that look like one person without an ID match: same name, birth date and phone."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        MERGED = "merged", _("已合并")
        DISMISSED = "dismissed", _("非同一人")

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, verbose_name=_("疑似重复人员"), on_delete=models.CASCADE, related_name="+",
                              null=True)
    # Kept for the record when the other person was merged away.
    other_id_number = models.CharField(_("疑似重复人员身份证号"), max_length=18)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("疑似重复人员")
        verbose_name_plural = _("疑似重复人员")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "other_id_number"], name="duplicate_unique_pair",
                                    violation_error_message=_("这两条人员记录已在疑似重复清单中，请在原有记录中处理。")),
        ]

    def __str__(self) -> str:
        return f"{self.person} ≈ {self.other_id_number}"
