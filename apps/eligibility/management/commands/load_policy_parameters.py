from pathlib import Path

from django.core.management.base import BaseCommand

from apps.eligibility.parameters import FIXTURE, load_policy_parameters


class Command(BaseCommand):
    help = "从 JSON 文件载入政策参数（按 参数键+区划+生效日期 更新或新增，可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(FIXTURE))

    def handle(self, *args, file: str, **options):
        count = load_policy_parameters(Path(file))
        self.stdout.write(self.style.SUCCESS(f"已载入 {count} 条政策参数"))
