"""One home and one loader for the shipped policy parameters: every domain's entries in one format, loaded
add-only — a version an administrator edited is never overwritten, a missing one is added."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameter_fixtures import FIELDS, FIXTURE_DIR, fixture_rows, load_policy_parameters
from apps.eligibility.parameters import parameter_snapshot

KEY = "stable_job_refund.sme_rate"


def test_every_domain_is_one_file_in_one_format_with_its_source():
    files = sorted(path.stem for path in FIXTURE_DIR.glob("*.json"))
    assert {"stable_job_refund", "childcare", "child_welfare", "training"} <= set(files)
    identities = set()
    for path in FIXTURE_DIR.glob("*.json"):
        for row in json.loads(path.read_text(encoding="utf-8")):
            assert set(row) == set(FIELDS), path.name
            assert row["key"].split(".")[0] == path.stem  # the file says which domain it holds
            assert row["source_title"] and row["region_code"] and row["valid_from"]
            identity = (row["key"], row["region_code"], row["valid_from"])
            assert identity not in identities
            identities.add(identity)
    assert len(identities) == len(fixture_rows())


@pytest.mark.django_db
def test_every_shipped_version_is_in_the_database_after_migrating():
    shipped = {(r["key"], r["region_code"], date.fromisoformat(r["valid_from"])) for r in fixture_rows()}
    stored = set(PolicyParameter.objects.values_list("key", "region_id", "valid_from"))
    assert shipped <= stored
    assert load_policy_parameters() == 0  # nothing missing: nothing added


@pytest.mark.django_db
def test_loading_never_overwrites_a_version_an_administrator_edited():
    edited = PolicyParameter.objects.get(key=KEY, region_id="220000")
    edited.value, edited.source_number = "65", "吉人社〔2026〕1号"
    edited.save()
    assert load_policy_parameters() == 0
    call_command("load_policy_parameters", stdout=StringIO())
    edited.refresh_from_db()
    assert (edited.value, edited.source_number) == ("65", "吉人社〔2026〕1号")
    assert parameter_snapshot(as_of=date(2025, 12, 31)).get(KEY).value == Decimal("65")


@pytest.mark.django_db
def test_loading_adds_a_missing_version_with_its_source():
    shipped = next(r for r in fixture_rows() if r["key"] == KEY)
    PolicyParameter.objects.filter(key=KEY).delete()
    other = PolicyParameter.objects.count()
    assert load_policy_parameters() == 1
    restored = PolicyParameter.objects.get(key=KEY)
    assert (restored.value, restored.valid_from.isoformat(), restored.source_title, restored.source_file) == (
        shipped["value"], shipped["valid_from"], shipped["source_title"], shipped["source_file"])
    assert PolicyParameter.objects.count() == other + 1


@pytest.mark.django_db
def test_a_new_version_of_a_key_is_added_beside_the_old_one(tmp_path):
    shipped = next(r for r in fixture_rows() if r["key"] == KEY)
    newer = {**shipped, "value": "70", "valid_from": "2030-01-01"}
    (tmp_path / "stable_job_refund.json").write_text(json.dumps([shipped, newer]), encoding="utf-8")
    assert load_policy_parameters(tmp_path) == 1
    assert PolicyParameter.objects.filter(key=KEY, region_id="220000").count() == 2
    assert PolicyParameter.objects.get(key=KEY, valid_from=date(2030, 1, 1)).value == "70"
