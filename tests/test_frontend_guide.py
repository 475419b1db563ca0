"""docs/frontend.md, run: every GraphQL query in the guide against the demo content, answering what it shows.

The guide's conventions (stated at its top, parsed here exactly):

* a runnable query is a fenced block with the info string ``graphql``, one named operation;
* a ``graphql`` block of fragments alone is shared: a query that spreads one is run with it;
* its variables are a ``json`` block after it whose first line is ``// variables``;
* an excerpt of the answer is a ``json`` block whose first line is ``// response (excerpt)``, or
  ``// response (excerpt), HTTP 400`` for an example that shows an error. One query may have several
  variables/response pairs; every pair is run.

An excerpt is the response body cut down: objects keep only some keys, a list keeps only its first
items (`"…"` as an item stands for items left out; `[]` means empty), and `…` inside a string stands
for text left out. The real answer must contain everything the excerpt shows.

To refresh the excerpts after the API or the demo content changed, run this module with
FRONTEND_GUIDE_DUMP=<directory>: the full real answers are written there, one file per example.
"""

import json
import os
import re
from dataclasses import dataclass, field
from html import unescape
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings
from graphql import (
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    NoDeprecatedCustomRule,
    OperationDefinitionNode,
    build_schema,
    is_scalar_type,
    is_specified_scalar_type,
    parse,
    validate,
    visit,
)
from graphql.language import Visitor
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.redirects.models import Redirect
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from api.forms.guards import form_token
from events.models import EventPage
from news.models import NewsPage

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "frontend.md"
SCHEMA_SDL = ROOT / "schema.graphql"

FENCE_RE = re.compile(r"^```([^`\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
RESPONSE_RE = re.compile(r"^// response \(excerpt\)(?:, HTTP (\d{3}))?$")
ELLIPSIS = "…"

# The pages of the site the guide must cover, by operation name.
REQUIRED_OPERATIONS = {
    "Home",
    "NewsList",
    "NewsTopics",
    "NewsItem",
    "Events",
    "EventItem",
    "StandingPage",
    "JoinPage",
    "JoinForm",
    "FormToken",
    "SubmitForm",
    "Search",
    "Sitemap",
    "Route",
    "Preview",
}

# What the guide says about the preview round trip (its "Preview" section).
PREVIEWED_PATH = "/news/loreto-oil-spills-conflict-continues/"
DRAFT_TITLE = "Loreto oil spills: strike enters its third month"
DRAFT_SUMMARY = "Indigenous communities in Loreto are still blocking the river Marañon."
DRAFT_PARAGRAPH = "<p>The strike that began in September continues.</p>"

# The guide's redirect example (its "Redirects" section): an old path and the page it now leads to.
OLD_PATH = "/news/tpp/"
MOVED_PAGE_SLUG = "opposition-to-tpp"

pytestmark = pytest.mark.django_db


# --- Reading the guide ----------------------------------------------------------------------------


@dataclass
class Example:
    variables: dict | None
    excerpt: object
    status: int
    line: int


@dataclass
class GuideQuery:
    text: str
    line: int
    name: str = ""
    examples: list[Example] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)  # the shared fragments it spreads

    @property
    def document(self):
        """What is sent: the query and the shared fragments it spreads, as codegen reads them."""
        return "\n".join([self.text, *self.fragments])


@dataclass
class GuideFragment:
    text: str
    line: int
    name: str


def _spread_names(text):
    names = set()

    class Spreads(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_args):
            names.add(node.name.value)

    visit(parse(text), Spreads())
    return names


def parse_fragments(text):
    """The guide's shared fragments: `graphql` blocks holding fragment definitions only."""
    fragments = []
    for match in FENCE_RE.finditer(text):
        if match.group(1).strip() != "graphql":
            continue
        definitions = parse(match.group(2)).definitions
        if all(isinstance(d, FragmentDefinitionNode) for d in definitions):
            line = text.count("\n", 0, match.start()) + 1
            assert len(definitions) == 1, f"line {line}: one shared fragment per block (one file each)"
            fragments.append(GuideFragment(match.group(2), line, definitions[0].name.value))
    return fragments


def _annotated_json(body, line):
    first, _, rest = body.partition("\n")
    try:
        return first.strip(), json.loads(rest)
    except ValueError as exc:
        message = f"docs/frontend.md line {line}: the JSON after `{first}` is invalid: {exc}"
        raise AssertionError(message) from None


def parse_guide(text):
    """The guide's queries in order, each with its examples (variables, excerpt, expected status)."""
    queries = []
    shared = {fragment.name: fragment for fragment in parse_fragments(text)}
    pending = None  # (variables, line) waiting for their response excerpt
    for match in FENCE_RE.finditer(text):
        info, body = match.group(1).strip(), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        if info == "graphql" and line in {fragment.line for fragment in shared.values()}:
            continue
        if info == "graphql":
            assert pending is None, f"line {pending[1]}: variables without a response excerpt"
            queries.append(GuideQuery(text=body, line=line))
            continue
        if info != "json" or not body.lstrip().startswith("//"):
            continue  # illustrative JSON, not tied to a query
        assert queries, f"docs/frontend.md line {line}: an annotated json block before any query"
        comment, value = _annotated_json(body, line)
        if comment == "// variables":
            assert pending is None, f"line {line}: two variables blocks in a row"
            assert isinstance(value, dict), f"line {line}: variables must be a JSON object"
            pending = (value, line)
        elif response := RESPONSE_RE.match(comment):
            variables = pending[0] if pending else None
            status = int(response.group(1) or 200)
            queries[-1].examples.append(Example(variables, value, status, line))
            pending = None
        else:
            raise AssertionError(f"docs/frontend.md line {line}: unknown annotation `{comment}`")
    assert pending is None, f"line {pending[1]}: variables without a response excerpt"
    for query in queries:
        operations = [d for d in parse(query.text).definitions if isinstance(d, OperationDefinitionNode)]
        assert len(operations) == 1, f"line {query.line}: one operation per block"
        assert operations[0].name, f"line {query.line}: name the operation (codegen needs it)"
        query.name = operations[0].name.value
        defined = {
            d.name.value for d in parse(query.text).definitions if isinstance(d, FragmentDefinitionNode)
        }
        needed, seen = _spread_names(query.text) - defined, []
        while needed:
            name = needed.pop()
            assert name in shared, f"line {query.line}: `...{name}` is defined nowhere in the guide"
            seen.append(name)
            needed |= _spread_names(shared[name].text) - defined - set(seen)
        query.fragments = [shared[name].text for name in sorted(seen)]
    return queries


QUERIES = parse_guide(GUIDE.read_text(encoding="utf-8"))
FRAGMENTS = parse_fragments(GUIDE.read_text(encoding="utf-8"))
EXAMPLES = [
    pytest.param(query, example, id=query.name if len(query.examples) == 1 else f"{query.name}-{n}")
    for query in QUERIES
    for n, example in enumerate(query.examples, start=1)
]


# --- Comparing an excerpt with the real answer ----------------------------------------------------


def _string_matches(excerpt, real):
    if ELLIPSIS not in excerpt:
        return excerpt == real
    pattern = ".*".join(re.escape(part) for part in excerpt.split(ELLIPSIS))
    return re.fullmatch(pattern, real, re.DOTALL) is not None


def _list_matches(excerpt, real):
    if not excerpt:
        return not real
    # Items in a row match items in a row; "…" skips any number; whatever follows the last is left out.
    segments, current = [], []
    for item in excerpt:
        if item == ELLIPSIS:
            segments.append(current)
            current = []
        else:
            current.append(item)
    segments.append(current)

    def run_matches(run, start):
        return start + len(run) <= len(real) and all(
            matches(item, real[start + i]) for i, item in enumerate(run)
        )

    def search(index, position, anchored):
        if index == len(segments):
            return True
        run = segments[index]
        starts = [position] if anchored else range(position, len(real) - len(run) + 1)
        return any(run_matches(run, s) and search(index + 1, s + len(run), False) for s in starts)

    return search(0, 0, anchored=True)


def matches(excerpt, real):
    """Whether `real` contains everything `excerpt` shows."""
    if isinstance(excerpt, dict):
        return isinstance(real, dict) and all(
            key in real and matches(value, real[key]) for key, value in excerpt.items()
        )
    if isinstance(excerpt, list):
        return isinstance(real, list) and _list_matches(excerpt, real)
    if isinstance(excerpt, str):
        return isinstance(real, str) and _string_matches(excerpt, real)
    if isinstance(excerpt, bool) or isinstance(real, bool):
        return excerpt is real
    return excerpt == real


def first_mismatch(excerpt, real, where="$"):
    """Where `excerpt` and `real` part, for a readable failure."""
    if isinstance(excerpt, dict) and isinstance(real, dict):
        for key, value in excerpt.items():
            if key not in real:
                return f"{where}.{key}: missing from the real answer"
            if not matches(value, real[key]):
                return first_mismatch(value, real[key], f"{where}.{key}")
    if isinstance(excerpt, list) and isinstance(real, list) and ELLIPSIS not in excerpt:
        for i, item in enumerate(excerpt):
            if i >= len(real):
                return f"{where}[{i}]: the real list has only {len(real)} items"
            if not matches(item, real[i]):
                return first_mismatch(item, real[i], f"{where}[{i}]")
    shown, answered = (json.dumps(value, ensure_ascii=False)[:300] for value in (excerpt, real))
    return f"{where}: the guide shows {shown}, the API answers {answered}"


def test_excerpt_matching():
    real = {"a": [1, 2, 3, 4], "s": "Human Rights and Development", "n": None, "b": False}
    assert matches({"a": [1, 2]}, real)
    assert matches({"a": [1, ELLIPSIS, 4]}, real)
    assert matches({"a": [ELLIPSIS, 3]}, real)
    assert not matches({"a": [2]}, real)
    assert not matches({"a": []}, real)
    assert matches({"s": "Human Rights…"}, real)
    assert matches({"s": "…Development"}, real)
    assert not matches({"s": "Human"}, real)
    assert matches({"n": None, "b": False}, real)
    assert not matches({"b": 0}, real)
    assert not matches({"x": None}, real)


# --- The demo content, loaded once ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("guide-media")


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, demo_media):
    """The demo content, loaded once for the module and rolled back after it (see test_demo_graphql)."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        # What runs once the loader's saves commit (renditions, placeholders) runs here too.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_content", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(autouse=True)
def _demo(loaded_demo):
    pass


# --- What some examples need first ----------------------------------------------------------------


def press_preview(url, fields):
    """An editor fills in the page form and presses Preview: return the frontend URL the admin opens."""
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("guide-editor", "editor@example.org", "pw"))
    fields = dict(fields)
    topics = fields.pop("topics", "")  # the ids of the ticked topics: the name repeated, not nested
    form = nested_form_data({**fields, "body": streamfield([("paragraph", rich_text(DRAFT_PARAGRAPH))])})
    form["topics"] = topics
    response = editor.post(url, form)
    assert response.json()["is_valid"] is True, response.content.decode()[:2000]
    html = editor.get(url).content.decode()
    frame = re.search(r'<iframe src="([^"]+)"', html)
    assert frame, html[:2000]
    return unescape(frame.group(1))


def prepare(query, example, settings):
    """Variables for an example, after making the state it needs (a preview token, a redirect)."""
    variables = dict(example.variables or {})
    if query.name == "Preview" and example.status == 200:
        page = NewsPage.objects.get(url_path__endswith=PREVIEWED_PATH)
        fields = {
            "title": DRAFT_TITLE,
            "slug": page.slug,
            "publication_date": page.publication_date.isoformat(),
            "summary": DRAFT_SUMMARY,
            "topics": [topic.pk for topic in page.topics.all()],
            "main_image": page.main_image_id or "",
        }
        preview_url = press_preview(f"/admin/pages/{page.id}/edit/preview/", fields)
        # The URL the guide says the admin opens.
        assert preview_url.startswith(f"{settings.FRONTEND_URL}/preview/?content_type=news.newspage&token=")
        variables["token"] = parse_qs(urlsplit(preview_url).query)["token"][0]
    if query.name == "Register":
        # The token `form { token }` hands out, and no minimum fill time for a test that answers at once.
        conference = EventPage.objects.get(slug="annual-conference-2016")
        variables["token"] = form_token(conference.pk)
        settings.FORMS_MIN_FILL_SECONDS = 0
    if query.name == "SubmitForm":
        # What a frontend does: the form's token when it is shown, the answers after the fill time.
        settings.FORMS_MIN_FILL_SECONDS = 0
        if str(variables.get("token", "")).startswith("<"):
            variables["token"] = form_token_for(variables["path"])
    if query.name in ("Route", "RedirectTable"):
        Redirect.objects.create(
            old_path=Redirect.normalise_path(OLD_PATH),
            redirect_page=NewsPage.objects.get(slug=MOVED_PAGE_SLUG),
            is_permanent=True,
        )
    return variables


def form_token_for(path):
    """The token the guide's FormToken query hands out for `path` (a page without a form gets the
    newsletter's, which the mutation refuses for that path before it reads the token)."""
    (token_query,) = (query for query in QUERIES if query.name == "FormToken")
    for asked in (path, "/newsletter/"):
        response = Client().post(
            "/graphql/",
            data=json.dumps({"query": token_query.text, "variables": {"path": asked}}),
            content_type="application/json",
        )
        page = response.json()["data"]["page"]
        if page and page.get("form"):
            return page["form"]["token"]
    raise AssertionError("FormToken gave no token")


def dump(request, query, example, payload):
    directory = os.environ.get("FRONTEND_GUIDE_DUMP")
    if directory:
        name = request.node.callspec.id
        Path(directory).mkdir(parents=True, exist_ok=True)
        body = {"query": query.name, "guide_line": example.line, "response": payload}
        (Path(directory) / f"{name}.json").write_text(json.dumps(body, indent=2, ensure_ascii=False))


# --- The tests ------------------------------------------------------------------------------------


def test_guide_covers_every_page_of_the_site():
    names = [query.name for query in QUERIES]
    assert len(names) == len(set(names)), "operation names must be unique (codegen needs it)"
    assert REQUIRED_OPERATIONS <= set(names), REQUIRED_OPERATIONS - set(names)
    for query in QUERIES:
        assert query.examples, f"line {query.line}: {query.name} has no response excerpt"


def test_fragment_names_are_unique_across_the_guide():
    # graphql-codegen reads every document together: two fragments of one name clash.
    names = [fragment.name for fragment in FRAGMENTS] + [
        definition.name.value
        for query in QUERIES
        for definition in parse(query.text).definitions
        if isinstance(definition, FragmentDefinitionNode)
    ]
    assert len(names) == len(set(names)), names


def test_guide_queries_validate_against_the_committed_schema():
    """What graphql-codegen checks: each document against schema.graphql, not the live server."""
    schema = build_schema(SCHEMA_SDL.read_text(encoding="utf-8"))
    for query in QUERIES:
        if not any(example.status == 200 for example in query.examples):
            continue  # an example of an error, not for src/ (the guide says so)
        errors = validate(schema, parse(query.document))
        assert not errors, f"{query.name} (line {query.line}): {[e.message for e in errors]}"


def test_guide_queries_use_no_deprecated_field():
    """Copied into a frontend, a deprecated field warns in codegen and editors: the guide shows the
    way that lasts (the deprecation's own reason says which)."""
    schema = build_schema(SCHEMA_SDL.read_text(encoding="utf-8"))
    for query in QUERIES:
        errors = validate(schema, parse(query.document), [NoDeprecatedCustomRule])
        assert not errors, f"{query.name} (line {query.line}): {[e.message for e in errors]}"


def test_news_item_query_has_a_fragment_for_every_block_type():
    schema = build_schema(SCHEMA_SDL.read_text(encoding="utf-8"))
    block_types = {t.name for t in schema.get_implementations(schema.get_type("BodyBlock")).objects}
    (news_item,) = (query for query in QUERIES if query.name == "NewsItem")
    conditions = set()

    class Conditions(Visitor):
        def enter_inline_fragment(self, node: InlineFragmentNode, *_args):
            if node.type_condition:
                conditions.add(node.type_condition.name.value)

    visit(parse(news_item.document), Conditions())
    assert block_types <= conditions, block_types - conditions


def test_every_body_spreads_the_one_shared_fragment():
    """Three selections of one body would be three generated types no component could share."""
    assert [fragment.name for fragment in FRAGMENTS] == ["BodyBlocks"]
    bodies = []

    class Bodies(Visitor):
        def enter_field(self, node, *_args):
            if node.name.value == "body":
                bodies.append([(type(s).__name__, s.name.value) for s in node.selection_set.selections])

    for query in QUERIES:
        visit(parse(query.text), Bodies())
    assert len(bodies) >= 4  # news item, event, standing page, preview
    assert all(selections == [("FragmentSpreadNode", "BodyBlocks")] for selections in bodies), bodies


def test_typename_wherever_a_type_is_branched_on():
    """Codegen's unions are told apart by `__typename` only where the selection asks for it."""
    missing = []

    class Branches(Visitor):
        def enter_selection_set(self, node, *_args):
            branches = [s for s in node.selections if isinstance(s, InlineFragmentNode) and s.type_condition]
            names = {s.name.value for s in node.selections if s.kind == "field" and not s.alias}
            if branches and "__typename" not in names:
                missing.append([b.type_condition.name.value for b in branches])

    for text in [query.text for query in QUERIES] + [fragment.text for fragment in FRAGMENTS]:
        visit(parse(text), Branches())
    assert not missing, missing


def test_codegen_config_reads_the_committed_schema_and_maps_every_custom_scalar():
    """With `strictScalars`, graphql-codegen fails on a custom scalar the config does not map."""
    text = GUIDE.read_text(encoding="utf-8")
    (config,) = (
        body for info, body in FENCE_RE.findall(text) if info.strip() == "ts" and "CodegenConfig" in body
    )
    assert 'schema: "schema.graphql"' in config
    assert 'documents: "src/**/*.graphql"' in config
    # typescript-operations 5+ writes the enums it needs: with "typescript" too, each is declared twice.
    assert 'plugins: ["typescript-operations"]' in config
    schema = build_schema(SCHEMA_SDL.read_text(encoding="utf-8"))
    custom = {
        name for name, t in schema.type_map.items() if is_scalar_type(t) and not is_specified_scalar_type(t)
    }
    assert custom == {"Date", "DateTime", "Decimal", "RichTextHTML", "JSONString"}
    for name in custom:
        assert re.search(rf'^\s*{name}: "string",$', config, re.MULTILINE), name


@pytest.mark.parametrize(("query", "example"), EXAMPLES)
def test_guide_example(request, gql, settings, query, example):
    variables = prepare(query, example, settings)
    response = gql.post(query.document, variables or None)
    payload = response.json()
    dump(request, query, example, payload)
    where = f"{query.name}, response excerpt at docs/frontend.md line {example.line}"
    assert response.status_code == example.status, (where, payload)
    if example.status == 200:
        assert "errors" not in payload, (where, payload["errors"])
    else:
        assert payload.get("errors"), (where, payload)
    assert matches(example.excerpt, payload), f"{where}: {first_mismatch(example.excerpt, payload)}"
    if query.name == "SubmitForm" and example.status == 200:
        # Accepted answers are kept (the fill time was waited for), refused ones are not.
        stored = FormSubmission.objects.filter(page__url_path__endswith=example.variables["path"]).count()
        assert stored == (1 if example.excerpt["data"]["submitForm"]["ok"] else 0), where
    if query.name == "Preview" and example.status == 200:
        # "The draft is only visible through its token."
        published = gql("query ($path: String!) { page(path: $path) { title } }", {"path": PREVIEWED_PATH})
        assert published["page"]["title"] != DRAFT_TITLE


def test_get_answers_like_post(client, gql):
    """The guide's GET form: `query` and `variables` (JSON) in the query string."""
    query, example = next(
        (q, e) for q in QUERIES for e in q.examples if e.variables and e.status == 200 and q.name != "Preview"
    )
    params = {"query": query.document, "variables": json.dumps(example.variables)}
    response = client.get("/graphql/", params)
    assert response.status_code == 200
    assert response.json() == gql.post(query.document, example.variables).json()


def test_renaming_a_page_adds_a_redirect(gql, django_capture_on_commit_callbacks):
    """What the guide says under "Redirects": renaming a page keeps its old address working."""
    page = NewsPage.objects.get(slug=MOVED_PAGE_SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        page.slug = "opposition-to-the-tpp"
        page.save_revision().publish()
    data = gql(
        "query ($old: String!, $new: String!) "
        "{ redirect(path: $old) { location isPermanent } page(path: $new) { path } }",
        {"old": f"/news/{MOVED_PAGE_SLUG}/", "new": "/news/opposition-to-the-tpp/"},
    )
    assert data == {
        "redirect": {"location": "/news/opposition-to-the-tpp/", "isPermanent": True},
        "page": {"path": "/news/opposition-to-the-tpp/"},
    }


def test_preview_of_a_new_page_answers_its_id(gql):
    """A page never saved has no id: the guide says it answers `preview`."""
    news_index = NewsPage.objects.first().get_parent()
    fields = {
        "title": "A page never saved",
        "slug": "a-page-never-saved",
        "publication_date": "2016-11-07",
        "summary": "Draft summary.",
        "topics": "",
        "main_image": "",
    }
    preview_url = press_preview(f"/admin/pages/add/news/newspage/{news_index.id}/preview/", fields)
    token = parse_qs(urlsplit(preview_url).query)["token"][0]
    response = gql.post("query ($token: String!) { preview(token: $token) { id path } }", {"token": token})
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["preview"] == {"id": "preview", "path": "/news/a-page-never-saved/"}


def test_the_endpoint_answers_without_its_trailing_slash(client, gql):
    """What the guide says under "Endpoint and requests": `/graphql` is `/graphql/`, no redirect."""
    assert "`/graphql`, without the trailing slash, answers exactly the same" in GUIDE.read_text(
        encoding="utf-8"
    )
    query = "query NewsTopics { newsTopics { name slug count } }"
    body = json.dumps({"query": query})
    with_slash = client.post("/graphql/", body, content_type="application/json")
    without = client.post("/graphql", body, content_type="application/json")
    assert without.status_code == 200, without.content
    assert without.json() == with_slash.json() and without.json()["data"]["newsTopics"]
    assert client.get("/graphql", {"query": query}).json() == with_slash.json()


def test_srcset_lists_each_width_once_and_never_past_the_original(gql):
    """What the guide says under "Images": no candidate wider than the original, none twice."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert "1600w" not in guide
    data = gql(
        "query ($path: String!) { page(path: $path) { ... on NewsPage { mainImage { width srcset } } } }",
        {"path": PREVIEWED_PATH},
    )
    image = data["page"]["mainImage"]
    widths = [int(candidate.rsplit(" ", 1)[1].rstrip("w")) for candidate in image["srcset"].split(", ")]
    assert widths == [400, 800, 1200] and image["width"] == 1200
