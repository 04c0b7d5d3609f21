"""An out-of-scope or missing record shows the Chinese 404 page, also under DEBUG, which is what `make run`
uses (issue 15): people trying the portal first must see what a caseworker sees, not Django's debug page."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory


@pytest.mark.parametrize("debug", [True, False])
def test_an_out_of_scope_record_is_the_chinese_404(debug, settings, caseworker, client_for):
    settings.DEBUG = debug
    other_region = PersonFactory(region_id="220204")
    client = client_for(caseworker)
    for url in (reverse("applicants:detail", args=[other_region.pk]), reverse("applicants:detail", args=[99999999])):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 404, url
        assert "页面不存在" in html and "不在您的经办区划范围内" in html, html[:400]
        assert other_region.name not in html
