"""python manage.py refund_export RUN_ID --out FILE [--format csv|xlsx]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.refunds.exports import FORMATS, write_csv, write_xlsx
from apps.refunds.models import RefundRun
from apps.refunds.services import run_export_record

from .refund_run import batch_user


class Command(BaseCommand):
    help = "导出稳岗返还批次结果（审核通过后即为发放清单）"

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int)
        parser.add_argument("--out", required=True)
        parser.add_argument("--format", choices=FORMATS, default=None, help="默认按文件扩展名，否则 csv")
        parser.add_argument("--user", help="导出人用户名（记入访问日志；默认批处理账号）")

    def handle(self, *args, **options):
        run = RefundRun.objects.filter(pk=options["run_id"]).first()
        if run is None:
            raise CommandError(f"批次 {options['run_id']} 不存在")
        if run.status in (RefundRun.Status.CREATED, RefundRun.Status.COMPUTING):
            raise CommandError(f"批次 {run.pk} 尚未计算完成")
        out = Path(options["out"])
        fmt = options["format"] or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
        if fmt == "xlsx":
            rows = write_xlsx(run, out)
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                rows = write_csv(run, handle)
        run_export_record(run=run, user=batch_user(options["user"]), rows=rows, fmt=fmt)
        self.stdout.write(f"已导出 {rows} 行到 {out}")
