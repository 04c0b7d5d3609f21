"""The refund run as a notice source (registered in RefundsConfig.ready()): the 告知书 of each eligible unit.

Everything the notice says comes from the stored result, the run's own parameter versions (the numbers of
the policy and, for the basis, the title and 文号 of the documents those versions cite) and the permitted
uses of the money (parameter `refund_notice.fund_uses`, with its source). The notice is a draft until the
run is approved; the objection deadline is the run's `publicity_ends_on` (待定 until the 公示 sets it).
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.urls import reverse

from apps.core.validators import mask_id_number
from apps.documents.sources import NoticeContent, NoticeRecord, NoticeSource
from apps.eligibility.calculators.base import MissingParameter, ParameterSnapshot
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import VersionsUnavailable, parameter_snapshot
from apps.employers.models import Employer
from apps.refunds.explain import result_explain
from apps.refunds.models import RUN_SLUG, SIZE_LABELS, RefundResult, RefundRun
from apps.refunds.snapshots import OVERRIDE_PREFIX, build_snapshot, snapshot_date

SOURCE_KEY = "refunds.run"
FINAL = (RefundRun.Status.APPROVED, RefundRun.Status.EXPORTED, RefundRun.Status.ISSUED, RefundRun.Status.RECONCILED,
         RefundRun.Status.NOTIFIED)
TITLE = "失业保险稳岗返还告知书"
FUND_USES = "refund_notice.fund_uses"
PENDING = "待定"


def is_draft(run: RefundRun) -> bool:
    return not (run.is_official and run.status in FINAL)


def draft_reason(run: RefundRun) -> str:
    if not run.is_official:
        return "模拟测算批次，不作为发放依据"
    return "" if run.status in FINAL else f"批次当前状态为“{run.status_label}”，审核通过前告知书为草稿"


def run_record(run_id: int) -> NoticeRecord | None:
    run = RefundRun.objects.select_related("region").filter(pk=run_id).first()
    if run is None:
        return None
    return NoticeRecord(label=str(run), region_code=run.region_id, url=reverse("refunds:detail", args=[run.pk]),
                        is_draft=is_draft(run), draft_reason=draft_reason(run))


def _payable(run_id: int):
    return RefundResult.objects.filter(run_id=run_id, eligible=True, amount__gt=0)


def run_row_keys(run_id: int) -> list[str]:
    return [str(pk) for pk in _payable(run_id).order_by("employer_id").values_list("employer_id", flat=True)]


def citation(row: PolicyParameter) -> str:
    """A basis line: the document by its title and 文号 (and issuer), never the archive file."""
    return row.citation


def _basis_rows(run: RefundRun) -> dict[int, PolicyParameter]:
    ids = [int(str(v).removeprefix(OVERRIDE_PREFIX)) for v in run.parameter_versions.values()]
    return {row.pk: row for row in PolicyParameter.objects.filter(pk__in=ids)}


def _fund_uses(run: RefundRun) -> tuple[tuple[str, ...], PolicyParameter | None]:
    snapshot = parameter_snapshot(as_of=snapshot_date(run.year), region_code=run.region_id)
    try:
        value = snapshot.get(FUND_USES)
    except MissingParameter:
        return (), None
    return tuple(str(item) for item in value.value), PolicyParameter.objects.filter(pk=value.version).first()


def _deadline_text(run: RefundRun) -> str:
    day = run.publicity_ends_on  # set when the 公示 is published; until then 待定
    return f"{day:%Y年%-m月%-d日}" if day else PENDING


def _percent(params: ParameterSnapshot, key: str) -> str:
    return format(Decimal(params.get(key).value).normalize(), "f")


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def run_contents(run_id: int, row_keys: Collection[str]) -> list[NoticeContent]:
    run = RefundRun.objects.select_related("region", "region__parent", "region__parent__parent").get(pk=run_id)
    ids = [int(key) for key in row_keys if str(key).isdigit()]
    results = list(_payable(run_id).filter(employer_id__in=ids).select_related("employer").order_by("employer_id"))
    if not results:
        return []
    try:  # rebuilt from the database, not the per-process cache: a notice must see a version as it is now
        params = build_snapshot(year=run.year, versions=run.parameter_versions, overrides=run.overrides)
    except (VersionsUnavailable, MissingParameter):
        return []  # the pages say why (result_explain's problem); no notice from unverifiable figures
    versions = _basis_rows(run)
    uses, uses_row = _fund_uses(run)
    deadline = _deadline_text(run)
    issuer = f"{run.region.full_name}社会保险经办机构"
    p = run.facts_year
    rule = (f"参保企业足额缴纳失业保险费{params.get('stable_job_refund.min_months_paid').value}个月以上，上年度未裁员或裁员率"
            f"不高于上年度全国城镇调查失业率控制目标（{p}年为{_percent(params, 'stable_job_refund.unemployment_control_target')}%），"
            f"{params.get('stable_job_refund.small_employer_max_headcount').value}人（含）以下的参保企业裁员率不高于"
            f"{_percent(params, 'stable_job_refund.small_employer_max_layoff_rate')}%的，可享受失业保险稳岗返还；大型企业按企业及其"
            f"职工上年度实际缴纳失业保险费的{_percent(params, 'stable_job_refund.large_enterprise_rate')}%返还，中小微企业按"
            f"{_percent(params, 'stable_job_refund.sme_rate')}%返还。")
    contents = []
    for result in results:
        result.run = run
        explanation = result_explain(result, params)
        if explanation.problem or explanation.refund is None:
            continue  # never a notice from figures the stored versions do not reproduce (the page says why)
        employer = result.employer
        size = SIZE_LABELS.get(result.size_class, "")
        kind = (f"{size}企业" if result.entity_type == Employer.EntityType.ENTERPRISE
                else f"{Employer.EntityType(result.entity_type).label}（参照中小微企业执行）")
        basis: list[str] = []
        for parameter in explanation.parameters:
            row = versions.get(int(str(parameter.version).removeprefix(OVERRIDE_PREFIX)))
            if row is not None and citation(row) not in basis:
                basis.append(citation(row))
        if uses_row is not None and citation(uses_row) not in basis:
            basis.append(citation(uses_row))
        masked = mask_id_number(employer.uscc)
        paragraphs = (
            f"根据失业保险稳岗返还政策，经办机构依据已掌握的参保缴费数据，对贵单位{p}年度失业保险参保缴费情况进行了核查。"
            f"贵单位足额缴纳失业保险费 {result.months_paid_in_full} 个月，截至{p}年末无欠费，未被列入严重失信主体名单，"
            f"{p}年初参保 {result.headcount_start} 人、年末参保 {result.headcount_end} 人，裁员率符合规定，符合稳岗返还条件。"
            "本次返还实行“免申即享”，贵单位无需填表、无需申报、无需跑腿。",
            f"贵单位划型为{kind}，{p}年度单位及职工实际缴纳失业保险费 {_money(result.contributions_paid)} 元"
            f"（不含补缴历年欠费及滞纳金），按 {format(result.rate.normalize(), 'f') if result.rate is not None else ''}% 的比例返还，"
            f"返还金额为人民币 {_money(result.amount)} 元，将直接拨付至贵单位在社会保险经办机构登记的银行账户。",
            f"政策规定：{rule}",
        )
        contents.append(NoticeContent(
            row_key=str(result.employer_id), region_code=result.region_code, year=run.year, title=TITLE,
            recipient=employer.name, recipient_code=masked,
            salutation=f"{employer.name}（统一社会信用代码：{masked}）：", paragraphs=paragraphs,
            amount=result.amount, basis=tuple(basis), uses=uses,
            objection=f"如对核定结果有异议，请于{deadline}（含）前通过{{channel}}提出，并提供相关材料；逾期未提出的，视为无异议。",
            issuer=issuer,
            facts={"单位名称": employer.name, "统一社会信用代码": masked, "返还年度": f"{run.year}年",
                   "返还金额": f"{_money(result.amount)} 元", "异议截止": deadline}))
    return contents


def row_url(run_id: int, row_key: str) -> str:
    return reverse("refunds:notice", args=[run_id, int(row_key)])


SOURCE = NoticeSource(key=SOURCE_KEY, slug=RUN_SLUG, label="稳岗返还", record=run_record, row_keys=run_row_keys,
                      contents=run_contents, row_url=row_url)
