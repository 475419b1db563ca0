"""Which peers may set X-Forwarded-Proto (cms/forwarded.py), as the WSGI application sees it."""

import pytest

from cms.forwarded import TrustedForwardedProto


def seen(allowed, remote, proto="https"):
    """(X-Forwarded-Proto, wsgi.url_scheme) as the wrapped application receives them."""
    received = {}

    def app(environ, start_response):
        received.update(environ)
        return []

    environ = {"REMOTE_ADDR": remote, "wsgi.url_scheme": "http"}
    if proto is not None:
        environ["HTTP_X_FORWARDED_PROTO"] = proto
    TrustedForwardedProto(app, allowed)(environ, None)
    return received.get("HTTP_X_FORWARDED_PROTO"), received["wsgi.url_scheme"]


@pytest.mark.parametrize(
    ("allowed", "remote"),
    [
        (["127.0.0.1"], "127.0.0.1"),
        (["10.0.0.0/8"], "10.1.2.3"),
        (["*"], "203.0.113.9"),
        (["fd00::/8", "192.0.2.1"], "fd00::1"),
        (["not-an-address", "192.0.2.1"], "192.0.2.1"),
    ],
)
def test_trusted_peers_set_the_scheme(allowed, remote):
    assert seen(allowed, remote) == ("https", "https")


@pytest.mark.parametrize(
    ("allowed", "remote"),
    [
        (["127.0.0.1"], "127.0.0.2"),
        (["10.0.0.0/8"], "11.0.0.1"),
        ([], "127.0.0.1"),
        (["not-an-address"], "not-an-address"),
        (["127.0.0.1"], ""),
    ],
)
def test_anyone_else_loses_the_header(allowed, remote):
    assert seen(allowed, remote) == (None, "http")


def test_only_http_and_https_set_the_scheme():
    assert seen(["127.0.0.1"], "127.0.0.1", "javascript") == ("javascript", "http")
    assert seen(["127.0.0.1"], "127.0.0.1", "HTTPS, http") == ("HTTPS, http", "https")
    assert seen(["127.0.0.1"], "127.0.0.1", None) == (None, "http")
