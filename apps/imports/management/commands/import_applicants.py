from apps.imports.command import ImportCommand


class Command(ImportCommand):
    help = "导入劳动者与申请人文件（CSV/XLSX）：任何一行有错则整个文件不导入，并列出所有错误行；重复导入不会产生重复数据"
    kind = "applicants"
