"""apps.core.forms.add_service_error / report_error: the one way every caseworker form shows a service's refusal."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_error, report_error


class NameForm(forms.Form):
    name = forms.CharField()


CASES = [
    # (error message, error fields, errors under `name`, errors at the top)
    ("已存在", {}, [], ["已存在"]),
    ("请修改", {"name": ["名称重复"]}, ["名称重复"], ["请修改"]),
    ("名称重复", {"name": ["名称重复"]}, ["名称重复"], []),             # not said twice
    ("请修改", {"other": ["不在表单上的字段"]}, [], ["不在表单上的字段", "请修改"]),  # never lost
    ("不在表单上", {"other": ["不在表单上"]}, [], ["不在表单上"]),
    ("请修改", {"name": ["一", "二"]}, ["一", "二"], ["请修改"]),
]


@pytest.mark.parametrize(("message", "fields", "under_name", "top"), CASES)
def test_every_message_shown_once(message, fields, under_name, top):
    form = NameForm(data={"name": "x"})
    assert form.is_valid()
    add_service_error(form, ApplicationError("refused", message, fields))
    assert form.errors.get("name", []) == under_name
    assert list(form.non_field_errors()) == top


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_without_a_form_the_refusal_is_the_pages_message():
    request = _request()
    report_error(request, ApplicationError("refused", "该记录已审核，不能再修改", {"name": ["x"]}))
    assert [str(m) for m in get_messages(request)] == ["该记录已审核，不能再修改"]


def test_with_a_form_it_is_on_the_form_not_flashed_twice():
    request = _request()
    form = NameForm(data={"name": "x"})
    form.is_valid()
    report_error(request, ApplicationError("refused", "请修改", {"name": ["名称重复"]}), form)
    assert list(get_messages(request)) == []
    assert form.errors["name"] == ["名称重复"]
