"""Each finding in force owns its own 暂停医保直接结算 tag (applicants.StatusTag.source_label/source_id).

Before, findings of one person taking effect the same day shared one merged tag row, so revoking one ended the
suspension the other still imposed. Each finding's period is rebuilt from the finding itself (from its effective
day to its last day, or to the day it was revoked): the first finding keeps the shared row, every other gets its
own; every change is a history row."""

from django.db import migrations
from django.utils import timezone

LABEL = "fraud.finding"
REASON = "迁移：暂停结算标签按认定分开"


def _period(finding):
    until = finding.suspended_until
    if finding.revoked_on is not None:
        until = max(min(finding.revoked_on, until), finding.suspended_from)
    return finding.suspended_from, until


def split_tags(apps, schema_editor):
    Finding = apps.get_model("fraud", "Finding")
    StatusTag = apps.get_model("applicants", "StatusTag")
    HistoricalStatusTag = apps.get_model("applicants", "HistoricalStatusTag")
    now, claimed = timezone.now(), set()
    findings = Finding.objects.filter(suspension_tag__isnull=False).select_related("case", "suspension_tag")
    for finding in findings.order_by("pk"):
        tag = finding.suspension_tag
        since, until = _period(finding)
        if tag.pk in claimed:  # already claimed by an earlier finding of the same day: this one gets its own row
            tag = StatusTag(person_id=finding.case.person_id, tag=tag.tag, note=f"骗保案件 #{finding.case_id} 认定生效")
            history_type = "+"
        else:
            history_type = "~"
        tag.since, tag.until, tag.source_label, tag.source_id = since, until, LABEL, finding.pk
        tag.save()
        claimed.add(tag.pk)
        HistoricalStatusTag.objects.create(
            id=tag.pk, person_id=tag.person_id, tag=tag.tag, since=tag.since, until=tag.until, note=tag.note,
            source_label=tag.source_label, source_id=tag.source_id, history_date=now, history_type=history_type,
            history_change_reason=REASON)
        if finding.suspension_tag_id != tag.pk:
            Finding.objects.filter(pk=finding.pk).update(suspension_tag=tag)


class Migration(migrations.Migration):

    dependencies = [
        ("applicants", "0012_status_tag_source"),
        ("fraud", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(split_tags, migrations.RunPython.noop),
    ]
