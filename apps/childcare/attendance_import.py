"""The `attendance` import kind: monthly attendance rows for the shared import service (apps/imports).

Header: id_number,institution_uscc,month,days_present   (month as YYYY-MM)

Reading, decoding, error collection, the batch record and the error report are the shared service's; this
module keeps the rules: the child must be in the person registry and enrolled at an institution inside
the user's region that month, days within the month, and no change to a year whose subsidy claim has been
submitted or approved. Registered from ChildcareConfig.ready().
"""

import re
from datetime import date

from apps.applicants.models import Person
from apps.childcare.child_months import month_bounds
from apps.childcare.models import Attendance, Enrollment, Institution
from apps.childcare.selectors import frozen_claim_years
from apps.childcare.services.attendance import attendance_problem, attendance_upsert_many
from apps.core.exceptions import ApplicationError
from apps.core.scoping import scope_queryset
from apps.imports.spec import CellError, Column, Context, Counts, Issue, Row, RowSpec, id_number, uscc

# A spreadsheet date cell arrives as YYYY-MM-DD: any day of the month names that month.
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def month(value: str, ctx: Context) -> date:
    match = MONTH_PATTERN.fullmatch(value)
    if match:
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        except ValueError:
            pass
        else:
            return day.replace(day=1)
    raise CellError("格式应为 YYYY-MM，例如 2025-03")


def days_present(value: str, ctx: Context) -> int:
    """0–31 here; the month's own length is checked with the enrollment (attendance_problem)."""
    if not re.fullmatch(r"\d{1,2}", value):
        raise CellError("应为0到31的整数")
    return int(value)


class AttendanceSpec(RowSpec):
    kind = "attendance"
    written_models = (Attendance,)
    list_url_name = "childcare:enrollment-list"
    # Month first: a repeated row is "this month again" for the same child and institution.
    key_columns = ("month", "id_number", "institution_uscc")
    fallback_encoding = "gb18030"  # Excel on Chinese Windows saves CSV as GBK; these files come from there
    columns = (
        Column("id_number", "身份证号", id_number, required=True),
        Column("institution_uscc", "托育机构统一社会信用代码", uscc, required=True),
        Column("month", "月份", month, required=True),
        Column("days_present", "出勤天数", days_present, required=True),
    )

    def _resolve(self, rows: list[Row], ctx: Context) -> tuple[list[tuple[Row, Enrollment]], list[Issue]]:
        """Each row's enrollment, or the reason it has none. Four queries per chunk. Institutions outside the
        user's region are reported exactly like unknown ones."""
        people = dict(Person.objects.filter(id_number__in={row.values["id_number"] for row in rows})
                      .values_list("id_number", "id"))
        # Scoped by the importing user through core.scoping: no user or no region sees no institution.
        institutions = {i.uscc: i for i in scope_queryset(Institution.objects.filter(
            uscc__in={row.values["institution_uscc"] for row in rows}), ctx.user)}
        enrollments: dict[tuple, list[Enrollment]] = {}
        for enrollment in Enrollment.objects.filter(child_id__in=people.values(),
                                                  institution_id__in=[i.pk for i in institutions.values()]):
            enrollments.setdefault((enrollment.child_id, enrollment.institution_id), []).append(enrollment)
        frozen = frozen_claim_years(i.pk for i in institutions.values())

        good: list[tuple[Row, Enrollment]] = []
        issues: list[Issue] = []
        for row in rows:
            number, code, first, days = (row.values[name] for name in
                                         ("id_number", "institution_uscc", "month", "days_present"))
            child_id, institution = people.get(number), institutions.get(code)
            if child_id is None:
                issues.append(Issue(row.line, "id_number", number, "人员库中无此身份证号"))
            if institution is None:
                issues.append(Issue(row.line, "institution_uscc", code, "托育机构不存在或不在您的经办区划"))
            if child_id is None or institution is None:
                continue
            at_institution = enrollments.get((child_id, institution.pk), [])
            candidates = [e for e in at_institution if e.covers(*month_bounds(first.year, first.month))]
            if not (candidates or at_institution):
                issues.append(Issue(row.line, "id_number", number, f"该婴幼儿没有在{institution.name}的入托记录"))
                continue
            enrollment = max(candidates or at_institution, key=lambda e: e.start_date)
            problem = attendance_problem(enrollment=enrollment, month=first, days_present=days,
                                         frozen_years=frozen.get(institution.pk, set()))
            if problem:
                column, shown = ("days_present", str(days)) if "天数" in problem else ("month", f"{first:%Y-%m}")
                issues.append(Issue(row.line, column, shown, problem))
                continue
            good.append((row, enrollment))
        return good, issues

    def check_chunk(self, rows: list[Row], ctx: Context) -> list[Issue]:
        return self._resolve(rows, ctx)[1]

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        good, issues = self._resolve(rows, ctx)
        if issues:  # an enrollment or claim changed since pass 1
            raise ApplicationError("import_stale", f"第{issues[0].line}行：{issues[0].message}（数据在校验后发生了变化，"
                                                   "请重新上传）")
        return Counts(*attendance_upsert_many(
            rows=[(enrollment, row.values["month"], row.values["days_present"]) for row, enrollment in good]))
