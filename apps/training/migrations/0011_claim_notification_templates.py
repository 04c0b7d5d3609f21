"""The default Chinese 短信 templates of the training claim's events (apps.training.notices_out), like
notifications' 0002: editable in the admin; this migration only adds a template that is missing."""

from django.db import migrations

SMS_PREFIX = "【{{ portal_name }}】"
TEMPLATES = [
    ("training.claim_published", "sms", "",
     SMS_PREFIX + "{{ recipient_name }}：您申领的{{ kind }}（{{ occupation }}）经初审拟补贴{{ amount }}元，现予公示"
     "{% if publicity_end %}，公示期至{{ publicity_end }}{% endif %}。如有异议请在公示期内向人力资源和社会保障部门提出。"),
    ("training.objection_decided", "sms", "",
     SMS_PREFIX + "{{ recipient_name }}：您对{{ kind }}公示提出的异议已于{{ decided_at }}处理完毕，处理结果：{{ outcome }}。"
     "{% if amount %}补贴金额{{ amount }}元。{% endif %}{% if reason %}{{ reason }}{% endif %}"),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, channel, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(event=event, channel=channel,
                                              defaults={"subject": subject, "body": body, "active": True})


class Migration(migrations.Migration):
    dependencies = [("training", "0010_claim_publicity"), ("notifications", "0002_default_templates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
