"""python manage.py refund_run --year Y [--region CODE] [--dry-run] [--override KEY=VALUE …]

Starts a run, waits for the workers to finish it (re-enqueueing chunks lost with a dead worker), prints a
summary and, alone on the last line, the run id. A database connection lost while waiting (a restarted
server, a terminated backend) is reopened: the run lives in the database, the command only watches it.
"""

import contextlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connection

from apps.core.exceptions import ApplicationError
from apps.core.money import format_money
from apps.refunds.models import RefundRun
from apps.refunds.selectors import run_progress, run_summary
from apps.refunds.services import CHUNK_SIZE, chunks_sweep, run_start

BATCH_USERNAME = "refund_batch"
SWEEP_EVERY_SECONDS = 15
RECONNECT_PAUSE_SECONDS = 1.0


def reconnect() -> None:
    """Drop the dead connection; Django opens a new one at the next query."""
    with contextlib.suppress(Exception):
        connection.close()


def batch_user(username: str | None):
    User = get_user_model()
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(f"用户 {username} 不存在") from error
    user, created = User.objects.get_or_create(
        username=BATCH_USERNAME,
        defaults={"role": User.Role.INTEGRATION, "region_id": settings.PORTAL_ROOT_REGION, "last_name": "批处理"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "发起稳岗返还计算批次并等待完成；最后一行输出批次编号"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="返还年度 Y（事实年度为 Y−1）")
        parser.add_argument("--region", default=settings.PORTAL_ROOT_REGION, help="区划代码，默认全省")
        parser.add_argument("--dry-run", action="store_true", help="模拟测算，不形成正式批次")
        parser.add_argument("--override", action="append", default=[], metavar="KEY=VALUE",
                            help="模拟测算时调整参数，如 stable_job_refund.sme_rate=70")
        parser.add_argument("--user", help="发起人用户名（默认批处理账号）")
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
        parser.add_argument("--timeout", type=float, default=3600, help="最长等待秒数")

    def handle(self, *args, **options):
        overrides = {}
        for item in options["override"]:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--override 应写成 KEY=VALUE：{item}")
            overrides[key.strip()] = value.strip()
        user = batch_user(options["user"])
        started = time.monotonic()
        try:
            run = run_start(user=user, year=options["year"], region_code=options["region"],
                            dry_run=options["dry_run"], overrides=overrides or None, chunk_size=options["chunk_size"])
        except ApplicationError as error:
            raise CommandError(f"{error.message}（{error.code}）") from error
        self.stderr.write(f"批次 #{run.pk} 已发起：{run.employers_expected} 家单位，{run.chunks.count()} 个分块")
        last_sweep = time.monotonic()
        while True:
            if time.monotonic() - started > options["timeout"]:
                raise CommandError(f"等待超时，批次 #{run.pk} 仍在计算（可稍后查看）\n{run.pk}")
            try:
                run.refresh_from_db()
                if run.status not in (RefundRun.Status.CREATED, RefundRun.Status.COMPUTING):
                    break
                if time.monotonic() - last_sweep > SWEEP_EVERY_SECONDS:
                    chunks_sweep()
                    last_sweep = time.monotonic()
                progress = run_progress(run=run)
            except (OperationalError, InterfaceError) as error:
                self.stderr.write(f"\n数据库连接中断（{error}），重新连接后继续等待批次 #{run.pk}")
                reconnect()
                time.sleep(RECONNECT_PAUSE_SECONDS)
                continue
            self.stderr.write(f"\r计算中 {progress['employers_done']}/{progress['employers_total']}"
                              f"（{progress['percent']}%）", ending="")
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        self.stderr.write("")
        summary = run_summary(run=run)
        lines = [f"{run}：{run.status_label}，用时 {elapsed:.1f} 秒",
                 f"单位 {summary['employers']} 家：符合 {summary['eligible']} 家，不符合 {summary['ineligible']} 家",
                 f"返还总额 {format_money(summary['amount'])} 元"]
        lines += [f"  {s['label']}：{s['eligible']}/{s['total']} 家符合，{format_money(s['amount'])} 元"
                  for s in summary["by_size"]]
        lines += [f"  不符合原因 {r['label']}（{r['code']}）：{r['count']} 家" for r in summary["by_reason"]]
        if run.status == RefundRun.Status.FAILED:
            lines.append(f"核对失败：{run.failure}")
        self.stdout.write("\n".join(lines))
        self.stdout.write(str(run.pk))
        if run.status == RefundRun.Status.FAILED:
            raise SystemExit(1)
