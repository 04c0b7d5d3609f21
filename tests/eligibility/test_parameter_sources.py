"""Issue 12 fault 8: every parameter cites the real document — title, issuing body, 文号 where there is
one, date where the source gives one — never a file name; national values say they are national. No page,
export or notice shows a file name as a source."""

import re

import pytest
from django.urls import reverse

from apps.eligibility.api import FACT_EXAMPLES
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameter_fixtures import fixture_rows
from apps.eligibility.services import determination_create

FILE_NAME = re.compile(r"\.txt|\.md|\.json|seeds/|_[0-9a-f]{16}|种子文件|seed", re.IGNORECASE)
NATIONAL_PREFIXES = ("childcare_subsidy.", "enterprise_size.", "stable_job_refund.")


def _shown(row) -> str:
    return " ".join(str(row.get(f) or "") for f in ("source_title", "source_number", "source_issuer",
                                                    "source_date", "source_note"))


@pytest.mark.parametrize("row", fixture_rows(), ids=lambda r: f"{r['key']}@{r['valid_from']}")
def test_every_shipped_parameter_cites_a_document_not_a_file(row):
    assert not FILE_NAME.search(_shown(row)), _shown(row)
    assert row.get("source_issuer"), "issuing body"
    assert "《" not in row["source_title"] and len(row["source_title"]) >= 4  # the title itself, no brackets
    if row["key"].startswith(NATIONAL_PREFIXES):
        assert "国家政策" in (row.get("source_note") or ""), "a national value says so"


@pytest.mark.django_db
def test_every_parameter_in_the_database_renders_a_source_without_a_file_name():
    for parameter in PolicyParameter.objects.all():
        assert not FILE_NAME.search(parameter.source), (parameter.key, parameter.source)
        assert "《" in parameter.source and parameter.source_issuer in parameter.source


@pytest.mark.django_db
def test_pages_and_api_never_show_a_file_name_as_a_source(caseworker, client_for, api_for):
    client, api = client_for(caseworker), api_for(caseworker)
    texts = [api.get("/api/v1/policy-parameters/?as_of=2025-12-31").content.decode()]
    for name, facts in FACT_EXAMPLES.items():
        texts.append(api.post(f"/api/v1/eligibility/{name}/", facts, format="json").content.decode())
        determination = determination_create(user=caseworker, calculator=name, facts=facts)
        texts.append(client.get(reverse("eligibility:determination-detail", args=[determination.pk])
                                ).content.decode())
    for text in texts:
        assert not FILE_NAME.search(re.sub(r"<(script|link)[^>]*>", "", text)), FILE_NAME.search(text)
