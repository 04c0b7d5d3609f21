"""List the contribution table's year partitions, or detach an old year: manage.py contribution_partitions
[--detach YEAR]. PostgreSQL only (docs/scaling.md, "Contributions partitioned by year")."""

from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from apps.employers.partitions import partition_detach, partitioned, partitions_list


class Command(BaseCommand):
    help = "列出缴费记录的年度分区，或分离一个旧年度（--detach YEAR）"

    def add_arguments(self, parser):
        parser.add_argument("--detach", type=int, metavar="YEAR", help="分离该年度的分区（保留为独立的表）")

    def handle(self, *args, detach=None, **options):
        if not partitioned():
            raise CommandError("缴费记录表未按年度分区（仅 PostgreSQL 部署分区）。")
        if detach is not None:
            try:
                name = partition_detach(year=detach)
            except ApplicationError as error:
                raise CommandError(error.message) from error
            self.stdout.write(f"已分离 {detach} 年的分区：{name}（仍是独立的表，可归档或删除）")
            return
        for partition in partitions_list():
            self.stdout.write(f"{partition.name}\t{partition.bounds}\t约 {partition.estimated_rows:,} 行")
