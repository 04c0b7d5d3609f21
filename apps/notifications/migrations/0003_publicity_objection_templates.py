"""Default Chinese templates of the shared 名单公示告知 and 异议处理结果 events (apps.publicity.notices,
apps.objections.notices), used by childcare and training claims. Editable in the admin; only missing ones are added."""

from django.db import migrations

SMS_PREFIX = "【{{ portal_name }}】"
TEMPLATES = [
    ("publicity.published", "sms", "",
     SMS_PREFIX + "{{ recipient_name }}：您的{{ purpose }}拟发放{{ amount }}元，现予公示，公示期{{ publicity_start }}至"
     "{{ publicity_end }}。如有异议，请在公示期内向经办机构提出。"),
    ("publicity.published", "email", "{{ purpose }}公示告知",
     "{{ recipient_name }}：\n\n您的{{ purpose }}经初审拟发放{{ amount }}元，现予公示。\n"
     "公示期：{{ publicity_start }}至{{ publicity_end }}（按工作日计算）。\n"
     "对公示内容有异议的，请在公示期内向经办机构提出；公示期满无异议的，经复核后发放。\n\n{{ portal_name }}"),
    ("objections.decided", "sms", "",
     SMS_PREFIX + "{{ recipient_name }}：您对{{ purpose }}提出的异议已于{{ decided_at }}处理完毕，处理结果：{{ outcome }}。"
     "处理后金额{{ amount }}元。{% if reason %}{{ reason }}{% endif %}"),
    ("objections.decided", "email", "{{ purpose }}异议处理结果",
     "{{ recipient_name }}：\n\n您对{{ purpose }}提出的异议已于{{ decided_at }}处理完毕。\n处理结果：{{ outcome }}\n"
     "{% if reason %}处理说明：{{ reason }}\n{% endif %}处理后金额：{{ amount }}元\n\n{{ portal_name }}"),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, channel, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(event=event, channel=channel,
                                              defaults={"subject": subject, "body": body, "active": True})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_default_templates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
