"""JSON logs with request ids, the X-Request-ID header, and publishing in Wagtail's audit log."""

import io
import json
import logging
import re
import subprocess

import pytest
from django.test import Client
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from api.graphql.view import GraphQLHTTPView
from cms.logging import JsonFormatter, RequestIdFilter
from cms.request_id import RequestIdMiddleware, get_request_id
from tests.factories import NewsPageFactory, make_site
from tests.ops.conftest import BIN, ROOT, production_env

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def json_logger(stream):
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.ops.json")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.INFO
    return logger


def test_formatter_writes_one_json_object_with_the_request_id(rf):
    stream = io.StringIO()
    logger = json_logger(stream)

    def view(request):
        logger.info("Handling %s", request.path)
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("It failed")
        from django.http import HttpResponse

        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.get("/somewhere", HTTP_X_REQUEST_ID="req-42"))
    logger.warning("Outside any request")
    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())

    assert response["X-Request-ID"] == "req-42"
    assert first["message"] == "Handling /somewhere"
    assert (first["level"], first["logger"], first["request_id"]) == ("INFO", "tests.ops.json", "req-42")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", first["timestamp"])
    assert "exc_info" not in first
    assert second["request_id"] == "req-42" and second["level"] == "ERROR"
    assert "ValueError: boom" in second["exc_info"] and "Traceback" in second["exc_info"]
    assert third["request_id"] is None
    assert get_request_id() is None  # the context is reset after the request


@pytest.mark.django_db
def test_request_id_header_round_trips(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc.DEF-123_4")
    assert response["X-Request-ID"] == "abc.DEF-123_4"
    # Unsafe or absent: replaced by a fresh id, never echoed.
    for headers in ({"HTTP_X_REQUEST_ID": "x" * 65}, {"HTTP_X_REQUEST_ID": "<script>"}, {}):
        response = client.get("/healthz", **headers)
        assert HEX_ID.match(response["X-Request-ID"]), response["X-Request-ID"]
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]
    response = client.post(
        "/graphql/",
        data='{"query": "{ __typename }"}',
        content_type="application/json",
        HTTP_X_REQUEST_ID="from-the-frontend",
    )
    assert response.status_code == 200 and response["X-Request-ID"] == "from-the-frontend"


@pytest.mark.django_db
def test_graphql_errors_carry_the_middlewares_id(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(GraphQLHTTPView, "run", broken)
    client = Client(raise_request_exception=False)
    response = client.post("/graphql/", data='{"query": "{ __typename }"}', content_type="application/json")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert HEX_ID.match(request_id)
    assert response.json()["errors"][0]["extensions"]["requestId"] == request_id


def test_production_logs_are_json_lines_on_stdout():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('cms.ops').warning('hello %s', 'world'); "
        "logging.getLogger('django.request').error('a django error')"
    )
    result = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-c", script],
        cwd=ROOT,
        env=production_env(DATABASE_URL="sqlite:///unused.sqlite3"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("cms.ops", "hello world"),
        ("django.request", "a django error"),
    ]
    assert all(line["request_id"] is None for line in lines)


@pytest.mark.django_db
def test_publishing_through_the_admin_is_in_the_audit_log(django_user_model):
    page = NewsPageFactory(parent=make_site()[1], title="Draft statement", live=False)
    admin = django_user_model.objects.create_superuser("auditor", "auditor@example.org", "pw")
    client = Client()
    client.force_login(admin)
    form = {
        "title": "Statement on Las Bambas",
        "slug": page.slug,
        "publication_date": "2026-11-20",
        "topics": "",
        "summary": "A statement.",
        "main_image": "",
        "body": streamfield([("paragraph", rich_text("<p>The statement.</p>"))]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "action-publish",
    }
    response = client.post(f"/admin/pages/{page.id}/edit/", nested_form_data(form))
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.live and page.title == "Statement on Las Bambas"
    entry = PageLogEntry.objects.filter(page=page, action="wagtail.publish").get()
    assert entry.user == admin
    assert entry.revision_id == page.live_revision_id


@pytest.mark.django_db
def test_scheduler_publishes_due_pages_and_logs_it():
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    page = NewsPageFactory(parent=make_site()[1], title="Embargoed", live=False)
    revision = page.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    assert not page.live and revision.approved_go_live_at
    call_command("run_scheduler", "--iterations", "1", verbosity=0)
    page.refresh_from_db()
    assert page.live
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").exists()
