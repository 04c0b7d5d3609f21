"""零工市场 (gig market): 劳务经纪人, 零工岗位, 求职登记, 撮合上岗 and 回访 (docs/gig.md).

Trades (工种) are a small choices list here: the training occupation catalogue lives in apps.training, an app on
the same floor, which this app may not import (docs/architecture.md, "The floors")."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel


class Trade(models.TextChoices):
    BRICKLAYER = "bricklayer", _("瓦工")
    CARPENTER = "carpenter", _("木工")
    CONSTRUCTION_HELPER = "construction_helper", _("建筑小工")
    ELECTRICIAN = "electrician", _("电工")
    CLEANER = "cleaner", _("保洁")
    DOMESTIC = "domestic", _("家政服务")
    LOADER = "loader", _("搬运装卸")
    COURIER = "courier", _("配送")
    HARVEST = "harvest", _("农业采摘")
    FARMHAND = "farmhand", _("田间管理")
    KITCHEN_HELPER = "kitchen_helper", _("餐饮帮厨")
    WAITER = "waiter", _("餐饮服务")
    SECURITY = "security", _("保安")


# Related trades (相近工种): a worker of another trade of the same group is a weaker match than one of the trade.
TRADE_GROUPS: dict[str, tuple[str, ...]] = {
    "建筑": ("bricklayer", "carpenter", "construction_helper", "electrician"),
    "家政保洁": ("cleaner", "domestic"),
    "物流": ("loader", "courier"),
    "农业": ("harvest", "farmhand"),
    "餐饮": ("kitchen_helper", "waiter"),
    "安保": ("security",),
}
TRADE_GROUP_OF: dict[str, str] = {trade: group for group, trades in TRADE_GROUPS.items() for trade in trades}


def related_trades(trade: str) -> tuple[str, ...]:
    """The trade and those of its group."""
    return TRADE_GROUPS.get(TRADE_GROUP_OF.get(trade, ""), (trade,))


class PayUnit(models.TextChoices):
    DAY = "day", _("元/天")
    HOUR = "hour", _("元/小时")


class Broker(TimeStampedModel):
    """劳务经纪人: a registered person who brings villagers and jobs together, registered at a 乡镇 or 村."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        DEREGISTERED = "deregistered", _("注销")

    person = models.OneToOneField("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                                  related_name="+")
    region = models.ForeignKey("core.Region", verbose_name=_("服务区划（乡镇/村）"), on_delete=models.PROTECT,
                               related_name="+")
    phone = models.CharField(_("联系电话"), max_length=20)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    registered_on = models.DateField(_("登记日期"))
    deregistered_on = models.DateField(_("注销日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("劳务经纪人")
        verbose_name_plural = _("劳务经纪人")
        ordering = ["-registered_on", "-id"]
        indexes = [models.Index(fields=["registered_on", "id"], name="gig_broker_list_sort")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.region.name}）"


class Posting(TimeStampedModel):
    """零工岗位: posted by an employer or by a broker (exactly one of the two)."""

    class Status(models.TextChoices):
        OPEN = "open", _("招募中")
        FULL = "full", _("已满")
        ENDED = "ended", _("已结束")
        WITHDRAWN = "withdrawn", _("撤回")

    title = models.CharField(_("岗位名称"), max_length=100)
    employer = models.ForeignKey("employers.Employer", verbose_name=_("用工单位"), on_delete=models.PROTECT,
                                 related_name="+", null=True, blank=True)
    broker = models.ForeignKey(Broker, verbose_name=_("发布经纪人"), on_delete=models.PROTECT,
                               related_name="postings", null=True, blank=True)
    trade = models.CharField(_("工种"), max_length=32, choices=Trade.choices)
    pay = models.DecimalField(_("报酬（元）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    pay_unit = models.CharField(_("计酬单位"), max_length=8, choices=PayUnit.choices, default=PayUnit.DAY)
    headcount = models.PositiveIntegerField(_("招募人数"), validators=[MinValueValidator(1)])
    start_date = models.DateField(_("用工开始日期"))
    end_date = models.DateField(_("用工结束日期"))
    region = models.ForeignKey("core.Region", verbose_name=_("工作地区划"), on_delete=models.PROTECT,
                               related_name="+")
    address = models.CharField(_("工作地址"), max_length=200)
    description = models.CharField(_("岗位说明"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("零工岗位")
        verbose_name_plural = _("零工岗位")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["start_date", "id"], name="gig_posting_list_sort"),
                   models.Index(fields=["status", "trade"], name="gig_posting_open_trade")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="gig_posting_dates",
                                   violation_error_message=_("用工结束日期不能早于开始日期。")),
            models.CheckConstraint(condition=(Q(employer__isnull=False, broker__isnull=True)
                                              | Q(employer__isnull=True, broker__isnull=False)),
                                   name="gig_posting_one_poster",
                                   violation_error_message=_("岗位由用工单位或劳务经纪人之一发布。")),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_trade_display()} × {self.headcount}）"

    @property
    def poster_name(self) -> str:
        if self.employer_id:
            return self.employer.name  # type: ignore[union-attr]
        return f"经纪人 {self.broker.person.name}" if self.broker_id else ""  # type: ignore[union-attr]


class Availability(TimeStampedModel):
    """求职登记: a worker's trades, where, from when to when, and the pay they expect."""

    class Status(models.TextChoices):
        OPEN = "open", _("求职中")
        CLOSED = "closed", _("已停止")

    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="+")
    region = models.ForeignKey("core.Region", verbose_name=_("求职区划"), on_delete=models.PROTECT,
                               related_name="+")
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    available_from = models.DateField(_("可上岗开始日期"))
    available_to = models.DateField(_("可上岗结束日期"))
    expected_pay = models.DecimalField(_("期望报酬（元）"), max_digits=10, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    pay_unit = models.CharField(_("计酬单位"), max_length=8, choices=PayUnit.choices, default=PayUnit.DAY)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # 停止求职 (services.availability_close): the day and the reason; the history row names who did it.
    closed_on = models.DateField(_("停止求职日期"), null=True, blank=True)
    close_reason = models.CharField(_("停止求职原因"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("求职登记")
        verbose_name_plural = _("求职登记")
        ordering = ["-available_from", "-id"]
        indexes = [models.Index(fields=["available_from", "id"], name="gig_availability_list_sort")]
        constraints = [
            models.CheckConstraint(condition=Q(available_to__gte=models.F("available_from")),
                                   name="gig_availability_dates",
                                   violation_error_message=_("可上岗结束日期不能早于开始日期。")),
            models.UniqueConstraint(fields=["person"], condition=Q(status="open"), name="gig_one_open_availability",
                                    violation_error_message=_("该人员已有求职中的登记，请先停止原登记。")),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} 求职登记"

    @property
    def trade_codes(self) -> list[str]:
        return [row.trade for row in self.trades.all()]

    @property
    def trade_labels(self) -> str:
        return "、".join(str(Trade(code).label) for code in self.trade_codes)


class AvailabilityTrade(models.Model):
    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="trades")
    trade = models.CharField(_("工种"), max_length=32, choices=Trade.choices)

    class Meta:
        verbose_name = _("求职工种")
        verbose_name_plural = _("求职工种")
        constraints = [models.UniqueConstraint(fields=["availability", "trade"], name="gig_availability_trade_once",
                                               violation_error_message=_("该工种已登记，请勿重复选择。"))]
        indexes = [models.Index(fields=["trade", "availability"], name="gig_trade_availability")]

    def __str__(self) -> str:
        return self.get_trade_display()


class Outcome(models.TextChoices):
    ON_JOB = "on_job", _("在岗")
    ENDED = "ended", _("已结束")
    NO_SHOW = "no_show", _("未到岗")


class Placement(TimeStampedModel):
    """撮合上岗: a worker placed on a posting, through a broker or not. A no-show frees the place."""

    class State(models.TextChoices):
        PENDING = "pending", _("待回访")
        ON_JOB = "on_job", _("在岗")
        ENDED = "ended", _("已结束")
        NO_SHOW = "no_show", _("未到岗")

    posting = models.ForeignKey(Posting, verbose_name=_("零工岗位"), on_delete=models.PROTECT, related_name="placements")
    availability = models.ForeignKey(Availability, verbose_name=_("求职登记"), on_delete=models.PROTECT,
                                     related_name="placements")
    broker = models.ForeignKey(Broker, verbose_name=_("经纪人"), on_delete=models.PROTECT, related_name="placements",
                               null=True, blank=True)
    start_date = models.DateField(_("上岗日期"))
    outcome = models.CharField(_("最近回访结果"), max_length=16, choices=State.choices, default=State.PENDING)
    pay_received = models.BooleanField(_("已收到报酬"), null=True, blank=True)
    match_reasons = models.JSONField(_("撮合依据"), default=list, blank=True)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("经办人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("撮合上岗")
        verbose_name_plural = _("撮合上岗")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["start_date", "id"], name="gig_placement_list_sort")]
        constraints = [models.UniqueConstraint(fields=["posting", "availability"], name="gig_placement_once",
                                               violation_error_message=_("该人员已在这个岗位上岗。"))]

    def __str__(self) -> str:
        return f"{self.availability.person.name} → {self.posting.title}"


class FollowUp(TimeStampedModel):
    """回访: what became of a placement on a day; the latest one is copied onto the placement."""

    placement = models.ForeignKey(Placement, verbose_name=_("撮合上岗"), on_delete=models.CASCADE,
                                  related_name="follow_ups")
    visited_on = models.DateField(_("回访日期"))
    outcome = models.CharField(_("回访结果"), max_length=16, choices=Outcome.choices)
    pay_received = models.BooleanField(_("已收到报酬"), default=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name=_("回访人"), on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["placement", "visited_on", "id"], name="gig_follow_up_sort")]

    def __str__(self) -> str:
        return f"{self.placement} · {self.visited_on} {self.get_outcome_display()}"
