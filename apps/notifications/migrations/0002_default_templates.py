"""The default Chinese templates (editable in the admin; this migration only adds a template that is missing)."""

from django.db import migrations

SMS_PREFIX = "【{{ portal_name }}】"
TEMPLATES = [
    # 稳岗返还 名单公示
    ("refunds.run_published", "sms", "",
     SMS_PREFIX + "{{ recipient_name }}：您单位已列入{{ region_name }}{{ year }}年度失业保险稳岗返还拟返还名单，"
     "拟返还{{ amount }}元，无需申请。{% if publicity_end %}公示期至{{ publicity_end }}，{% endif %}"
     "如有异议请在公示期内提出。{% if enquiry_phone %}咨询电话{{ enquiry_phone }}。{% endif %}"),
    ("refunds.run_published", "email", "{{ year }}年度失业保险稳岗返还拟返还名单公示",
     "{{ recipient_name }}：\n\n您单位已列入{{ region_name }}{{ year }}年度失业保险稳岗返还拟返还名单，拟返还金额{{ amount }}元。"
     "本次返还“免申即享”，无需提交申请。\n{% if publicity_end %}公示期至{{ publicity_end }}。{% endif %}"
     "对名单有异议的，请在公示期内向经办机构提出。{% if enquiry_phone %}\n咨询电话：{{ enquiry_phone }}{% endif %}\n\n"
     "{{ portal_name }}"),
    # 稳岗返还 异议处理结果
    ("refunds.objection_decided", "sms", "",
     SMS_PREFIX + "{{ recipient_name }}：您单位对{{ year }}年度稳岗返还名单提出的异议已于{{ decided_at }}处理完毕，"
     "处理结果：{{ outcome }}。{% if amount %}返还金额{{ amount }}元。{% endif %}{% if reason %}{{ reason }}{% endif %}"),
    ("refunds.objection_decided", "email", "{{ year }}年度稳岗返还异议处理结果",
     "{{ recipient_name }}：\n\n您单位对{{ year }}年度失业保险稳岗返还名单提出的异议已于{{ decided_at }}处理完毕。\n"
     "处理结果：{{ outcome }}\n{% if reason %}处理说明：{{ reason }}\n{% endif %}"
     "{% if amount %}返还金额：{{ amount }}元\n{% endif %}\n{{ portal_name }}"),
    # 已发放到账 (any programme that pays)
    ("payments.paid", "sms", "",
     SMS_PREFIX + "{{ recipient_name }}：您单位的{{ purpose }}资金{{ amount }}元已于{{ paid_at }}发放到账"
     "（参考号{{ reference }}），请注意查收。"),
    ("payments.paid", "email", "{{ purpose }}资金已发放到账",
     "{{ recipient_name }}：\n\n您单位的{{ purpose }}资金{{ amount }}元已于{{ paid_at }}发放到账，参考号{{ reference }}。"
     "请核对单位银行结算账户的入账记录。\n\n{{ portal_name }}"),
    ("payments.paid", "inbox", "{{ purpose }}资金已到账：{{ recipient_name }}",
     "{{ recipient_name }}的{{ purpose }}资金{{ amount }}元已于{{ paid_at }}到账（参考号{{ reference }}）。"),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, channel, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(event=event, channel=channel,
                                              defaults={"subject": subject, "body": body, "active": True})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
