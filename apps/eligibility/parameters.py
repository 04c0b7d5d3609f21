"""Policy parameters from the database: validation, as-of snapshots for calculators, single-value reads.

The shipped values and their loader live in apps.eligibility.parameter_fixtures.

Calculators never see the database: the snapshot built here is what they get, and each value in it
carries its row id as the version, so a stored determination names exactly what it used.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.core.models import Region
from apps.eligibility.calculators.base import (
    ParameterSnapshot,
    ParameterValue,
    month_version,
    parse_parameter_value,
)
from apps.eligibility.models import PolicyParameter


class VersionsUnavailable(LookupError):
    """Stored version ids no longer give back the snapshot a decision was made with (a version deleted, or
    its dates changed, behind the service's back). The message says which, in Chinese, for the page."""


def root_region_code() -> str:
    """The province (PORTAL_ROOT_REGION; the settings give it a default)."""
    return str(settings.PORTAL_ROOT_REGION)


def ancestor_codes(region_code: str) -> list[str]:
    """The region and every region above it, most specific first."""
    codes, node = [], Region.objects.filter(code=region_code).values_list("code", "parent_id").first()
    while node is not None:
        codes.append(node[0])
        node = Region.objects.filter(code=node[1]).values_list("code", "parent_id").first() if node[1] else None
    return codes or [root_region_code()]


def to_parameter_value(row: PolicyParameter) -> ParameterValue:
    return ParameterValue(key=row.key, value=parse_parameter_value(row.value_type, row.value),
                          valid_from=row.valid_from, valid_to=row.valid_to, version=row.pk, source=row.source,
                          name=row.name)


def parameter_snapshot(*, as_of: date, region_code: str | None = None,
                       overrides: dict[str, Any] | None = None) -> ParameterSnapshot:
    """Every parameter in force on `as_of` for `region_code`; a lower region's row beats a higher one's.

    `overrides` (key → value) is for what-if runs only: the value is replaced, the version is marked.
    """
    chain = ancestor_codes(region_code or root_region_code())
    depth = {code: index for index, code in enumerate(chain)}
    # Every version of the chain (a few hundred small rows at most) in one query: the ones in force decide,
    # the others tell a date before a programme's first version from a gap an administrator must fill.
    rows = []
    first_from: dict[str, date] = {}
    in_year: dict[str, list[PolicyParameter]] = {}  # the versions touching as_of's year, for annual amounts
    year_start, year_stop = date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    for row in PolicyParameter.objects.filter(region_id__in=chain):
        first_from[row.key] = min(first_from.get(row.key, row.valid_from), row.valid_from)
        if row.valid_from <= as_of and (row.valid_to is None or row.valid_to >= as_of):
            rows.append(row)
        if row.valid_from <= year_stop and (row.valid_to is None or row.valid_to >= year_start):
            in_year.setdefault(row.key, []).append(row)
    upcoming = {key: day for key, day in first_from.items() if day > as_of}
    chosen: dict[str, PolicyParameter] = {}
    for row in rows:
        current = chosen.get(row.key)
        if current is None or depth[str(row.region_id)] < depth[str(current.region_id)]:
            chosen[row.key] = row
    values = {key: to_parameter_value(row) for key, row in chosen.items()}
    monthly = _monthly_versions(in_year, depth, as_of.year, values)
    for key, value in (overrides or {}).items():
        base = values.get(key)
        if base is None:
            raise ApplicationError("unknown_parameter", f"参数“{key}”在 {as_of} 没有有效值，无法模拟调整",
                                   {"overrides": [key]})
        values[key] = ParameterValue(key=key, value=value, valid_from=base.valid_from, valid_to=base.valid_to,
                                     version=f"override:{base.version}", source=f"模拟调整（原值见版本 {base.version}）",
                                     name=base.name)
    for key in overrides or {}:
        monthly.pop(key, None)  # a what-if value applies to every month
    return ParameterSnapshot(as_of, values, upcoming, monthly)


def _applies(row, day: date) -> bool:
    return row.valid_from <= day and (row.valid_to is None or row.valid_to >= day)


def _monthly_versions(in_year: dict[str, list[PolicyParameter]], depth: dict[str, int], year: int,
                      values: dict[str, ParameterValue]) -> dict[str, tuple[ParameterValue | None, ...]]:
    """key -> the version of each month of `year` (base.month_version's rule; a city row beats the province's)."""
    converted: dict[int, ParameterValue] = {value.version: value for value in values.values()
                                            if isinstance(value.version, int)}
    monthly = {}
    for key, candidates in in_year.items():
        candidates.sort(key=lambda row: depth[str(row.region_id)])
        months = []
        for month in range(1, 13):
            row = month_version(candidates, year, month, _applies)
            if row is not None and row.pk not in converted:
                converted[row.pk] = to_parameter_value(row)
            months.append(converted[row.pk] if row is not None else None)
        monthly[key] = tuple(months)
    return monthly


def childcare_age_limit(as_of: date) -> int | None:
    """The province's childcare-subsidy age limit in force at the end of `as_of`'s year (one query).
    It only selects whom to compute for; the calculation reads the regional value itself."""
    return province_integers("childcare_subsidy.age_limit_years", as_of=as_of)["childcare_subsidy.age_limit_years"]


def province_integers(*keys: str, as_of: date) -> dict[str, int | None]:
    """Integer parameters of the province in force at the end of `as_of`'s year, in one query (None where a
    key has none), for choosing whom a batch computes for (an age limit); the calculation reads the regional
    value itself."""
    day = date(as_of.year, 12, 31)
    rows = (PolicyParameter.objects.filter(key__in=keys, valid_from__lte=day, region_id=settings.PORTAL_ROOT_REGION)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).values_list("key", "value"))
    found = dict(rows)
    return {key: int(found[key]) if found.get(key) is not None else None for key in keys}


# What a stored decision fixes on a version. The name, unit and source stay editable (a typo in a title
# changes no amount); the end date may be set, or moved, as long as it stays on or after `used_until`.
FROZEN_FIELDS = {"key": "参数键", "value_type": "值类型", "value": "参数值", "region_id": "适用区划",
                 "valid_from": "生效日期"}
FROZEN_MESSAGE = ("该参数版本已被已存储的决定使用（{since}起冻结），不能修改其参数值、有效期或适用区划，否则历史决定将无法复核。"
                  "请新增一个带生效日期的新版本（并为本版本设置不早于 {until} 的失效日期）。")


def version_ids(versions: Iterable[Any]) -> list[int]:
    """PolicyParameter ids from stored version references: 17, "17", "override:17", "o17", {"version": 17},
    and lists of them (a key used at several versions in one decision)."""
    ids = []
    for version in versions:
        if isinstance(version, list | tuple):
            ids.extend(version_ids(version))
            continue
        if isinstance(version, dict):
            version = version.get("version")
        text = str(version).removeprefix("override:").removeprefix("o")
        if text.isdigit():
            ids.append(int(text))
    return ids


def parameter_versions_freeze(*, versions: Iterable[Any], on: date) -> int:
    """A stored decision used these versions for the day `on`: freeze them (one UPDATE).

    `used_until` keeps the latest day any decision applied the version on (never past its own end), so the
    end date can later be set — to add a new version — without taking a day away from a stored decision."""
    ids = sorted(set(version_ids(versions)))
    if not ids:
        return 0
    day = Least(Value(on), Coalesce(F("valid_to"), Value(on)))
    return PolicyParameter.objects.filter(pk__in=ids).update(
        frozen_at=Coalesce(F("frozen_at"), Value(timezone.now())),
        used_until=Greatest(Coalesce(F("used_until"), day), day))


def _frozen_errors(parameter: PolicyParameter) -> dict[str, list[str]]:
    if parameter.pk is None:
        return {}
    stored = PolicyParameter.objects.filter(pk=parameter.pk).first()
    if stored is None or stored.frozen_at is None:
        return {}
    until = stored.used_until.isoformat() if stored.used_until else stored.valid_from.isoformat()
    message = FROZEN_MESSAGE.format(since=f"{timezone.localtime(stored.frozen_at):%Y-%m-%d}", until=until)
    errors = {field: [f"{label}不能修改：{message}"] for field, label in FROZEN_FIELDS.items()
              if getattr(parameter, field) != getattr(stored, field)}
    if parameter.valid_to is not None and stored.used_until and parameter.valid_to < stored.used_until:
        errors["valid_to"] = [f"失效日期不能早于 {until}（已有决定按本版本计算至该日）：{message}"]
    return errors


def parameter_validate(parameter: PolicyParameter) -> None:
    """A frozen version keeps what decisions used; field checks, the value parses for its type, and no
    overlap with another version (same key, region)."""
    frozen = _frozen_errors(parameter)
    if frozen:
        raise ApplicationError("parameter_version_frozen", next(iter(frozen.values()))[0].split("：", 1)[1],
                               frozen)
    errors: dict[str, list[str]] = {}
    try:
        parameter.full_clean(validate_unique=False, validate_constraints=False)  # overlap check covers it
    except ValidationError as error:
        errors.update({k: [str(m) for m in v] for k, v in error.message_dict.items()})
    try:
        parse_parameter_value(parameter.value_type, parameter.value)
    except (TypeError, ValueError, ArithmeticError) as error:
        errors.setdefault("value", []).append(f"参数值与值类型不符：{error}")
    if parameter.valid_to and parameter.valid_to < parameter.valid_from:
        errors.setdefault("valid_to", []).append("失效日期不能早于生效日期")
    overlapping = PolicyParameter.objects.filter(key=parameter.key, region_id=parameter.region_id).exclude(
        pk=parameter.pk).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=parameter.valid_from))
    if parameter.valid_to:
        overlapping = overlapping.filter(valid_from__lte=parameter.valid_to)
    clash = overlapping.first()
    if clash is not None:
        until = f"{clash.valid_to:%Y-%m-%d}" if clash.valid_to else "长期"
        errors.setdefault("valid_from", []).append(
            f"与已有版本（{clash.valid_from:%Y-%m-%d} 至 {until}）的有效期重叠；请先为旧版本设置失效日期")
    if errors:
        raise ApplicationError("parameter_invalid", "政策参数有误", errors)


@transaction.atomic
def parameter_save(*, parameter: PolicyParameter) -> PolicyParameter:
    parameter_validate(parameter)
    parameter.save()
    return parameter
