"""The one import service: CSV/XLSX → validated rows → bulk upsert, all or nothing.

Pass 1 streams the file, parses every cell, checks every chunk against the database and collects *every*
problem (written to ImportIssue in chunks, so memory stays bounded however many rows are bad). Duplicate
natural keys inside the file are found with a set of 8-byte key digests — keys only, never rows.
Pass 2 runs only when pass 1 found nothing: it streams the file again and writes in chunks through the
owning app's bulk service, inside one transaction, so a failure half-way leaves nothing behind.
"""

import hashlib
import logging
import uuid

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from apps.core.db import analyze_tables
from apps.core.exceptions import ApplicationError
from apps.core.models import Region
from apps.core.scoping import user_scope_prefix
from apps.imports import bulk
from apps.imports.limits import ImportLimits, check_content
from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.readers import FileProblem, is_zip, iter_rows
from apps.imports.spec import (
    DUPLICATE_MESSAGE,
    MAX_VALUE_CHARS,
    CellError,
    Context,
    Counts,
    Issue,
    Row,
    RowSpec,
    cell_message,
    empty_message,
    extra_cells_issue,
)
from apps.imports.specs import SPECS

logger = logging.getLogger(__name__)

# Rows parsed before one round of database checks, and rows per bulk write. 2,000 rows of a few short
# fields is well under a megabyte in memory and keeps each INSERT … ON CONFLICT statement modest.
CHUNK_ROWS = 2000
# Problems are flushed to the database in groups of this many.
ISSUE_FLUSH = 1000
CRASH_MESSAGE = "导入过程中发生内部错误，整个文件未导入。请稍后重试；如仍失败，请把批次号告知系统管理员。"


# The server operator (a management command run without --user) imports for every region.
OPERATOR_SCOPE = ""


def spec_for(kind: str) -> RowSpec:
    """The RowSpec the owning app registered for `kind` (apps.imports.specs.register, in its AppConfig)."""
    try:
        return SPECS[kind]
    except KeyError as error:
        raise ApplicationError("unknown_import_kind", f"未知的导入类型：{kind}") from error


def file_sha256(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


def _size(handle) -> int:
    """The bytes really there (not what a header claimed); the handle is left at 0."""
    size = handle.seek(0, 2)
    handle.seek(0)
    return size


def _key_digest(key: tuple) -> int:
    """8 bytes per key instead of the key itself: a million keys (with their first line) fit in ~100 MB. Two different keys
    share a digest with probability ~n²/2⁶⁵ (≈3·10⁻⁸ for a million rows)."""
    raw = "\x1f".join(str(part) for part in key).encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big")


class _IssueSink:
    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.pending: list[ImportIssue] = []
        self.count = 0

    def add(self, issue: Issue) -> None:
        self.count += 1
        self.pending.append(ImportIssue(batch=self.batch, line=issue.line, column=issue.column,
                                        value=issue.value[:MAX_VALUE_CHARS], message=issue.message[:300]))
        if len(self.pending) >= ISSUE_FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            ImportIssue.objects.bulk_create(self.pending)
            self.pending = []


def _header_map(spec: RowSpec, header: list[str]) -> tuple[dict[str, int], list[Issue]]:
    """Where each column is. A header cell may be the column's code (`id_number`, any case) or its Chinese
    label (身份证号), as the downloadable template writes it."""
    by_label = {column.label: column.name for column in spec.columns}
    names = [by_label.get(cell.strip(), cell.strip().lower()) for cell in header]
    expected = [column.name for column in spec.columns]
    issues = []
    missing = [name for name in expected if name not in names]
    unknown = [cell.strip() for cell, name in zip(header, names, strict=True) if name and name not in expected]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if missing:
        issues.append(Issue(1, "", ",".join(header), f"表头缺少列：{', '.join(_labelled(spec, missing))}"))
    if unknown:
        issues.append(Issue(1, "", ",".join(header), f"表头有未知的列：{', '.join(unknown)}"))
    if repeated:
        issues.append(Issue(1, "", ",".join(header), f"表头有重复的列：{', '.join(_labelled(spec, repeated))}"))
    if issues:
        issues.append(Issue(1, "", "", f"正确的表头为：{','.join(expected)}（或中文：{','.join(by_label)}）"))
    return {name: names.index(name) for name in expected if name in names}, issues


def _labelled(spec: RowSpec, names: list[str]) -> list[str]:
    labels = {column.name: column.label for column in spec.columns}
    return [f"{labels[name]}（{name}）" for name in names]


def _parse_row(spec: RowSpec, positions: dict[str, int], line: int, cells: list[str], ctx: Context,
               width: int) -> tuple[Row, list[Issue]]:
    extra = extra_cells_issue(line, cells, width)
    issues = [extra] if extra else []
    values = {}
    for column in spec.columns:
        index = positions[column.name]
        raw = cells[index] if index < len(cells) else ""
        if raw == "":
            if column.required:
                issues.append(Issue(line, column.name, "", empty_message(column)))
            values[column.name] = column.empty
            continue
        try:
            values[column.name] = column.parse(raw, ctx)
        except CellError as error:
            issues.append(Issue(line, column.name, raw, cell_message(column, error.message)))
    return Row(line, values, valid=not issues), issues


def _open(spec: RowSpec, handle, limits: ImportLimits | None):
    """The file's data rows (an iterator of (line, cells) past the header), where each column is, the header's
    width and the header's problems. Raises FileProblem for a file that cannot be read at all."""
    if limits is not None and is_zip(handle):
        problem = limits.expanded_problem(handle)
        if problem:
            raise FileProblem(problem)
    rows = iter_rows(handle, fallback_encoding=spec.fallback_encoding)
    try:
        _, header = next(rows)
    except StopIteration as error:
        raise FileProblem("文件为空。") from error
    positions, header_issues = _header_map(spec, header)
    return rows, positions, len(header), header_issues


def _rows(spec: RowSpec, handle, ctx: Context, sink: _IssueSink | None, limits: ImportLimits | None = None):
    """Yield chunks of parsed rows; problems go to `sink` (pass 1) or raise (pass 2, where none can occur).
    Data rows are counted in ctx.cache["rows_read"] (pass 1) or ["rows_written"] (pass 2); with `limits`, an
    XLSX that uncompresses to too much is refused unread and reading stops past the row limit."""
    counter = "rows_read" if sink is not None else "rows_written"
    rows, positions, width, header_issues = _open(spec, handle, limits)
    if header_issues:
        if sink is None:  # pass 2 reads the header pass 1 accepted
            raise ApplicationError("file_changed", "文件在两次读取之间发生了变化，请重新上传。")
        for issue in header_issues:
            sink.add(issue)
        return
    chunk: list[Row] = []
    for line, cells in rows:
        if not any(cells):
            continue  # blank lines (and spreadsheet rows that only carry formatting)
        ctx.cache[counter] = ctx.cache.get(counter, 0) + 1
        if limits is not None and ctx.cache[counter] > limits.max_rows:
            raise FileProblem(limits.rows_problem())
        row, issues = _parse_row(spec, positions, line, cells, ctx, width)
        if issues:
            if sink is None:
                raise ApplicationError("file_changed", "文件在两次读取之间发生了变化，请重新上传。")
            for issue in issues:
                sink.add(issue)
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _validate(spec: RowSpec, handle, ctx: Context, sink: _IssueSink, limits: ImportLimits | None) -> int:
    first_line: dict[int, int] = {}  # key digest → the line it first appeared on, for the message
    for chunk in _rows(spec, handle, ctx, sink, limits):
        unique_rows = []
        for row in chunk:
            if any(name not in row.values for name in spec.key_columns):
                continue  # the key itself is bad: already reported
            digest = _key_digest(spec.key(row.values))
            if digest in first_line:
                shown = " / ".join(str(row.values[name]) for name in spec.key_columns)
                sink.add(Issue(row.line, spec.key_columns[0], shown,
                               DUPLICATE_MESSAGE.format(first_line=first_line[digest],
                                                        keys="+".join(spec.key_columns), shown=shown)))
            else:
                first_line[digest] = row.line
                if row.valid:
                    unique_rows.append(row)
        for issue in spec.check_chunk(unique_rows, ctx):
            sink.add(issue)
        _report(ctx.batch, checked=ctx.cache.get("rows_read", 0))
    return ctx.cache.get("rows_read", 0)


def import_file(*, kind: str, handle, file_name: str, user=None, source: str = "ui",
                limits: ImportLimits | None = None) -> ImportBatch:
    """Validate the whole file; when it is clean, write it. Returns the batch with counts and status.

    `handle` is a binary file object that can seek (an upload, an open file). `user` None means a trusted
    operator on the server (management command without --user): no region restriction. `limits` default to
    the settings (IMPORT_MAX_*) for every source but "command" (the operator's bulk loads).

    The batch never stays "running": a file problem rejects it, a refused write fails it, and any other
    exception marks it failed before it propagates (the request still answers 500 for a real bug).
    """
    spec = spec_for(kind)
    scope = OPERATOR_SCOPE if user is None else user_scope_prefix(user)
    if scope is None:
        raise ApplicationError("permission_denied", "您没有经办区划，不能导入数据。")
    if limits is None and source != "command":
        limits = ImportLimits.from_settings()
    if limits is not None:
        limits.check_size(_size(handle))
    batch = ImportBatch.objects.create(kind=kind, file_name=file_name[:255], sha256=file_sha256(handle),
                                       source=source, created_by=user, scope_prefix=scope)
    try:
        return _run(spec, batch, handle, user=user, scope=scope, limits=limits)
    except Exception:
        logger.exception("import %s %s crashed", batch.pk, kind)
        ImportIssue.objects.create(batch=batch, line=0, message=CRASH_MESSAGE)
        _finish(batch, ImportBatch.Status.FAILED, errors=1, message=CRASH_MESSAGE)
        raise



def _run(spec: RowSpec, batch: ImportBatch, handle, *, user, scope: str,
         limits: ImportLimits | None) -> ImportBatch:
    ctx = Context(user=user, scope_prefix=scope, batch=batch,
                  regions=set(Region.objects.values_list("code", flat=True)))
    if spec.bulk_sql is not None and connection.vendor == "postgresql":
        return _run_bulk(spec, batch, handle, ctx, limits)
    sink = _IssueSink(batch)
    message = ""
    try:
        batch.rows_total = _validate(spec, handle, ctx, sink, limits)
    except FileProblem as problem:
        sink.add(Issue(problem.line, "", "", problem.message))
        message = _problem_message(problem, sink.count)
    sink.flush()
    if sink.count or batch.rows_total == 0:
        return _reject(batch, sink.count, message)

    handle.seek(0)
    counts = Counts()
    try:
        with transaction.atomic():
            for chunk in _rows(spec, handle, ctx, None):
                counts.add(spec.write_chunk(chunk, ctx))
                # The batch row is written inside this transaction (invisible until the commit): the
                # progress bar reads the cache, shared by the web and the worker processes.
                _report(batch, checked=batch.rows_total, written=ctx.cache.get("rows_written", 0))
            # Cross-check: the write pass must have seen exactly the rows the check pass accepted.
            written = ctx.cache.get("rows_written", 0)
            if written != batch.rows_total:
                raise ApplicationError("file_changed", f"两次读取文件的行数不一致（校验 {batch.rows_total} 行，"
                                       f"写入 {written} 行），整个文件未导入，请重新上传。")
    except ApplicationError as error:
        ImportIssue.objects.create(batch=batch, line=0, message=error.message[:300])
        return _finish(batch, ImportBatch.Status.FAILED, errors=1, message=error.message)
    return _succeed(spec, batch, counts)


def _problem_message(problem: FileProblem, count: int) -> str:
    """The file as a whole could not be read: say why in the summary (`count` problems in all)."""
    return problem.message + (f"（另有 {count - 1} 处错误，见错误报告。）" if count > 1 else "")


def _reject(batch: ImportBatch, count: int, message: str) -> ImportBatch:
    """`count` problems were written (`message` says why when the file as a whole failed); none: no data rows."""
    if not count:
        ImportIssue.objects.create(batch=batch, line=0, message="文件中没有数据行。")
        return _finish(batch, ImportBatch.Status.REJECTED, errors=1, message="文件中没有数据行。")
    message = message or f"发现 {count} 处错误，整个文件未导入。请修改后重新上传。"
    return _finish(batch, ImportBatch.Status.REJECTED, errors=count, message=message)


def _run_bulk(spec: RowSpec, batch: ImportBatch, handle, ctx: Context, limits: ImportLimits | None) -> ImportBatch:
    """The PostgreSQL path (apps.imports.bulk): the same issues, counts and rows as pass 1 and pass 2, from one
    read of the file into a staging table, set-based checks and one INSERT … ON CONFLICT, in one transaction."""
    assert spec.bulk_sql is not None
    try:
        rows, positions, width, header_issues = _open(spec, handle, limits)
    except FileProblem as problem:
        ImportIssue.objects.create(batch=batch, line=problem.line, message=problem.message[:300])
        return _reject(batch, 1, _problem_message(problem, 1))
    if header_issues:
        sink = _IssueSink(batch)
        for issue in header_issues:
            sink.add(issue)
        sink.flush()
        return _reject(batch, sink.count, "")
    counts = None
    try:
        with transaction.atomic():
            staged = bulk.stage(spec, rows, positions, width, max_rows=limits.max_rows if limits else None,
                                rows_problem=limits.rows_problem() if limits else "",
                                progress=lambda count: _report(batch, checked=count),
                                fast=_fast_csv(spec, handle))
            count = bulk.check(spec, ctx, staged, CHUNK_ROWS)
            if staged.problem is not None:
                count += 1
                ImportIssue.objects.create(batch=batch, line=staged.problem.line, value="",
                                           message=staged.problem.message[:300])
            else:
                batch.rows_total = staged.rows
            if not count and staged.rows:
                counts = spec.bulk_sql.write(ctx)
            bulk.drop(spec)
    except ApplicationError as error:
        ImportIssue.objects.create(batch=batch, line=0, message=error.message[:300])
        return _finish(batch, ImportBatch.Status.FAILED, errors=1, message=error.message)
    if counts is None:
        return _reject(batch, count, _problem_message(staged.problem, count) if staged.problem else "")
    return _succeed(spec, batch, counts)


def _fast_csv(spec: RowSpec, handle) -> bulk.FastCsv | None:
    """A CSV whose header is its first line (no quote in it) may take the block path of bulk.stage."""
    if is_zip(handle):
        return None
    position = handle.tell()
    handle.seek(0)
    header = handle.readline()
    handle.seek(position)
    if b'"' in header or not header.endswith(b"\n"):
        return None

    def reread():
        handle.seek(0)
        rows = iter_rows(handle, fallback_encoding=spec.fallback_encoding)
        next(rows)  # the header, read and checked before
        return rows

    return bulk.FastCsv(handle, len(header), reread)


def _succeed(spec: RowSpec, batch: ImportBatch, counts: Counts) -> ImportBatch:
    batch.rows_created, batch.rows_updated, batch.rows_unchanged = counts.created, counts.updated, counts.unchanged
    if counts.created or counts.updated:  # nothing written (an unchanged re-import): the statistics stand
        analyze_tables(*spec.written_models)  # after the commit: the imported rows are listed next
    return _finish(batch, ImportBatch.Status.SUCCEEDED, errors=0,
                   message=f"导入成功：新增 {counts.created} 条，更新 {counts.updated} 条，未变化 {counts.unchanged} 条。")


def _finish(batch: ImportBatch, status: str, *, errors: int, message: str) -> ImportBatch:
    batch.status, batch.error_count, batch.message = status, errors, message[:500]
    batch.finished_at = timezone.now()
    batch.save()
    logger.info("import %s %s: %s", batch.pk, batch.kind, message)
    return batch


# --- Large uploads from the page: stored, then imported by a background task (apps.imports.tasks) ---------

RUN_TASK = "apps.imports.tasks.import_stored_file"
PROGRESS_KEY = "imports:progress:{}"
PROGRESS_TTL = 24 * 3600


def _report(batch: ImportBatch | None, *, checked: int, written: int = 0) -> None:
    if batch is not None and batch.pk:
        cache.set(PROGRESS_KEY.format(batch.pk), {"checked": checked, "written": written}, PROGRESS_TTL)


def import_progress(*, batch: ImportBatch) -> dict:
    """What the progress bar shows: rows checked (pass 1: the total is not known yet, `percent` is None and the
    bar is drawn striped), then rows written of rows_total (pass 2), 100 when finished."""
    seen = cache.get(PROGRESS_KEY.format(batch.pk)) or {}
    done = batch.status not in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    checked, written = int(seen.get("checked", 0)), int(seen.get("written", 0))
    total = batch.rows_total or checked
    percent: int | None = None
    if done:
        percent = 100
    elif written and total:
        percent = min(99, written * 100 // total)
    return {"status": batch.status, "status_label": batch.get_status_display(), "done": done,
            "rows_checked": checked if not done else batch.rows_total, "rows_written": written,
            "rows_total": batch.rows_total, "percent": percent, "error_count": batch.error_count}


def wants_background(size: int) -> bool:
    return size > settings.IMPORT_BACKGROUND_BYTES


def import_enqueue(*, kind: str, handle, file_name: str, user) -> ImportBatch:
    """Check the upload (its real size and bytes), keep it in the storage (Django's storage API: a shared
    volume or an object store in production) and queue its import; the batch page shows the progress.
    The import itself is the same service as ever: every bad row reported, all or nothing."""
    spec_for(kind)
    scope = user_scope_prefix(user)
    if scope is None:
        raise ApplicationError("permission_denied", "您没有经办区划，不能导入数据。")
    ImportLimits.from_settings(background=True).check_size(_size(handle))
    check_content(handle, file_name)
    suffix = ".xlsx" if file_name.lower().endswith(".xlsx") else ".csv"
    with transaction.atomic():
        stored = default_storage.save(f"imports/pending/{uuid.uuid4().hex}{suffix}", File(handle))
        batch = ImportBatch.objects.create(kind=kind, status=ImportBatch.Status.QUEUED, file_name=file_name[:255],
                                           sha256=file_sha256(handle), source="ui", created_by=user,
                                           scope_prefix=scope, stored_file=stored)
        _report(batch, checked=0)
        batch_id = batch.pk
        # After the commit, by name (services never import tasks): eager without a broker, else a worker.
        transaction.on_commit(lambda: current_app.signature(RUN_TASK, args=[batch_id]).apply_async())
    logger.info("import %s %s queued", batch.pk, kind, extra={"batch_id": batch.pk, "bytes": _size(handle)})
    return batch


def import_stored_file(*, batch_id: int) -> ImportBatch | None:
    """The background half: claim the queued batch (a redelivered task finds it taken and does nothing), import
    its stored file under the background limits, delete the file. The same pass 1 / pass 2 as `import_file`."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.RUNNING)
    if not claimed:
        return None
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    user = batch.created_by
    spec = spec_for(batch.kind)
    try:
        with default_storage.open(batch.stored_file, "rb") as handle:
            return _run(spec, batch, handle, user=user, scope=batch.scope_prefix,
                        limits=ImportLimits.from_settings(background=True))
    except Exception:
        logger.exception("import %s %s crashed", batch.pk, batch.kind)
        ImportIssue.objects.create(batch=batch, line=0, message=CRASH_MESSAGE)
        _finish(batch, ImportBatch.Status.FAILED, errors=1, message=CRASH_MESSAGE)
        raise
    finally:
        if batch.stored_file:
            default_storage.delete(batch.stored_file)
            ImportBatch.objects.filter(pk=batch.pk).update(stored_file="")
