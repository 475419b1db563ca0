"""What cms/internals/corsheaders.py relies on in django-cors-headers' CorsMiddleware still holds."""

import inspect

import pytest
from corsheaders.conf import conf
from corsheaders.defaults import default_headers
from corsheaders.middleware import CorsMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from cms.internals.corsheaders import PublicReadCorsMiddleware

LISTED = "https://frontend.test"


@pytest.fixture(autouse=True)
def _cors(settings):
    settings.CORS_URLS_REGEX = r"^/api/"
    settings.CORS_ALLOWED_ORIGINS = [LISTED]
    settings.CORS_ALLOWED_ORIGIN_REGEXES = [r"https://[a-z]+\.psg\.test"]
    settings.CORS_ALLOW_CREDENTIALS = True


def parameters(method):
    return list(inspect.signature(method).parameters)


def test_the_overridden_methods_keep_their_signatures():
    assert parameters(CorsMiddleware.check_preflight) == ["self", "request"]
    assert parameters(CorsMiddleware.add_response_headers) == ["self", "request", "response"]
    assert parameters(CorsMiddleware.regex_domain_match) == ["self", "origin"]
    assert parameters(CorsMiddleware.is_enabled) == ["self", "request"]


class Recording(CorsMiddleware):
    """CorsMiddleware noting which of its methods run, in order."""

    def __init__(self, get_response, calls, preflight_answer=None):
        super().__init__(get_response)
        self.calls, self.preflight_answer = calls, preflight_answer

    def check_preflight(self, request):
        self.calls.append("check_preflight")
        return self.preflight_answer or super().check_preflight(request)

    def add_response_headers(self, request, response):
        self.calls.append("add_response_headers")
        return super().add_response_headers(request, response)

    def regex_domain_match(self, origin):
        self.calls.append("regex_domain_match")
        return False


def view_noting(calls):
    def view(request):
        calls.append("view")
        return HttpResponse("ok")

    return view


def test_a_request_runs_check_preflight_then_the_view_then_add_response_headers():
    calls = []
    request = RequestFactory().get("/api/", HTTP_ORIGIN="https://www.psg.test")
    response = Recording(view_noting(calls), calls)(request)
    assert calls == ["check_preflight", "view", "add_response_headers", "regex_domain_match"]
    # regex_domain_match decides: refused here, so no access-control-allow-origin at all.
    assert "access-control-allow-origin" not in response


def test_an_answer_from_check_preflight_replaces_the_view_and_still_gets_headers():
    calls = []
    request = RequestFactory().options("/api/", HTTP_ORIGIN=LISTED, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    refusal = HttpResponse(status=429)
    response = Recording(view_noting(calls), calls, preflight_answer=refusal)(request)
    assert response is refusal
    assert calls == ["check_preflight", "add_response_headers"]
    assert response["access-control-allow-origin"] == LISTED


def test_an_unlisted_origin_gets_no_allow_origin_and_the_url_regex_decides_is_enabled():
    middleware = CorsMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/api/", HTTP_ORIGIN="https://partner.example"))
    assert "access-control-allow-origin" not in response
    assert middleware.is_enabled(RequestFactory().get("/api/x"))
    assert not middleware.is_enabled(RequestFactory().get("/admin/"))


def test_conf_reads_the_settings_with_the_library_defaults(settings):
    # Unset, the library's defaults; set (as cms/settings does), the setting.
    del settings.CORS_ALLOW_HEADERS
    assert list(conf.CORS_ALLOW_HEADERS) == list(default_headers)
    settings.CORS_ALLOW_HEADERS = (*default_headers, "x-request-id")
    assert "x-request-id" in conf.CORS_ALLOW_HEADERS
    settings.CORS_ALLOW_METHODS = ["GET"]
    assert list(conf.CORS_ALLOW_METHODS) == ["GET"]
    assert conf.CORS_ALLOWED_ORIGIN_REGEXES == [r"https://[a-z]+\.psg\.test"]


@pytest.mark.parametrize(
    ("origin", "allow_origin", "credentials"),
    [
        (LISTED, LISTED, "true"),
        ("https://www.psg.test", "https://www.psg.test", "true"),
        ("https://www.psg.test.evil.example", "*", None),
        ("https://partner.example", "*", None),
    ],
)
def test_the_subclass_answers_star_to_unlisted_origins_and_matches_patterns_whole(
    origin, allow_origin, credentials
):
    middleware = PublicReadCorsMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/api/", HTTP_ORIGIN=origin))
    assert response["access-control-allow-origin"] == allow_origin
    assert response.get("access-control-allow-credentials") == credentials
    assert "origin" in response["vary"].lower()


def test_the_subclass_leaves_urls_without_cors_alone():
    middleware = PublicReadCorsMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/admin/", HTTP_ORIGIN="https://partner.example"))
    assert "access-control-allow-origin" not in response
