"""Each fraud finding in force owns its own 暂停医保直接结算 tag: two cases of one person taking effect the same day
are two rows, and revoking one leaves the other's suspension in force — as every module reads it
(apps.applicants.selectors.person_tags_on / people_tagged_on)."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from apps.applicants.models import Person, StatusTag
from apps.applicants.selectors import people_tagged_on, person_tags_on
from apps.applicants.services import duplicate_merge, people_upsert, status_tag_open
from apps.fraud.models import Finding
from tests.factories import PersonFactory
from tests.fraud.conftest import move

TAG = StatusTag.Tag.DIRECT_SETTLEMENT_SUSPENDED
D = date


def _in_force(case, caseworker, supervisor, effective: date):
    case = move(case, "investigate", caseworker)
    case = move(case, "find", caseworker, misused_amount=Decimal("8600.00"), facts_summary="事实", today=effective)
    return move(case, "approve", supervisor, today=effective)


def _revoke(case, caseworker, supervisor, on: date):
    case = move(case, "appeal", caseworker, note="申诉", today=on)
    return move(case, "revoke", supervisor, note="依据不足", today=on)


def _suspended(person: Person, day: date) -> bool:
    one = TAG in person_tags_on(person=person, day=day)
    many = people_tagged_on(tags=[TAG], day=day).filter(person=person).exists()
    assert one == many
    return one


# Each row: the cases' effective days; the revocations (case index, day); the tag period of each case afterwards;
# the days the person is / is not suspended. A suspension runs six months from its effective day.
TABLE = {
    "same day, revoke the first": (
        [D(2026, 9, 1), D(2026, 9, 1)], [(0, D(2026, 10, 15))],
        [(D(2026, 9, 1), D(2026, 10, 15)), (D(2026, 9, 1), D(2027, 3, 1))],
        [D(2026, 9, 1), D(2026, 10, 16), D(2027, 3, 1)], [D(2026, 8, 31), D(2027, 3, 2)]),
    "same day, revoke the second": (
        [D(2026, 9, 1), D(2026, 9, 1)], [(1, D(2026, 10, 15))],
        [(D(2026, 9, 1), D(2027, 3, 1)), (D(2026, 9, 1), D(2026, 10, 15))],
        [D(2026, 10, 16), D(2027, 3, 1)], [D(2027, 3, 2)]),
    "same day, revoke both": (
        [D(2026, 9, 1), D(2026, 9, 1)], [(0, D(2026, 10, 15)), (1, D(2026, 11, 1))],
        [(D(2026, 9, 1), D(2026, 10, 15)), (D(2026, 9, 1), D(2026, 11, 1))],
        [D(2026, 10, 16), D(2026, 11, 1)], [D(2026, 11, 2), D(2027, 3, 1)]),
    "overlapping, revoke the earlier": (
        [D(2026, 9, 1), D(2026, 10, 1)], [(0, D(2026, 10, 15))],
        [(D(2026, 9, 1), D(2026, 10, 15)), (D(2026, 10, 1), D(2027, 4, 1))],
        [D(2026, 9, 15), D(2026, 10, 16), D(2027, 3, 15), D(2027, 4, 1)], [D(2027, 4, 2)]),
    "overlapping, revoke the later": (
        [D(2026, 9, 1), D(2026, 10, 1)], [(1, D(2026, 10, 15))],
        [(D(2026, 9, 1), D(2027, 3, 1)), (D(2026, 10, 1), D(2026, 10, 15))],
        [D(2026, 10, 16), D(2027, 3, 1)], [D(2027, 3, 2), D(2027, 4, 1)]),
    "revoked on the start day, the other runs on": (
        [D(2026, 9, 1), D(2026, 9, 1)], [(0, D(2026, 9, 1))],
        [(D(2026, 9, 1), D(2026, 9, 1)), (D(2026, 9, 1), D(2027, 3, 1))],
        [D(2026, 9, 2), D(2027, 3, 1)], [D(2027, 3, 2)]),
    "the only case revoked on the start day": (
        [D(2026, 9, 1)], [(0, D(2026, 9, 1))],
        [(D(2026, 9, 1), D(2026, 9, 1))],
        [D(2026, 9, 1)], [D(2026, 9, 2), D(2027, 3, 1)]),
}


@pytest.mark.parametrize(("effective", "revocations", "periods", "suspended", "free"), TABLE.values(), ids=TABLE)
def test_each_finding_owns_its_suspension(open_case, person, caseworker, supervisor, effective, revocations,
                                          periods, suspended, free):
    cases = [_in_force(open_case(), caseworker, supervisor, day) for day in effective]
    for index, day in revocations:
        cases[index] = _revoke(cases[index], caseworker, supervisor, day)
    assert StatusTag.objects.filter(person=person, tag=TAG).count() == len(cases)
    for case, period in zip(cases, periods, strict=True):
        finding = Finding.objects.select_related("suspension_tag").get(case=case)
        tag = finding.suspension_tag
        assert (tag.since, tag.until, tag.source_label, tag.source_id) == (*period, "fraud.finding", finding.pk)
    assert [day for day in suspended if not _suspended(person, day)] == []
    assert [day for day in free if _suspended(person, day)] == []


def test_a_tag_without_a_source_still_merges_on_the_same_day(person):
    first = status_tag_open(person=person, tag=StatusTag.Tag.MIGRANT_WORKER, since=D(2026, 1, 1), until=D(2026, 6, 30))
    again = status_tag_open(person=person, tag=StatusTag.Tag.MIGRANT_WORKER, since=D(2026, 1, 1), until=D(2026, 9, 30))
    assert again.pk == first.pk and again.until == D(2026, 9, 30) and again.source_label == ""


def test_the_same_decision_opening_again_is_its_own_row_again(open_case, person, caseworker, supervisor):
    case = _in_force(open_case(), caseworker, supervisor, D(2026, 9, 1))
    finding = Finding.objects.get(case=case)
    again = status_tag_open(person=person, tag=TAG, since=D(2026, 9, 1), until=D(2027, 3, 1), source=finding)
    assert again.pk == finding.suspension_tag_id
    assert StatusTag.objects.filter(person=person, tag=TAG).count() == 1


def test_an_import_row_of_the_same_day_leaves_a_findings_tag_alone(open_case, person, caseworker, supervisor):
    case = _in_force(open_case(), caseworker, supervisor, D(2026, 9, 1))
    people_upsert(rows=[{"id_number": person.id_number, "name": person.name, "phone": person.phone,
                         "hukou_type": person.hukou_type, "hukou_region_id": person.hukou_region_id,
                         "region_id": person.region_id, "address": person.address,
                         "status_tags": [(TAG, D(2026, 9, 1), D(2026, 9, 5))]}])
    tag = Finding.objects.get(case=case).suspension_tag
    tag.refresh_from_db()
    assert tag.until == D(2027, 3, 1)
    assert _suspended(person, D(2026, 12, 1))


def test_merging_duplicates_moves_a_decisions_tag_even_beside_a_tag_of_the_same_day(caseworker):
    from apps.applicants.models import DuplicateCandidate

    drop, keep = PersonFactory(region_id="220102"), PersonFactory(region_id="220102")
    decided = StatusTag.objects.create(person=drop, tag=TAG, since=D(2026, 9, 1), until=D(2027, 3, 1),
                                       source_label="fraud.finding", source_id=999_999)
    status_tag_open(person=keep, tag=TAG, since=D(2026, 9, 1), until=D(2026, 9, 30))  # a tag of the same day
    candidate = DuplicateCandidate.objects.create(person=drop, other=keep, other_id_number=keep.id_number)
    duplicate_merge(candidate=candidate, keep=keep, user=caseworker)
    decided.refresh_from_db()
    assert decided.person == keep and _suspended(keep, D(2026, 12, 1))
    assert keep.status_tags.filter(tag=TAG).count() == 2


def test_the_migration_splits_a_tag_two_findings_shared(open_case, person, caseworker, supervisor):
    """The state before: the second finding of the day was merged into the first one's row (and a revocation of
    either ended both). The data migration gives each its own period again, with a history row."""
    from importlib import import_module

    split_tags = import_module("apps.fraud.migrations.0002_status_tag_per_finding").split_tags
    first = _in_force(open_case(), caseworker, supervisor, D(2026, 9, 1))
    second = _revoke(_in_force(open_case(), caseworker, supervisor, D(2026, 9, 1)), caseworker, supervisor,
                     D(2026, 10, 15))
    shared = Finding.objects.get(case=first).suspension_tag
    StatusTag.objects.filter(pk=shared.pk).update(source_label="", source_id=None, until=D(2026, 10, 15))
    Finding.objects.filter(case=second).update(suspension_tag=shared)
    StatusTag.objects.exclude(pk=shared.pk).delete()

    split_tags(django_apps, None)

    periods = {case.pk: (f.suspension_tag.since, f.suspension_tag.until, f.suspension_tag.source_id == f.pk)
               for case in (first, second) for f in [Finding.objects.select_related("suspension_tag").get(case=case)]}
    assert periods == {first.pk: (D(2026, 9, 1), D(2027, 3, 1), True),
                       second.pk: (D(2026, 9, 1), D(2026, 10, 15), True)}
    assert _suspended(person, D(2026, 12, 1))
    assert StatusTag.history.filter(history_change_reason="迁移：暂停结算标签按认定分开").count() == 2


def test_the_suspension_tag_is_not_imported(db):
    from apps.imports.models import ImportIssue
    from apps.imports.services import import_file
    from tests.imports.helpers import APPLICANT_HEADER, csv_file, person_id

    row = f"{person_id(5)},戊,,,,220102,,暂停医保直接结算:2026-09-01"
    batch = import_file(kind="applicants", handle=csv_file(APPLICANT_HEADER, row), file_name="people.csv", user=None)
    issues = list(ImportIssue.objects.filter(batch=batch).values_list("column", "message"))
    assert issues == [("status_tags", "身份标签：“暂停医保直接结算”由相关业务的决定开具和终止（如骗保认定生效），不能导入")]
    assert not StatusTag.objects.filter(tag=TAG).exists()


def test_the_admin_does_not_edit_or_delete_a_findings_tag(client_for, open_case, caseworker, supervisor):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="applicants"))
    case = _in_force(open_case(), caseworker, supervisor, D(2026, 9, 1))
    tag = Finding.objects.get(case=case).suspension_tag
    manual = status_tag_open(person=case.person, tag=StatusTag.Tag.MIGRANT_WORKER, since=D(2026, 1, 1))
    client = client_for(supervisor)
    change = client.get(reverse("admin:applicants_statustag_change", args=[tag.pk])).content.decode()
    assert 'name="until"' not in change  # shown read-only
    client.post(reverse("admin:applicants_statustag_change", args=[tag.pk]),
                {"person": case.person.pk, "tag": TAG, "since": "2026-09-01", "until": "2026-09-02", "note": ""})
    assert client.post(reverse("admin:applicants_statustag_delete", args=[tag.pk]), {"post": "yes"}).status_code == 403
    tag.refresh_from_db()
    assert tag.until == D(2027, 3, 1)
    assert 'name="until"' in client.get(reverse("admin:applicants_statustag_change", args=[manual.pk])).content.decode()


def test_the_admin_does_not_offer_a_findings_tag_to_add(client_for, supervisor):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="applicants"))
    person = PersonFactory(region_id="220102")
    client = client_for(supervisor)
    url = reverse("admin:applicants_statustag_add")
    offered = [value for value, _label in client.get(url).context["adminform"].form.fields["tag"].choices]
    assert TAG not in offered and StatusTag.Tag.MIGRANT_WORKER in offered
    response = client.post(url, {"person": person.pk, "tag": TAG, "since": "2026-09-01", "until": "", "note": ""})
    assert response.status_code == 200 and "tag" in response.context["adminform"].form.errors
    assert not StatusTag.objects.filter(person=person).exists()
