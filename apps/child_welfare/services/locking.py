"""Optimistic locking and the recorded save every write of this app ends with.

A save names the version it started from; `claim_version` runs
`UPDATE … SET version = version + 1 WHERE id = %s AND version = %s` and a stale version (0 rows) is
refused with the other person's values, instead of silently overwriting them.
"""

from django.db.models import F
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError


class StaleVersionError(ConflictError):
    """The record changed since the user loaded it. `current` holds the values now in the database."""

    def __init__(self, *, obj, submitted: dict):
        latest = version_author(obj)
        who = str(latest.history_user) if latest and latest.history_user else "其他用户"
        when = timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M") if latest else ""
        fields = {}
        for name, mine in submitted.items():
            theirs = getattr(obj, name)
            if comparable(theirs) != comparable(mine):
                fields[name] = [f"{who} 已改为：{_display(obj, name)}"]
        if not fields:
            fields["version"] = [f"{who} 已修改了此记录的其他内容"]
        super().__init__("stale_version",
                         f"{obj._meta.verbose_name}已被 {who} 于 {when} 修改（当前版本 {obj.version}），您的保存未生效。"
                         f"请核对对方的修改后重新提交。", fields)
        self.current = obj
        self.changed_by = who


def version_author(obj):
    """The history row that produced the version now in the database: the first save at `obj.version`. Later
    rows at the same version (a recorded write that is not an edit) did not change what the stale form is
    behind, so they must not be named as "the person who changed it"; without one, the latest row."""
    history = obj.history.select_related("history_user")
    return (history.filter(version=obj.version).order_by("history_date", "history_id").first()
            or history.order_by("-history_date", "-history_id").first())


def comparable(value):
    """A related object compares by its key: the form submits objects, the database holds ids."""
    return getattr(value, "pk", value)


def _display(obj, name: str) -> str:
    field = obj._meta.get_field(name)
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if isinstance(value, bool):
        return "是" if value else "否"
    return "（空）" if value in (None, "") else str(value)


def claim_version(obj, expected: int | None, submitted: dict) -> None:
    """Bump the version in the database iff it is still `expected`; the row stays locked until commit."""
    model = type(obj)
    if expected is None:
        raise ApplicationError("version_required", "请提交所编辑记录的版本号（version）", {"version": ["必填"]})
    if model.objects.filter(pk=obj.pk, version=expected).update(version=F("version") + 1) == 0:
        raise StaleVersionError(obj=model.objects.get(pk=obj.pk), submitted=submitted)
    obj.version = expected + 1


def save_recorded(obj, user, reason: str = "") -> None:
    """Save with the history row naming who and why (simple_history's change reason holds 100 characters)."""
    obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]
    obj.save()
