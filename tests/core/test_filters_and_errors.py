import django_filters
import pytest
from django.http import Http404
from django.test import RequestFactory

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.filters import filter_or_raise
from apps.core.middleware import ApplicationErrorMiddleware


class UserFilter(django_filters.FilterSet):
    region = django_filters.NumberFilter(field_name="id")


@pytest.mark.django_db
def test_a_filter_value_that_does_not_parse_is_a_field_level_400():
    with pytest.raises(ApplicationError) as caught:
        filter_or_raise(UserFilter, {"region": "abc"}, User.objects.all())
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_filter"
    assert list(caught.value.fields) == ["region"]


@pytest.mark.django_db
def test_a_valid_filter_filters():
    assert filter_or_raise(UserFilter, {"region": "0"}, User.objects.all()).count() == 0


def test_not_found_is_an_http404_so_views_need_not_convert_it():
    assert isinstance(NotFoundError(), Http404)
    assert NotFoundError().code == "not_found"


@pytest.mark.django_db
def test_an_application_error_escaping_a_page_renders_its_message_with_its_status():
    request = RequestFactory().get("/")
    request.user = User(username="x")
    middleware = ApplicationErrorMiddleware(lambda r: None)
    response = middleware.process_exception(request, ApplicationError("bad", "年度格式有误", {"year": ["请填写数字"]}))
    assert response.status_code == 400
    assert "年度格式有误" in response.content.decode() and "请填写数字" in response.content.decode()
    not_found = middleware.process_exception(request, NotFoundError())  # the Chinese 404, DEBUG or not
    assert not_found.status_code == 404 and "页面不存在" in not_found.content.decode()
    assert middleware.process_exception(request, ValueError()) is None
