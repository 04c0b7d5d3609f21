"""The choice sets the training models share (skill ladder, target groups, enrollment states)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SkillLevel(models.TextChoices):
    """The 新八级工 ladder. Keys are those of the calculator's assessment table (training.py)."""

    APPRENTICE = "apprentice", _("学徒工")
    JUNIOR = "junior", _("初级工")
    INTERMEDIATE = "intermediate", _("中级工")
    SENIOR = "senior", _("高级工")
    TECHNICIAN = "technician", _("技师")
    SENIOR_TECHNICIAN = "senior_technician", _("高级技师")
    SPECIAL_TECHNICIAN = "special_technician", _("特级技师")
    CHIEF_TECHNICIAN = "chief_technician", _("首席技师")


class TargetGroup(models.TextChoices):
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    UNEMPLOYED_GRADUATE = "unemployed_graduate", _("离校未就业高校毕业生")
    UNEMPLOYED = "unemployed", _("失业人员")
    EMPLOYMENT_DIFFICULTY = "employment_difficulty", _("就业困难人员")
    WOMEN_RETURNING = "women_returning", _("生育后再就业妇女")
    DOMESTIC_WORKER = "domestic_worker", _("家政服务从业人员")
    ELDERLY_CARE_WORKER = "elderly_care_worker", _("养老护理从业人员")
    OTHER = "other", _("其他劳动者")


class EnrollmentStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    ENROLLED = "enrolled", _("已录取")
    IN_TRAINING = "in_training", _("培训中")
    COMPLETED = "completed", _("已结业")
    DROPPED_OUT = "dropped_out", _("已退学")
    ASSESSED = "assessed", _("已取证")
    EMPLOYMENT_VERIFIED = "employment_verified", _("就业已核验")
    SUBSIDY_CLAIMED = "subsidy_claimed", _("补贴已申领")
    SUBSIDY_PUBLICIZING = "subsidy_publicizing", _("补贴公示中")
    APPROVED = "approved", _("补贴已审核")
    PAID = "paid", _("补贴已发放")


class EmploymentEvidence(models.TextChoices):
    """Keys are those of the calculator (training.EMPLOYMENT_EVIDENCE)."""

    LABOUR_CONTRACT = "labour_contract", _("劳动合同")
    SERVICE_AGREEMENT = "service_agreement", _("服务协议")
    WAGE_STATEMENT = "wage_statement", _("工资流水")
