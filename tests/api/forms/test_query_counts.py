"""Forms on a list of pages cost the SQL of a form on one page."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import FormPageFactory, FormPageFieldFactory, make_site

QUERY = """query($n: Int!) { search(query: "Signup", pageSize: $n) { items { title
  ... on FormPage { form { fields { name label type required choices helpText maxLength defaultValues }
    submitLabel confirmationMessage redirectPath honeypot token captcha { siteKey } } } } } }"""


@pytest.fixture
def form_pages(db, settings):
    settings.GRAPHQL_RESPONSE_CACHE = False
    home, _news, _events = make_site()
    for n in range(20):
        page = FormPageFactory(parent=home, title=f"Signup {n}", slug=f"signup-{n}")
        FormPageFieldFactory(page=page, label="Email", field_type="email")
        FormPageFieldFactory(page=page, label="Topics", field_type="checkboxes", choices="A\nB")
        FormPageFieldFactory(page=page, label="Consent", field_type="checkbox")


def query_count(client, size):
    body = json.dumps({"query": QUERY, "variables": {"n": size}})
    client.post("/graphql/", data=body, content_type="application/json")
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", data=body, content_type="application/json")
    payload = response.json()
    assert response.status_code == 200 and "errors" not in payload, payload
    items = payload["data"]["search"]["items"]
    assert len(items) == size
    assert all(len(item["form"]["fields"]) == 3 for item in items)
    return len(captured.captured_queries)


def test_the_forms_of_20_pages_cost_the_sql_of_one(client, form_pages):
    counts = {size: query_count(client, size) for size in (1, 5, 20)}
    assert len(set(counts.values())) == 1, counts
