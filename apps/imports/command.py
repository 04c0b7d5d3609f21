"""What the three import_* management commands share: open the file, run the service, print every error."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.imports.models import ImportBatch
from apps.imports.reports import error_report_csv_lines, issues_as_rows
from apps.imports.services import import_file


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV（UTF-8，可带BOM）或 XLSX 文件")
        parser.add_argument("--user", help="以该用户的身份导入（只能导入其经办区划内的记录）；缺省为服务器操作员，不限区划")
        parser.add_argument("--error-report", help="把错误报告另存为此 CSV 文件")

    def handle(self, *args, file: str, user: str | None, error_report: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        account = None
        if user:
            account = User.objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"用户不存在：{user}")
        with path.open("rb") as handle:
            batch = import_file(kind=self.kind, handle=handle, file_name=path.name, user=account, source="command")
        if batch.status == ImportBatch.Status.SUCCEEDED:
            self.stdout.write(self.style.SUCCESS(f"批次 {batch.pk}：{batch.rows_total} 行。{batch.message}"))
            return
        self.stderr.write(f"{'行号':>6}  {'列':<20} {'内容':<24} 原因")
        for line, column, value, message in issues_as_rows(batch):
            self.stderr.write(f"{line!s:>6}  {column:<20} {value[:24]:<24} {message}")
        if error_report:
            with open(error_report, "w", encoding="utf-8", newline="") as out:
                out.writelines(error_report_csv_lines(batch))
            self.stderr.write(f"错误报告已保存：{error_report}")
        raise CommandError(f"批次 {batch.pk}：{batch.message}")
