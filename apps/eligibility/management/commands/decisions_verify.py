"""python manage.py decisions_verify [--since DATE] [--kind KIND ...]

Recomputes every stored decision (determinations, refund result rows, childcare and training claims) from
its stored inputs and parameter versions, in id-range chunks — by Celery workers when a broker is set,
in this process otherwise — prints one line per mismatch and a summary, and exits 1 on any mismatch.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from apps.eligibility.models import VerificationRun
from apps.eligibility.verification import VERIFIERS, kind_label, verification_run_here, verification_start


class Command(BaseCommand):
    help = "重算并核验所有已存储的决定（测算决定、稳岗返还结果、托育与培训补贴申报）"

    def add_arguments(self, parser):
        parser.add_argument("--since", type=date.fromisoformat, help="只核验该日期（含）以来的决定，YYYY-MM-DD")
        parser.add_argument("--kind", action="append", dest="kinds", metavar="KIND",
                            help=f"只核验该类别（可重复）：{'|'.join(sorted(VERIFIERS))}")
        parser.add_argument("--timeout", type=int, default=3600, help="等待工作进程完成的秒数（有消息队列时）")
        parser.add_argument("--in-process", action="store_true", help="不交给工作进程，在本进程内逐块核验")

    def handle(self, *args, since=None, kinds=None, timeout=3600, in_process=False, **options):
        started = time.monotonic()
        with_workers = not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) and not in_process
        try:
            run = verification_start(kinds=kinds, since=since, enqueue=with_workers)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if with_workers:
            self.stderr.write(f"核验 #{run.pk}：{run.chunks_total} 个分块已交给工作进程，等待完成…")
        else:
            run = verification_run_here(run)
        while run.status == VerificationRun.Status.RUNNING:
            if time.monotonic() - started > timeout:
                raise CommandError(f"核验 #{run.pk} 在 {timeout} 秒内未完成（工作进程是否在运行？）")
            time.sleep(0.5)
            run.refresh_from_db()
        for mismatch in run.mismatch_rows.order_by("kind", "id"):
            self.stdout.write(f"MISMATCH {mismatch.kind} {mismatch.record}: {mismatch.message}")
        shown = run.mismatch_rows.count()
        if shown < run.mismatches:
            self.stdout.write(f"（另有 {run.mismatches - shown} 项不一致未逐条列出，见管理后台“决定核验” #{run.pk}）")
        seconds = time.monotonic() - started
        parts = "，".join(f"{kind_label(kind)} {figures['checked']} 项/不一致 {figures['mismatches']}"
                         + (f"/无法核验 {figures['unverifiable']}" if figures["unverifiable"] else "")
                         for kind, figures in run.by_kind.items())
        self.stdout.write(f"核验 #{run.pk}：共 {run.checked} 项，不一致 {run.mismatches} 项，"
                          f"无法核验 {run.unverifiable} 项，用时 {seconds:.1f} 秒（{parts}）")
        if run.mismatches:
            sys.exit(1)
