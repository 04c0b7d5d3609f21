"""Writes for people, households, status tags and insurance enrollments."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.applicants.models import (
    DuplicateCandidate,
    Household,
    HouseholdMember,
    InsuranceEnrollment,
    Person,
    StatusTag,
)
from apps.applicants.selectors import person_region_by_id_number
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.scoping import user_can_see_region
from apps.core.validators import normalize_id_number

logger = logging.getLogger(__name__)


def _validation_to_application_error(error: ValidationError) -> ApplicationError:
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    first = next(iter(fields.values()))[0]
    return ApplicationError("validation_error", first, fields)


def person_derive_from_id(person: Person) -> None:
    """Birth date, sex, birthplace and the last four follow the ID number — never typed twice."""
    try:
        person.derive_from_id_number()
    except ValidationError as error:
        # A number born after today is well formed but impossible: its own stable code.
        future = any(e.code == "future_birth_date" for e in error.error_list)
        raise ApplicationError("future_birth_date" if future else "invalid_id_number", error.messages[0],
                               {"id_number": error.messages}) from error


def _check_region(user, *codes: str | None) -> None:
    if user is None:
        return
    for code in codes:
        if code and not user_can_see_region(user, code):
            raise ApplicationError("region_out_of_scope", "所选区划不在您的经办范围内。",
                                   {"region": ["所选区划不在您的经办范围内。"]})


@transaction.atomic
def person_save(*, person: Person, user=None) -> Person:
    """Create or update; the derived fields always follow the ID number. A new ID number that already
    exists is a conflict (one person, one record) — use person_get_or_create to find the existing one."""
    person_derive_from_id(person)
    _check_region(user, person.region_id)
    clash = Person.objects.filter(id_number=person.id_number).exclude(pk=person.pk).values_list("pk", flat=True).first()
    if clash is not None:
        raise ConflictError("person_exists", "该身份证号已登记，请直接打开已有人员记录。",
                            {"id_number": ["该身份证号已登记。"]})
    creating = person.pk is None
    try:
        person.full_clean(exclude=["birth_date", "sex", "birthplace_code", "birthplace_known", "id_last4"],
                          validate_unique=False)
    except ValidationError as error:
        raise _validation_to_application_error(error) from error
    person.save()
    flagged = duplicates_flag(people=[person]) if creating else 0
    logger.info("person saved", extra={"person_id": person.pk, "is_new": creating, "duplicates_flagged": flagged})
    return person


@transaction.atomic
def person_get_or_create(*, id_number: str, defaults: dict, user=None) -> tuple[Person, bool]:
    """One person, one record: an entry with a known ID number finds the existing person."""
    number = normalize_id_number(id_number)
    existing = Person.objects.filter(id_number=number).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return person_save(person=Person(id_number=number, **defaults), user=user), True
    except IntegrityError:  # registered a moment ago by a simultaneous entry: that is the person
        existing = Person.objects.filter(id_number=number).first()
        if existing is None:
            raise
        return existing, False


def duplicates_flag(*, people: list[Person]) -> int:
    """List possible duplicates: another record with the same name, birth date and phone but another ID
    number. Both directions share one row (the newer record points at the older one). One query per call."""
    candidates = [p for p in people if p.phone]
    if not candidates:
        return 0
    condition = Q()
    for p in candidates:
        condition |= Q(name=p.name, birth_date=p.birth_date, phone=p.phone)
    matches: dict[tuple, list[tuple[int, str]]] = {}
    for pk, name, birth, phone, number in Person.objects.filter(condition).values_list(
            "pk", "name", "birth_date", "phone", "id_number"):
        matches.setdefault((name, birth, phone), []).append((pk, number))
    rows = []
    for p in candidates:
        for other_pk, other_number in matches.get((p.name, p.birth_date, p.phone), []):
            if other_number != p.id_number and other_pk < p.pk:
                rows.append(DuplicateCandidate(person=p, other_id=other_pk, other_id_number=other_number))
    DuplicateCandidate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def duplicate_dismiss(*, candidate: DuplicateCandidate, user) -> DuplicateCandidate:
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise ConflictError("duplicate_resolved", "该疑似重复记录已处理。")
    candidate.status, candidate.resolved_by, candidate.resolved_at = (
        DuplicateCandidate.Status.DISMISSED, user, timezone.now())
    candidate.save()
    logger.info("duplicate dismissed", extra={"candidate_id": candidate.pk, "user_id": getattr(user, "pk", None)})
    return candidate


@transaction.atomic
def duplicate_merge(*, candidate: DuplicateCandidate, keep: Person, user) -> Person:
    """Keep one record; move the other's tags, enrollments, household membership and — when the kept one has
    none — bank account to it; delete the other.
    The deletion and every move are in the history (who, when)."""
    if candidate.status != DuplicateCandidate.Status.OPEN or candidate.other_id is None:
        raise ConflictError("duplicate_resolved", "该疑似重复记录已处理。")
    pair = {candidate.person_id, candidate.other_id}
    if keep.pk not in pair:
        raise ApplicationError("invalid_merge", "保留的人员必须是这两条记录之一。")
    drop = Person.objects.get(pk=(pair - {keep.pk}).pop())
    for tag in StatusTag.objects.filter(person=drop):
        # A decision's own tag (source_label set) is its own period and always moves with the person.
        if tag.source_label or not StatusTag.objects.filter(person=keep, tag=tag.tag, since=tag.since,
                                                            source_label="").exists():
            tag.person = keep
            tag.save()
    for enrollment in InsuranceEnrollment.objects.filter(person=drop):
        if not InsuranceEnrollment.objects.filter(person=keep, kind=enrollment.kind,
                                                 start_date=enrollment.start_date).exists():
            enrollment.person = keep
            enrollment.save()
    if not keep.has_bank_details and drop.has_bank_details:  # the person's own account is not lost with the record
        keep.bank_name, keep.bank_account, keep.bank_account_name = (drop.bank_name, drop.bank_account,
                                                                     drop.bank_account_name)
        keep.save(update_fields=["bank_name", "bank_account", "bank_account_name"])
    membership = HouseholdMember.objects.filter(person=drop).first()
    if membership is not None and not HouseholdMember.objects.filter(person=keep).exists():
        membership.person = keep
        membership.save()
    candidate.status, candidate.resolved_by, candidate.resolved_at = (
        DuplicateCandidate.Status.MERGED, user, timezone.now())
    candidate.person = keep
    candidate.other_id_number = drop.id_number
    candidate.other = None
    candidate.save()
    DuplicateCandidate.objects.filter(Q(person=drop) | Q(other=drop)).exclude(pk=candidate.pk).update(
        status=DuplicateCandidate.Status.DISMISSED, resolved_by=user, resolved_at=timezone.now(), other=None)
    dropped_id = drop.pk
    drop.delete()
    logger.info("duplicate merged", extra={"candidate_id": candidate.pk, "kept_person_id": keep.pk,
                                            "dropped_person_id": dropped_id, "user_id": getattr(user, "pk", None)})
    return keep


@transaction.atomic
def status_tag_save(*, tag: StatusTag) -> StatusTag:
    try:
        tag.full_clean()
    except ValidationError as error:
        raise _validation_to_application_error(error) from error
    if tag.until and tag.until < tag.since:
        raise ApplicationError("invalid_period", "终止日期不能早于起始日期。", {"until": ["终止日期不能早于起始日期。"]})
    tag.save()
    return tag


@transaction.atomic
def status_tag_open(*, person: Person, tag: str, since: date, until: date | None = None, note: str = "",
                    reason: str = "", source: models.Model | None = None) -> StatusTag:
    """Give a person a status tag for a period (another app's decision, e.g. a fraud finding taking effect).

    With `source` (the decision) the tag is that decision's own row — found again by the decision, never shared
    with another decision's tag of the same day, so ending one leaves the other in force. Without it the same tag
    from the same day is one row: its end is moved to the later of the two."""
    if source is not None:
        label, source_id = source._meta.label_lower, source.pk
        current = StatusTag.objects.select_for_update().filter(
            tag=tag, source_label=label, source_id=source_id).first()
        if current is None:
            current = StatusTag(person=person, tag=tag, source_label=label, source_id=source_id)
        current.person, current.since, current.until = person, since, until
        current.note = note[:200] or current.note
    else:
        current = StatusTag.objects.select_for_update().filter(
            person=person, tag=tag, since=since, source_label="").first()
        if current is not None:
            if current.until is not None and (until is None or until > current.until):
                current.until = until
            current.note = note[:200] or current.note
        else:
            current = StatusTag(person=person, tag=tag, since=since, until=until, note=note[:200])
    current._change_reason = reason[:100]  # type: ignore[attr-defined]
    return status_tag_save(tag=current)


@transaction.atomic
def status_tag_end(*, tag_id: int, until: date, reason: str = "") -> StatusTag:
    """End a status tag on `until` (inclusive; not before its start)."""
    tag = StatusTag.objects.select_for_update().get(pk=tag_id)
    tag.until = max(until, tag.since)
    tag._change_reason = reason[:100]  # type: ignore[attr-defined]
    return status_tag_save(tag=tag)


@transaction.atomic
def enrollment_save(*, enrollment: InsuranceEnrollment) -> InsuranceEnrollment:
    if enrollment.end_date and enrollment.end_date < enrollment.start_date:
        raise ApplicationError("invalid_period", "停保日期不能早于参保日期。", {"end_date": ["停保日期不能早于参保日期。"]})
    try:
        enrollment.full_clean()
    except ValidationError as error:
        raise _validation_to_application_error(error) from error
    enrollment.save()
    return enrollment


@transaction.atomic
def household_add_member(*, person: Person, member: Person, relation: str) -> HouseholdMember:
    """Put `member` into `person`'s household (created on first use, `person` as head)."""
    if member.pk == person.pk:
        raise ApplicationError("invalid_member", "不能把本人添加为自己的家庭成员。")
    membership = HouseholdMember.objects.select_related("household").filter(person=person).first()
    if membership is None:
        household = Household.objects.create(region_id=person.region_id, address=person.address)
        membership = HouseholdMember.objects.create(household=household, person=person,
                                                    relation=HouseholdMember.Relation.HEAD)
    existing = HouseholdMember.objects.filter(person=member).first()
    if existing is not None:
        if existing.household_id == membership.household_id:
            raise ConflictError("already_member", "该人员已是本家庭成员。")
        raise ConflictError("member_elsewhere", "该人员已登记在另一个家庭中。")
    if relation not in HouseholdMember.Relation.values or relation == HouseholdMember.Relation.HEAD:
        raise ApplicationError("invalid_relation", "与户主关系无效。", {"relation": ["与户主关系无效。"]})
    return HouseholdMember.objects.create(household=membership.household, person=member, relation=relation)


@transaction.atomic
def household_add_member_by_id_number(*, person: Person, id_number: str, name: str, relation: str,
                                      user) -> HouseholdMember:
    """Add a member to `person`'s household by ID number: an unregistered member is created in the head's region
    (a name is then required); a registered one must be in the user's region."""
    known_region = person_region_by_id_number(id_number=normalize_id_number(id_number))
    if known_region is None and not name:
        raise ApplicationError("name_required", "成员尚未登记，请填写姓名。", {"name": ["成员尚未登记，请填写姓名。"]})
    if known_region is not None and not user_can_see_region(user, known_region):
        raise ApplicationError("member_out_of_scope", "该人员登记在其他区划，请联系其所在区划经办人。",
                               {"id_number": ["该人员登记在其他区划。"]})
    defaults = {"name": name, "region_id": person.region_id, "address": person.address}
    member, _ = person_get_or_create(id_number=id_number, defaults=defaults, user=user)
    return household_add_member(person=person, member=member, relation=relation)


# --- Bulk writes for file imports ---------------------------------------------------------------------------

PERSON_IMPORT_FIELDS = ("name", "phone", "hukou_type", "hukou_region_id", "region_id", "address")


@transaction.atomic
def people_upsert(*, rows: list[dict], user=None, reason: str = "") -> tuple[int, int, int]:
    """Upsert on the ID number (one person, one record) with history; derived fields follow the ID number.
    Status tags in the row are upserted on (person, tag, since); tags absent from the file are kept.
    New people are checked for possible duplicates (same name, birth date and phone, another ID number)."""
    existing = {p.id_number: p for p in Person.objects.filter(id_number__in=[row["id_number"] for row in rows])}
    new, changed, now = [], [], timezone.now()
    for row in rows:
        person = existing.get(row["id_number"])
        if person is None:
            person = Person(id_number=row["id_number"], **{name: row[name] for name in PERSON_IMPORT_FIELDS})
            person_derive_from_id(person)
            new.append(person)
        elif any(getattr(person, name) != row[name] for name in PERSON_IMPORT_FIELDS):
            for name in PERSON_IMPORT_FIELDS:
                setattr(person, name, row[name])
            person.updated_at = now
            changed.append(person)
    if new:
        bulk_create_with_history(new, Person, batch_size=1000, default_user=user, default_change_reason=reason)
    if changed:
        bulk_update_with_history(changed, Person, [*PERSON_IMPORT_FIELDS, "updated_at"], batch_size=1000,
                                 default_user=user, default_change_reason=reason)
    ids = dict(Person.objects.filter(id_number__in=[row["id_number"] for row in rows]).values_list("id_number", "pk"))
    tag_changed = _status_tags_upsert(rows=rows, person_ids=ids, user=user, reason=reason)
    new_numbers = {p.id_number for p in new}
    changed_numbers = {p.id_number for p in changed} | (tag_changed - new_numbers)
    flagged = duplicates_flag(people=list(Person.objects.filter(id_number__in=new_numbers))) if new else 0
    unchanged = len(rows) - len(new) - len(changed_numbers)
    logger.info("people upserted", extra={"rows_created": len(new), "rows_updated": len(changed_numbers),
                                           "rows_unchanged": unchanged, "duplicates_flagged": flagged})
    return len(new), len(changed_numbers), unchanged


def _status_tags_upsert(*, rows: list[dict], person_ids: dict[str, int], user, reason: str) -> set[str]:
    wanted = {(person_ids[row["id_number"]], tag, since): (until, row["id_number"])
              for row in rows for tag, since, until in (row.get("status_tags") or ())}
    if not wanted:
        return set()
    stored = {(t.person_id, t.tag, t.since): t
              for t in StatusTag.objects.filter(person_id__in={key[0] for key in wanted}, source_label="")}
    new, changed, touched = [], [], set()
    for (person_id, tag, since), (until, number) in wanted.items():
        current = stored.get((person_id, tag, since))
        if current is None:
            new.append(StatusTag(person_id=person_id, tag=tag, since=since, until=until))
            touched.add(number)
        elif current.until != until:
            current.until = until
            changed.append(current)
            touched.add(number)
    if new:
        bulk_create_with_history(new, StatusTag, batch_size=1000, default_user=user, default_change_reason=reason)
    if changed:
        bulk_update_with_history(changed, StatusTag, ["until"], batch_size=1000, default_user=user,
                                 default_change_reason=reason)
    return touched
