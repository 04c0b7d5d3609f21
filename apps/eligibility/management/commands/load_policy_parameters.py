from pathlib import Path

from django.core.management.base import BaseCommand

from apps.eligibility.parameter_fixtures import FIXTURE_DIR, load_policy_parameters


class Command(BaseCommand):
    help = ("载入政策参数（默认 fixtures/policy_parameters/ 下全部文件）：只新增缺少的版本（参数键+区划+生效日期），"
            "已有版本（可能经管理员修改）保持不变，可重复执行")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(FIXTURE_DIR), help="目录（其中全部 .json）或单个文件")

    def handle(self, *args, path: str, **options):
        added = load_policy_parameters(Path(path))
        self.stdout.write(self.style.SUCCESS(f"新增 {added} 个政策参数版本（已有版本未改动）"))
