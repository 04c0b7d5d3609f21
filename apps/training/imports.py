"""The `training_enrollments` import kind: bulk enrollment rows for the shared import service (apps/imports).

Header: id_number,name,phone,program_code,target_group

Reading, decoding, error collection, the batch record and the error report are the shared service's; this
module keeps the rules: the program must exist inside the user's region, the target group is a code or its
Chinese label, a person already enrolled in the program is refused, and persons are found or created by ID
number through the enrollment service. Registered from TrainingConfig.ready().
"""

from apps.core.scoping import scope_queryset
from apps.imports.spec import CellError, Column, Context, Counts, Issue, Row, RowSpec, id_number, phone, text
from apps.training.models import Enrollment, Program, TargetGroup
from apps.training.services import enrollment_register_by_id_number

TARGET_GROUPS = {**{key: key for key in TargetGroup.values}, **{str(label): key for key, label in TargetGroup.choices}}


def target_group(value: str, ctx: Context) -> str:
    found = TARGET_GROUPS.get(value)
    if found is None:
        raise CellError(f"应为{'、'.join(str(label) for _, label in TargetGroup.choices)}之一（填中文或代码）")
    return found


def _programs(ctx: Context) -> dict[str, Program | None]:
    return ctx.cache.setdefault("programs", {})


def program_code(value: str, ctx: Context) -> str:
    """Checked while parsing, so a row with other problems still gets this one reported too. One query per
    distinct code in the file (a list usually names one or a few programs). The program must be the importing
    user's to see (core.scoping; an import without a user finds none)."""
    programs = _programs(ctx)
    if value not in programs:
        programs[value] = scope_queryset(Program.objects.filter(code=value), ctx.user).first()
    if programs[value] is None:
        raise CellError("不存在或不在您的经办区划内")
    return value


class EnrollmentSpec(RowSpec):
    kind = "training_enrollments"
    written_models = (Enrollment,)
    list_url_name = "training:enrollment-list"
    key_columns = ("id_number", "program_code")
    columns = (
        Column("id_number", "身份证号", id_number, required=True),
        Column("name", "姓名", text(50), required=True),
        Column("phone", "联系电话", phone, empty=""),
        Column("program_code", "培训项目编号", program_code, required=True),
        Column("target_group", "人员类别", target_group, required=True),
    )

    def check_chunk(self, rows: list[Row], ctx: Context) -> list[Issue]:
        """Enrolling twice is refused, not skipped: the caseworker learns the list overlaps an earlier one."""
        enrolled = set(Enrollment.objects.filter(
            program__code__in={row.values["program_code"] for row in rows},
            person__id_number__in={row.values["id_number"] for row in rows},
        ).values_list("person__id_number", "program__code"))
        return [Issue(row.line, "id_number", row.values["id_number"], "该人员已报名此培训项目")
                for row in rows if (row.values["id_number"], row.values["program_code"]) in enrolled]

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        programs = _programs(ctx)
        for row in rows:
            values = row.values
            program = programs[values["program_code"]]
            assert program is not None  # a row naming an unknown program failed to parse and is not written
            enrollment_register_by_id_number(
                id_number=values["id_number"], name=values["name"], phone=values["phone"],
                program=program, target_group=values["target_group"], user=ctx.user)
        return Counts(created=len(rows))
