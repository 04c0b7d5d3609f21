"""Delete access-log and change-history rows older than AUDIT_RETENTION_DAYS (at least 180 days)."""

from django.core.management.base import BaseCommand

from apps.core.retention import audit_purge, retention_days


class Command(BaseCommand):
    help = "删除超过保存期限（AUDIT_RETENTION_DAYS，不少于180天）的访问日志和变更记录"

    def handle(self, *args, **options):
        deleted = audit_purge()
        total = sum(deleted.values())
        self.stdout.write(f"保存期限 {retention_days()} 天：删除 {total} 条审计记录")
        for table, count in sorted(deleted.items()):
            if count:
                self.stdout.write(f"  {table}: {count}")
