"""Every database constraint says in Chinese what to fix, never its own name (issue 15).

Forms and the admin show a constraint's `violation_error_message` through Django's constraint validation; a
write that reaches the database anyway (a race, a service that skipped a check) is an IntegrityError, which
the page and the API turn into the same sentence (409, the constraint's name as the API's stable code)."""

import re
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from tests.factories import StatusTagFactory

CJK = re.compile(r"[\u4e00-\u9fff]")


def every_constraint():
    for model in apps.get_models():
        if model.__module__.startswith("apps."):
            for constraint in model._meta.constraints:
                yield pytest.param(model, constraint, id=constraint.name)


@pytest.mark.parametrize(("model", "constraint"), list(every_constraint()))
def test_every_constraint_has_a_chinese_message_saying_what_to_fix(model, constraint):
    message = str(constraint.get_violation_error_message())
    assert constraint.violation_error_message != constraint.default_violation_error_message, constraint.name
    assert CJK.search(message) and constraint.name not in message, message


def test_the_model_form_check_shows_the_message_not_the_name(db):
    tag = StatusTagFactory.build(since=date(2025, 5, 1), until=date(2025, 4, 30))
    tag.person.save()
    with pytest.raises(ValidationError) as raised:
        tag.full_clean()
    text = " ".join(raised.value.messages)
    assert "结束日期不能早于开始日期" in text and "status_tag_until_after_since" not in text


@pytest.mark.urls("tests.core.constraint_urls")
@pytest.mark.parametrize(("kind", "code", "sentence"), [
    ("check", "status_tag_until_after_since", "结束日期不能早于开始日期"),
    ("unique", "contribution_unique_employer_period", "该单位该月份的缴费记录已存在"),
])
def test_a_write_that_reaches_the_database_gets_the_sentence_on_a_page_and_in_the_api(
        kind, code, sentence, caseworker, client_for):
    client = client_for(caseworker)
    page = client.get(f"/page/{kind}/")
    assert page.status_code == 409
    html = page.content.decode()
    assert sentence in html and code not in html and "IntegrityError" not in html

    api = client.post(f"/api/{kind}/")
    assert api.status_code == 409
    assert api.json()["code"] == code and sentence in api.json()["detail"]
