"""No hidden content through any root field or relation: the schema is walked, not listed by hand.

The fixture (hidden_content/content.py) holds drafts, unpublished revisions, restricted, scheduled
and expired pages, pages under hidden parents, and media in restricted collections, each with its own
marker, next to public content that refers to them. The walker (hidden_content/walker.py) asks every
root field of the live schema for everything under it, with each argument value in ARGUMENTS, over
HTTP as an anonymous client; no response may contain a hidden marker. A new root field, type or
relation is walked without touching this file; a new required argument fails until ARGUMENTS has it.
"""

import json

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from graphene.utils.str_converters import to_camel_case

from api.graphql.interfaces import PageInterface
from api.graphql.page_types import declared_fields, served_page_models
from api.graphql.page_types import page_type as graphql_type_of
from api.graphql.schema import schema
from tests.api.hidden_content import content as fixture
from tests.api.hidden_content import walker as walker_module
from tests.api.hidden_content.walker import (
    ArgumentTable,
    EnumValue,
    Walker,
    fixed,
    invalid,
    only_hidden,
    reachable_fields,
    vary,
)

pytestmark = pytest.mark.django_db

GRAPHQL_SCHEMA = schema.graphql_schema
ROOT_FIELDS = sorted(GRAPHQL_SCHEMA.query_type.fields)

# Codes of the refusals the walker provokes on purpose (anything else in a 400 is a broken query).
INPUT_ERROR_CODES = {"BAD_USER_INPUT", "PREVIEW_TOKEN_INVALID"}

# Wagtail's editorial and tree fields: none may be a field of a page type. The page interface's own
# `parent`, `ancestors` and `children` are not Wagtail's: they read public pages only (api.tree), and
# the walk below follows them like any relation.
EDITORIAL_FIELDS = {
    "draftTitle",
    "owner",
    "locked",
    "lockedAt",
    "lockedBy",
    "goLiveAt",
    "expireAt",
    "expired",
    "live",
    "hasUnpublishedChanges",
    "latestRevision",
    "latestRevisionCreatedAt",
    "liveRevision",
    "revisions",
    "contentType",
    "depth",
    "numchild",
    "urlPath",
    "aliasOf",
    "aliases",
    "translationKey",
    "locale",
    "localized",
    "wagtailAdminComments",
    "showInMenus",
    "lastPublishedBy",
    "descendants",
    "siblings",
    "viewRestrictions",
    "groupPermissions",
    "workflowStates",
    "subscribers",
}


def _enum_values(type_name, invalid_names=()):
    names = GRAPHQL_SCHEMA.get_type(type_name).values
    return vary(*(invalid(EnumValue(n)) if n in invalid_names else EnumValue(n) for n in names))


def _search_terms(content):
    # Only hidden content holds a hidden marker: searching for one must find nothing.
    return vary(*(only_hidden(mark) for mark in content.hidden), *content.public_page_markers)


# Argument values by "Type.field.arg", "*.arg" or argument type (see walker.ArgumentTable). Enums not
# listed get each value; other nullable arguments not listed are left out.
ARGUMENTS = {
    "Query.page.path": lambda c: vary(*c.hidden_paths, *c.public_paths, "/", invalid("news/")),
    "Query.page.id": lambda c: vary(*c.hidden_page_ids, c.public_page_ids[0], invalid("not-an-id")),
    "Query.redirect.path": lambda c: vary(*c.redirect_paths, *c.hidden_paths),
    "Query.search.query": _search_terms,
    "Query.news.search": _search_terms,
    "Query.news.topic": lambda c: vary(*map(only_hidden, c.hidden_topic_slugs), *c.public_topic_slugs),
    # RELEVANCE needs a search term: without one it is refused (400).
    "Query.news.order": lambda c: _enum_values("NewsOrder", invalid_names={"RELEVANCE"}),
    "*.token": vary(invalid("garbage-preview-token")),
    "*.handle": vary("main"),
    "*.pageSize": fixed(50),
    "ImageFilter": lambda c: fixed(EnumValue(next(iter(GRAPHQL_SCHEMA.get_type("ImageFilter").values)))),
}
# Root fields whose call without optional arguments is refused on purpose.
BARE_CALL_STATUS = {"Query.page": 400}

# Public content each root field must still serve (so the test cannot pass by serving nothing).
PUBLIC_EXPECTED = {
    "page": ["PUBLIC-NEWS", "PUBLIC-EVENT", "PUBLIC-STANDARD", "PUBLIC-JOIN", "PUBLIC-IMAGE"],
    "home": ["PUBLIC-NEWS", "PUBLIC-EVENT", "PUBLIC-IMAGE", "PUBLIC-DOCUMENT"],
    "news": ["PUBLIC-NEWS", "PUBLIC-REVISED-NEWS", "PUBLIC-IMAGE", "PUBLIC-DOCUMENT", "PUBLIC-TOPIC"],
    "events": ["PUBLIC-EVENT", "PUBLIC-PAST-EVENT"],
    "search": ["PUBLIC-NEWS", "PUBLIC-STANDARD", "PUBLIC-EVENT"],
    "sitemap": ["PUBLIC-NEWS", "PUBLIC-STANDARD", "PUBLIC-JOIN"],
    "menu": ["PUBLIC-STANDARD"],
    "newsTopics": ["PUBLIC-TOPIC"],
    "redirect": ["PUBLIC-NEWS"],
    "redirects": ["PUBLIC-NEWS"],
}


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("hidden-content-media")


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker, media):
    """The fixture, built once for this module's read-only requests and rolled back after them."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        built = fixture.build()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, media):
    # Replaces conftest's fixture: renditions are made next to the module's images.
    settings.MEDIA_ROOT = media


@pytest.fixture(scope="module")
def walker(content):
    table = ArgumentTable(ARGUMENTS, content, bare_call_status=BARE_CALL_STATUS)
    return Walker(GRAPHQL_SCHEMA, table, settings.GRAPHQL_LIMITS)


@pytest.fixture(scope="module")
def responses():
    """{root field: [(request, status, body)]}, filled by the walks, read by the public-content check."""
    return {}


def _post(client, query):
    response = client.post("/graphql/", data=json.dumps({"query": query}), content_type="application/json")
    return response.status_code, response.content.decode()


def _where(data, needle, path=""):
    """JSON paths of the strings in `data` that contain `needle` (case-insensitive)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _where(value, needle, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _where(value, needle, f"{path}[{index}]")
    elif isinstance(data, str) and needle in data.lower():
        yield f"{path} = {data[:160]!r}"


def _values(data, key):
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                yield value
            yield from _values(value, key)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value, key)


def _problems(request, status, body, content):
    """What is wrong with one response: hidden markers in it, an unexpected status, a broken query."""
    found = []
    try:
        payload = json.loads(body)
    except ValueError:
        return [f"{request.label()}: answered {status} with a body that is not JSON: {body[:200]!r}"]
    lowered = body.lower()
    for mark, description in content.hidden.items():
        if mark.lower() in lowered:
            places = "; ".join(_where(payload, mark.lower())) or "(in the raw body)"
            found.append(f"{request.label()}: LEAK of {description} [{mark}] at {places}")
    errors = payload.get("errors") or []
    if status != request.status:
        found.append(f"{request.label()}: status {status}, expected {request.status}: {errors}")
    elif status == 200 and errors:
        found.append(f"{request.label()}: errors in a 200 answer: {errors}")
    elif status == 400:
        codes = {(e.get("extensions") or {}).get("code") for e in errors}
        if not errors or not codes <= INPUT_ERROR_CODES:
            found.append(
                f"{request.label()}: refused with {codes or 'no error'}, not an input error: {errors}"
            )
    if request.matches_nothing and status == 200:
        counts = [count for count in _values(payload.get("data"), "totalCount") if count]
        items = [item for items in _values(payload.get("data"), "items") for item in items or ()]
        if counts or items:
            titles = [item.get("title") for item in items if isinstance(item, dict)]
            found.append(
                f"{request.label()}: only hidden content matches, yet it found {counts or len(items)} "
                f"item(s) {titles}: hidden text is searchable/filterable"
            )
    return found


def _walk(root_field, walker, content, responses):
    walk = walker.walk(root_field)
    assert not walk.problems, "The walker cannot ask for this field:\n" + "\n".join(walk.problems)
    assert walk.requests, f"{root_field}: the walker built no request"
    results = []
    anonymous = Client()  # never logs in; one for the walk (a client per request reloads middleware)
    for request in walk.requests:
        status, body = _post(anonymous, request.query)
        results.append((request, status, body))
    responses[root_field] = results
    return walk, results


@pytest.mark.parametrize("root_field", ROOT_FIELDS)
def test_root_field_serves_no_hidden_content(root_field, walker, content, responses):
    _walk_result, results = _walk(root_field, walker, content, responses)
    problems = [problem for result in results for problem in _problems(*result, content)]
    assert not problems, f"{len(problems)} problem(s) under `{root_field}`:\n" + "\n".join(problems)


def test_every_reachable_field_is_walked(walker):
    covered, problems = set(), []
    for root_field in ROOT_FIELDS:
        walk = walker.walk(root_field)
        covered |= walk.covered
        problems += walk.problems
    assert not problems, "\n".join(problems)
    missing = sorted(f"{t}.{f}" for t, f in reachable_fields(GRAPHQL_SCHEMA) - covered)
    assert not missing, f"Fields no walk selects (raise the depth or split the walk): {missing}"


def test_public_content_is_still_served(walker, content, responses):
    """Sanity: the walk returns public content, so a pass cannot come from answering nothing."""
    missing = []
    for root_field in ROOT_FIELDS:
        results = responses.get(root_field) or _walk(root_field, walker, content, responses)[1]
        bodies = " ".join(body.lower() for _request, status, body in results if status == 200)
        for kind in PUBLIC_EXPECTED.get(root_field, ()):
            if fixture.marker(kind).lower() not in bodies:
                missing.append(f"{root_field}: {kind}")
    everything = " ".join(body.lower() for results in responses.values() for *_rest, body in results)
    missing += [f"anywhere: {mark}" for mark in content.public if mark.lower() not in everything]
    assert not missing, f"Public content missing from the walk's answers: {missing}"


def test_page_types_expose_only_public_fields(client):
    query = "{ __schema { types { name kind interfaces { name } fields { name } } } }"
    with override_settings(GRAPHQL_INTROSPECTION=True):
        response = client.post(
            "/graphql/", data=json.dumps({"query": query}), content_type="application/json"
        )
    assert response.status_code == 200, response.content
    types = {t["name"]: t for t in response.json()["data"]["__schema"]["types"]}
    models = {graphql_type_of(model)._meta.name: model for model in served_page_models()}
    interface_fields = {to_camel_case(name) for name in PageInterface._meta.fields}
    page_types = [t for t in types.values() if any(i["name"] == "Page" for i in t["interfaces"] or ())]
    assert sorted(t["name"] for t in page_types) == sorted(models), "page types and page models differ"

    unexpected = {}
    for page_type in page_types:
        model = models[page_type["name"]]
        declared = {to_camel_case(field.name) for field in declared_fields(model)}
        allowed = interface_fields | declared
        names = {f["name"] for f in page_type["fields"]}
        extra = sorted(names - allowed) + sorted(names & EDITORIAL_FIELDS)
        if extra:
            unexpected[page_type["name"]] = extra
    page_interface = {f["name"] for f in types["Page"]["fields"]}
    if page_interface - interface_fields or page_interface & EDITORIAL_FIELDS:
        unexpected["Page"] = sorted((page_interface - interface_fields) | (page_interface & EDITORIAL_FIELDS))
    assert not unexpected, f"Page types expose fields beyond their declared public ones: {unexpected}"


def test_fixture_is_hidden_the_way_wagtail_keeps_it(content):
    """The fixture's states are the ones the walk relies on (not simplified into plain drafts)."""
    from wagtail.models import Page

    pages = {name: Page.objects.get(pk=page.pk) for name, page in content.pages.items()}
    assert not pages["draft_news"].live and pages["draft_news"].first_published_at is None
    assert not pages["scheduled_news"].live and pages["scheduled_news"].go_live_at is not None
    assert pages["expired_news"].live and not pages["expired_news"].expired
    assert pages["under_draft"].live and not pages["draft_standard"].live
    revised = pages["revised_news"]
    assert revised.live and revised.has_unpublished_changes
    assert "UNPUBLISHED-REVISION" in revised.latest_revision.content["title"]
    assert "UNPUBLISHED-REVISION" not in revised.title


def test_a_required_argument_without_a_value_fails_naming_the_field(walker):
    """A root field the table cannot feed fails the walk by name instead of being skipped."""
    import graphene

    class Query(graphene.ObjectType):
        venue_by_code = graphene.String(code=graphene.String(required=True))

    unfed = Walker(graphene.Schema(query=Query).graphql_schema, walker.table, walker.limits)
    problems = unfed.walk("venueByCode").problems
    assert problems and "Query.venueByCode" in problems[0] and "`code: String!`" in problems[0]


def _selected_paths(query):
    """Every field a query selects, as its path of fields and fragment types from the root."""
    from graphql import parse
    from graphql.language import FieldNode, InlineFragmentNode

    paths = set()

    def visit(selection_set, path):
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                visit(selection.selection_set, (*path, f"on {selection.type_condition.name.value}"))
            elif isinstance(selection, FieldNode):
                paths.add((*path, selection.name.value))
                if selection.selection_set:
                    visit(selection.selection_set, (*path, selection.name.value))

    visit(parse(query).definitions[0].selection_set, ())
    return paths


def test_a_query_over_the_limits_is_split_without_losing_fields(walker):
    """When the schema outgrows one request per root field, the parts stay valid and cover it all."""
    from graphql import parse, specified_rules, validate

    tight = {**walker.limits, "MAX_TOKENS": 300, "MAX_ALIASES": 2}
    # Under the server's own limits the page walk may already take several requests: together they
    # are the whole tree.
    whole_parts = [r.query for r in walker.walk("page").requests if not r.args]
    parts = [r.query for r in Walker(GRAPHQL_SCHEMA, walker.table, tight).walk("page").requests if not r.args]
    assert len(parts) > 2
    for part in parts:
        assert not validate(GRAPHQL_SCHEMA, parse(part), specified_rules), part
        assert walker_module.count_tokens(part) <= tight["MAX_TOKENS"]
    assert len(parts) > len(whole_parts)
    assert set().union(*map(_selected_paths, parts)) == set().union(*map(_selected_paths, whole_parts))
