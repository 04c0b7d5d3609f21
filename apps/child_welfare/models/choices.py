"""The choice sets of a case: lifecycle status, risk, categories, the six domains, sources and closure reasons."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REPORTED = "reported", _("已报告")
    VERIFIED = "verified", _("已核实")
    ASSESSED = "assessed", _("已评估")
    PLANNED = "planned", _("已制定计划")
    IN_SERVICE = "in_service", _("服务中")
    UNDER_REVIEW = "under_review", _("复核中")
    CLOSED = "closed", _("已结案")


OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")


class Category(models.TextChoices):
    ORPHAN = "orphan", _("孤儿")
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported", _("事实无人抚养儿童")
    DISABLED = "disabled", _("残疾儿童")
    SERIOUSLY_ILL = "seriously_ill", _("重病儿童")
    MINIMUM_LIVING_ALLOWANCE = "minimum_living_allowance", _("低保家庭儿童")
    EXTREME_POVERTY_SUPPORT = "extreme_poverty_support", _("特困供养儿童")
    LEFT_BEHIND = "left_behind", _("留守儿童")
    AT_RISK_OF_HARM = "at_risk_of_harm", _("受侵害或遭受侵害风险儿童")
    FORMER_REGISTERED_POOR = "former_registered_poor", _("原建档立卡家庭儿童")
    OTHER = "other", _("其他困境儿童")


class Domain(models.TextChoices):
    """The six protection systems every assessment and plan covers (R8)."""

    BASIC_LIVING = "basic_living", _("基本生活")
    MEDICAL = "medical", _("医疗康复")
    EDUCATION = "education", _("教育")
    MENTAL_HEALTH = "mental_health", _("心理健康")
    SAFETY = "safety", _("人身安全")
    GUARDIANSHIP = "guardianship", _("监护")


class Severity(models.TextChoices):
    NONE = "none", _("无需求")
    LOW = "low", _("轻度")
    MEDIUM = "medium", _("中度")
    HIGH = "high", _("重度")


class ReferralSource(models.TextChoices):
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    POLICE = "police", _("公安")
    NEIGHBOUR = "neighbour", _("邻居")
    HOTLINE = "hotline", _("热线")
    DATA_MATCH = "data_match", _("数据比对")
    DIRECTOR = "director", _("儿童主任排查")
    OTHER = "other", _("其他")


class ClosureReason(models.TextChoices):
    TURNED_18 = "turned_18", _("年满18周岁")
    RESOLVED = "resolved", _("困境已消除")
    MOVED_OUT = "moved_out", _("迁出（转至他区划）")
    DECEASED = "deceased", _("死亡")
