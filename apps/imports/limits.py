"""How big an uploaded import may be: bytes received, bytes once an XLSX is uncompressed, data rows.

The web faces (UI page, API, the childcare attendance upload) import under `ImportLimits.from_settings()`;
the operator's management commands import without limits (bulk loads of millions of rows). Every check
runs before the file is parsed, so a zip bomb or an oversized upload costs no more than its directory.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings

from apps.core.exceptions import ApplicationError

MB = 1024 * 1024
# Room for the multipart envelope and the other form fields around the file itself.
ENVELOPE_BYTES = 64 * 1024


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class ImportLimits:
    max_upload_bytes: int
    max_expanded_bytes: int
    max_rows: int

    @classmethod
    def from_settings(cls) -> "ImportLimits":
        return cls(settings.IMPORT_MAX_UPLOAD_BYTES, settings.IMPORT_MAX_EXPANDED_BYTES, settings.IMPORT_MAX_ROWS)

    def too_large(self) -> ApplicationError:
        return ApplicationError("file_too_large", f"文件超过 {_mb(self.max_upload_bytes)} MB 的上传上限，"
                                "请拆分后分批上传，或请管理员用命令行导入。", {"file": ["文件过大"]})

    def check_declared_length(self, meta) -> None:
        """Refuse a request whose Content-Length already says it is too big, before its body is read. A body
        that claims less than it sends is cut at the claim by the server; `check_size` sees the real bytes."""
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > self.max_upload_bytes + ENVELOPE_BYTES:
            raise self.too_large()

    def check_size(self, size: int) -> None:
        """The bytes actually received (an upload's size is counted as it arrives, not taken from a header)."""
        if size > self.max_upload_bytes:
            raise self.too_large()

    def expanded_problem(self, handle) -> str | None:
        """For a zip (XLSX): the message when its members uncompress to more than allowed, else None. The sizes
        come from the zip directory; zipfile never inflates a member past the size recorded there."""
        try:
            with zipfile.ZipFile(handle) as archive:
                expanded = sum(item.file_size for item in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None  # not a readable zip: the reader says so in its own words
        finally:
            handle.seek(0)
        if expanded > self.max_expanded_bytes:
            return (f"文件解压后约 {_mb(expanded)} MB，超过 {_mb(self.max_expanded_bytes)} MB 的上限"
                    "（行数过多或文件异常），未读取。请拆分后分批上传，或请管理员用命令行导入。")
        return None

    def rows_problem(self) -> str:
        return (f"文件超过 {self.max_rows} 行的上限，已停止读取、整个文件未导入。"
                "请拆分后分批上传，或请管理员用命令行导入。")
