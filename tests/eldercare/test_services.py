"""The services of 养老服务人才: the registry (USCC check, region, one current post), the 黑名单 (list, remove, publish
through apps.publicity) and claims (the calculator's refusal, the stored explanation, the four eyes, the 黑名单 read
again at approval)."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.review import ReviewRefused
from apps.eldercare import services
from apps.eldercare.models import IncentiveClaim, Institution
from apps.eldercare.publicity import SOURCE, entry_public_record, entry_public_rows
from apps.publicity.models import Publication
from apps.publicity.sources import source_get
from tests.eldercare.conftest import make_institution, make_staff
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_institution_uscc_checked_with_the_shared_validator(caseworker):
    with pytest.raises(ApplicationError) as error:
        services.institution_save(institution=Institution(name="某养老院", uscc="91220102MA0Y3L6X6X", region_id="220102",
                                                          beds=10, older_people_served=5), user=caseworker)
    assert error.value.code == "invalid_uscc" and "uscc" in error.value.fields


def test_institution_uscc_unique_is_a_chinese_sentence(caseworker, institution):
    with pytest.raises(ApplicationError) as error:
        services.institution_save(institution=Institution(name="另一家", uscc=institution.uscc.lower(),
                                                          region_id="220102", beds=1, older_people_served=1),
                                  user=caseworker)
    assert "已登记" in str(error.value.fields) + error.value.message


def test_institution_outside_region_refused(caseworker):
    with pytest.raises(ApplicationError) as error:
        make_institution(caseworker, region_id="220204")
    assert error.value.code == "region_out_of_scope"


def test_staff_person_of_other_region_refused(caseworker, institution):
    with pytest.raises(ApplicationError) as error:
        make_staff(caseworker, institution, person=PersonFactory(region_id="220204"))
    assert error.value.code == "region_out_of_scope"


def test_staff_one_current_post_per_institution(caseworker, institution, staff):
    with pytest.raises(ApplicationError):
        make_staff(caseworker, institution, person=staff.person)
    staff.end_date = date(2025, 12, 31)
    services.staff_save(staff=staff, user=caseworker)
    assert make_staff(caseworker, institution, person=staff.person, start_date=date(2026, 1, 1)).pk


def test_blacklist_needs_exactly_one_subject(caseworker, institution, staff):
    for kwargs in ({}, {"institution": institution, "person": staff.person}):
        with pytest.raises(ApplicationError) as error:
            services.blacklist_add(user=caseworker, reason="虐待老年人", source="南民罚〔2026〕3号",
                                   listed_on=date(2026, 1, 1), **kwargs)
        assert error.value.code == "subject_required"


def test_blacklisted_institution_refuses_claims_with_the_reason(caseworker, institution, staff):
    services.blacklist_add(user=caseworker, institution=institution, reason="虐待老年人", source="南民罚〔2026〕3号",
                           listed_on=date(2026, 2, 1))
    with pytest.raises(ApplicationError) as error:
        services.claim_submit(staff=staff, user=caseworker, kind="post_subsidy", claim_date=date(2026, 3, 1), months=6)
    assert error.value.code == "blacklisted" and "虐待老年人" in error.value.message
    # before the listing day the same claim is made
    claim = services.claim_submit(staff=staff, user=caseworker, kind="post_subsidy", claim_date=date(2026, 1, 31),
                                  months=6)
    assert claim.amount == Decimal("1800.00")


def test_blacklisted_person_refused_until_removed(caseworker, staff):
    entry = services.blacklist_add(user=caseworker, person=staff.person, reason="侵害老年人合法权益",
                                   source="南民罚〔2026〕5号", listed_on=date(2026, 1, 1))
    with pytest.raises(ApplicationError) as error:
        services.claim_submit(staff=staff, user=caseworker, kind="post_subsidy", claim_date=date(2026, 3, 1), months=1)
    assert error.value.code == "blacklisted"
    services.blacklist_remove(entry=entry, user=caseworker, removed_on=date(2026, 3, 1), note="信用修复")
    assert services.claim_submit(staff=staff, user=caseworker, kind="post_subsidy", claim_date=date(2026, 3, 1),
                                 months=1).amount == Decimal("300.00")


def test_remove_date_must_follow_listing(caseworker, institution):
    entry = services.blacklist_add(user=caseworker, institution=institution, reason="x", source="y",
                                   listed_on=date(2026, 1, 1))
    with pytest.raises(ApplicationError):
        services.blacklist_remove(entry=entry, user=caseworker, removed_on=date(2026, 1, 1))


def test_claim_stores_steps_and_parameter_versions(caseworker, staff):
    claim = services.claim_submit(staff=staff, user=caseworker, kind="entry_award", claim_date=date(2026, 1, 1))
    assert claim.amount == Decimal("3000.00") and claim.status == IncentiveClaim.Status.SUBMITTED
    assert claim.explanation["calculator"] == "elderly-care-incentive"
    assert [p["key"] for p in claim.explanation["parameters"]] == ["elderly_care.entry_award",
                                                                     "elderly_care.entry_award_min_service_months"]
    assert all(isinstance(p["version"], int) for p in claim.explanation["parameters"])
    assert claim.explanation["steps"][-1]["value"] == "3,000.00"


def test_part_time_refused_full_time_awards(caseworker, institution):
    part_time = make_staff(caseworker, institution, full_time=False)
    with pytest.raises(ApplicationError) as error:
        services.claim_submit(staff=part_time, user=caseworker, kind="entry_award", claim_date=date(2026, 1, 1))
    assert error.value.code == "not_full_time"


def test_one_time_award_once(caseworker, staff):
    services.claim_submit(staff=staff, user=caseworker, kind="entry_award", claim_date=date(2026, 1, 1))
    with pytest.raises(ConflictError):
        services.claim_submit(staff=staff, user=caseworker, kind="entry_award", claim_date=date(2026, 2, 1))


def test_maker_cannot_approve_own_claim(caseworker, supervisor, staff):
    maker = UserFactory(role="supervisor", region_id="220100")
    claim = services.claim_submit(staff=staff, user=maker, kind="post_subsidy", claim_date=date(2026, 3, 1), months=2)
    with pytest.raises(ReviewRefused) as error:
        services.claim_review(claim=claim, user=maker, action="approve")
    assert error.value.code == "four_eyes"
    with pytest.raises(ReviewRefused) as error:  # a caseworker is no reviewer
        services.claim_review(claim=claim, user=caseworker, action="approve")
    assert error.value.code == "reviewer_required"
    claim = services.claim_review(claim=claim, user=supervisor, action="approve", note="材料齐全")
    assert claim.status == IncentiveClaim.Status.APPROVED and claim.reviewed_by == supervisor


def test_listing_after_submission_refuses_the_approval(caseworker, supervisor, institution, staff):
    claim = services.claim_submit(staff=staff, user=caseworker, kind="post_subsidy", claim_date=date(2026, 3, 1),
                                  months=2)
    services.blacklist_add(user=caseworker, institution=institution, reason="非法集资", source="y",
                           listed_on=date(2026, 3, 5))
    with pytest.raises(ConflictError) as error:
        services.claim_review(claim=claim, user=supervisor, action="approve", today=date(2026, 3, 5))
    assert error.value.code == "blacklisted" and "非法集资" in error.value.message
    assert services.claim_review(claim=claim, user=supervisor, action="approve", today=date(2026, 3, 4)).status == (
        IncentiveClaim.Status.APPROVED)


def test_reject_needs_a_reason(caseworker, supervisor, staff):
    claim = services.claim_submit(staff=staff, user=caseworker, kind="post_subsidy", claim_date=date(2026, 3, 1),
                                  months=2)
    with pytest.raises(ApplicationError) as error:
        services.claim_review(claim=claim, user=supervisor, action="reject")
    assert error.value.code == "reason_required"


def test_blacklist_published_through_the_publicity_source(caseworker, institution, staff):
    assert source_get("eldercare.blacklist") is SOURCE
    entry = services.blacklist_add(user=caseworker, institution=institution, reason="虐待老年人",
                                   source="南民罚〔2026〕3号", listed_on=date(2026, 1, 5))
    assert entry_public_record(entry.pk).visible is False
    entry = services.blacklist_publish(entry=entry, user=caseworker, on=date(2026, 12, 1))
    publication = Publication.objects.get(source="eldercare.blacklist", record_id=entry.pk)
    assert (entry.publicity_starts_on, entry.publicity_ends_on) == (publication.starts_on, publication.ends_on)
    assert publication.working_days == 5
    [row] = entry_public_rows(entry.pk)
    assert row[1] == institution.name and institution.uscc not in row and "*" in row[2]
    assert entry_public_record(entry.pk).visible is True
    again = services.blacklist_publish(entry=entry, user=caseworker)  # once: the first publication stays
    assert Publication.objects.filter(source="eldercare.blacklist").count() == 1 and again.pk == entry.pk
    services.blacklist_remove(entry=entry, user=caseworker, removed_on=date(2027, 1, 5))
    assert entry_public_record(entry.pk).visible is False


def test_person_entry_public_row_masks_the_name(caseworker, staff):
    entry = services.blacklist_add(user=caseworker, person=staff.person, reason="虐待老年人", source="y",
                                   listed_on=date(2026, 1, 5))
    [row] = entry_public_rows(entry.pk)
    assert row[1] == staff.person.name[0] + "*" * (len(staff.person.name) - 1) and row[2] == ""
    assert staff.person.id_number not in str(row)
