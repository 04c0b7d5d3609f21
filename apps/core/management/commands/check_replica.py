"""`manage.py check_replica`: is the read replica (DATABASE_REPLICA_URL) set up as the portal expects?

Checks, printing each: the replica answers and is a standby (`pg_is_in_recovery()`); a list read inside
`replica_reads()` runs there; a write inside it runs on the primary and never on the replica; the replica's
replay lag. Exit status 1 with the reason when a check fails (for a deployment's smoke test).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from apps.core.db_router import REPLICA, replica_configured, replica_reads
from apps.core.models import Region

WRITES = ("INSERT", "UPDATE", "DELETE")


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "检查只读副本（DATABASE_REPLICA_URL）：是否为备库、列表读取是否走副本、写入是否只走主库、复制延迟。"

    def handle(self, *args, **options):
        if not replica_configured():
            raise CommandError("未配置 DATABASE_REPLICA_URL：全部读写都在主库上。")
        replica = connections[REPLICA]
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), now() - pg_last_xact_replay_timestamp()")
            standby, lag = cursor.fetchone()
        if not standby:
            raise CommandError("DATABASE_REPLICA_URL 指向的不是只读备库（pg_is_in_recovery() 为假）。")
        self.stdout.write(f"副本为只读备库，复制延迟：{lag}")

        with CaptureQueriesContext(replica) as on_replica, replica_reads():
            regions = Region.objects.count()
        if len(on_replica.captured_queries) != 1:
            raise CommandError("列表读取没有走副本。")
        self.stdout.write(f"列表读取走副本：区划 {regions} 条")

        with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(
                connections[DEFAULT_DB_ALIAS]) as on_primary, replica_reads():
            try:
                with transaction.atomic():
                    Region.objects.filter(pk="__none__").update(name="")  # a write that matches nothing, rolled back
                    Region.objects.count()  # a read in a write's transaction: the primary
                    raise Rollback
            except Rollback:
                pass
        replica_writes = [q for q in on_replica.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
        if replica_writes or on_replica.captured_queries:
            raise CommandError("事务中的读写到了副本上。")
        if not any(q["sql"].lstrip().upper().startswith(WRITES) for q in on_primary.captured_queries):
            raise CommandError("写入没有在主库上执行。")
        self.stdout.write(self.style.SUCCESS("写入和事务内的读取只走主库。副本检查通过。"))
