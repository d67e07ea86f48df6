"""The client's address: REMOTE_ADDR, or behind wushe's proxy the address the proxy wrote."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from wushe.core.web import client_ip


def _request(**meta: str) -> Any:
    request = RequestFactory().get("/")
    request.META.update(meta)
    return request


def test_without_a_proxy_the_forwarded_header_is_not_trusted(settings: Any) -> None:
    settings.WUSHE_BEHIND_PROXY = False
    assert client_ip(_request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.5"


def test_behind_the_proxy_the_last_forwarded_address_counts(settings: Any) -> None:
    settings.WUSHE_BEHIND_PROXY = True
    # a client sending its own header first cannot choose its address: nginx's is the last
    forged = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(forged) == "203.0.113.9"
    assert client_ip(_request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request(REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
