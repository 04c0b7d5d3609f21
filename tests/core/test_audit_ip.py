"""The client address in the access log (issue 13, hole 6): X-Forwarded-For is trusted only for the configured
number of proxies in front of the portal, and a garbage value never breaks an audited read."""

import pytest
from django.test import RequestFactory

from apps.core import audit
from apps.core.audit import log_read
from apps.core.models import AccessLog
from tests.factories import PersonFactory


def request(forwarded=None, remote="10.0.0.9"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert audit.client_ip(request("6.6.6.6")) == "10.0.0.9"


@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (1, "203.0.113.7", "203.0.113.7"),
    (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client forged the first entry; the proxy appended the last
    (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
    (2, "203.0.113.7", "10.0.0.9"),  # fewer hops than proxies: nothing trustworthy, the peer address
    (1, "2001:db8::1", "2001:db8::1"),
])
def test_the_address_is_the_one_the_nearest_trusted_proxy_saw(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert audit.client_ip(request(forwarded)) == expected


@pytest.mark.parametrize("garbage", ["not-an-ip", "999.1.1.1", "'; DROP TABLE x; --", "", " , ", "1.2.3.4:80"])
def test_a_garbage_header_falls_back_to_the_peer_address(settings, garbage):
    settings.TRUSTED_PROXY_COUNT = 1
    assert audit.client_ip(request(garbage)) == "10.0.0.9"


def test_a_garbage_header_does_not_break_an_audited_read(client_for, caseworker, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    person = PersonFactory(region_id="220102")
    response = client_for(caseworker).get(f"/applicants/{person.pk}/", HTTP_X_FORWARDED_FOR="garbage")
    assert response.status_code == 200
    assert AccessLog.objects.get(object_id=str(person.pk)).ip_address == "127.0.0.1"


def test_log_read_stores_the_trusted_address(settings, caseworker):
    settings.TRUSTED_PROXY_COUNT = 0
    person = PersonFactory(region_id="220102")
    log = log_read(user=caseworker, obj=person, request=request("6.6.6.6"))
    assert log.ip_address == "10.0.0.9"
