"""`manage.py load_persisted_queries`: a frontend build's manifest, checked, loaded once, reported."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command

from api.models import PersistedQuery
from tests.api import apq

pytestmark = pytest.mark.django_db

SITEMAP = "query Sitemap { sitemap { path } }"


def codegen_manifest(tmp_path, *documents, name="persisted-documents.json"):
    path = tmp_path / name
    path.write_text(json.dumps({apq.sha256(document): document for document in documents}))
    return path


def apollo_manifest(tmp_path, *operations, name="persisted-query-manifest.json"):
    """`operations`: (name, type, body) as @apollo/generate-persisted-query-manifest writes them."""
    path = tmp_path / name
    listed = [{"id": apq.sha256(body), "name": n, "type": t, "body": body} for n, t, body in operations]
    manifest = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": listed}
    path.write_text(json.dumps(manifest))
    return path


def load(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_persisted_queries", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue()


def refusal(*paths, **options):
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("load_persisted_queries", *map(str, paths), stdout=io.StringIO(), stderr=err, **options)
    return f"{err.getvalue()}\n{raised.value}"


def loaded():
    return dict(PersistedQuery.objects.values_list("sha256_hash", "operation_name"))


def test_graphql_codegens_persisted_documents_are_loaded(tmp_path):
    report = load(codegen_manifest(tmp_path, apq.NEWS, apq.TOPICS))
    assert loaded() == {apq.sha256(apq.NEWS): "LatestNews", apq.sha256(apq.TOPICS): "Topics"}
    assert f"added LatestNews {apq.sha256(apq.NEWS)}" in report
    assert "2 operation(s) listed: 2 added, 0 already loaded." in report
    assert PersistedQuery.objects.get(operation_name="Topics").document == apq.TOPICS


def test_apollos_persisted_query_manifest_is_loaded(tmp_path):
    load(apollo_manifest(tmp_path, ("LatestNews", "query", apq.NEWS), ("Sitemap", "query", SITEMAP)))
    assert loaded() == {apq.sha256(apq.NEWS): "LatestNews", apq.sha256(SITEMAP): "Sitemap"}


def test_both_formats_at_once_and_again_change_nothing(tmp_path):
    manifests = (
        codegen_manifest(tmp_path, apq.NEWS),
        apollo_manifest(tmp_path, ("Sitemap", "query", SITEMAP)),
    )
    load(*manifests)
    first = list(PersistedQuery.objects.values_list("pk", "sha256_hash", "loaded_at"))
    report = load(*manifests)
    assert "2 operation(s) listed: 0 added, 2 already loaded." in report
    assert "added" not in report.replace("0 added", "")
    assert list(PersistedQuery.objects.values_list("pk", "sha256_hash", "loaded_at")) == first


def test_a_later_build_adds_its_new_operations_and_keeps_the_old(tmp_path):
    load(codegen_manifest(tmp_path, apq.NEWS))
    report = load(codegen_manifest(tmp_path, apq.NEWS, SITEMAP, name="next.json"))
    assert "2 operation(s) listed: 1 added, 1 already loaded." in report
    assert set(loaded()) == {apq.sha256(apq.NEWS), apq.sha256(SITEMAP)}


def test_replace_removes_what_the_manifests_no_longer_list(tmp_path):
    load(codegen_manifest(tmp_path, apq.NEWS, apq.TOPICS))
    report = load(codegen_manifest(tmp_path, apq.NEWS, SITEMAP, name="next.json"), replace=True)
    assert "2 operation(s) listed: 1 added, 1 already loaded, 1 removed." in report
    assert set(loaded()) == {apq.sha256(apq.NEWS), apq.sha256(SITEMAP)}


def test_check_reports_and_loads_nothing(tmp_path):
    report = load(codegen_manifest(tmp_path, apq.NEWS, SITEMAP), check=True)
    assert "2 operation(s) checked; nothing loaded." in report
    assert loaded() == {}


def refused_with(tmp_path, entry):
    """The refusal of a manifest listing NEWS and `entry` ({hash: document}); nothing is loaded."""
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps({apq.sha256(apq.NEWS): apq.NEWS, **entry}))
    message = refusal(path)
    assert f"refused {path}: {next(iter(entry))}: " in message
    assert "1 operation(s) refused; nothing was loaded." in message
    assert loaded() == {}
    return message


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("{ news { items { titel } } }", "Cannot query field 'titel'"),
        ("{ news { items }", "Syntax Error"),
        ("{" + "a: __typename " * 11 + "}", "more than 10 root fields"),
        ("mutation M { __typename }", "Only queries are persisted"),
        (" " * 10_001, "The document is empty"),
        ("{ __typename }" + " " * 10_000, "10000 characters"),
    ],
    ids=["invalid", "unparsable", "over-a-limit", "mutation", "blank", "too-long"],
)
def test_one_document_that_would_not_run_refuses_the_whole_manifest(tmp_path, document, reason):
    assert reason in refused_with(tmp_path, {apq.sha256(document): document})


def test_a_sha1_hash_is_refused(tmp_path):
    # What graphql-codegen's client preset writes unless told `hashAlgorithm: "sha256"`.
    sha1 = hashlib.sha1(apq.TOPICS.encode()).hexdigest()  # noqa: S324
    assert "its id is not a SHA-256 hash" in refused_with(tmp_path, {sha1: apq.TOPICS})


def test_a_hash_that_is_not_the_documents_is_refused(tmp_path):
    message = refused_with(tmp_path, {apq.sha256(SITEMAP): apq.TOPICS})
    assert "its id is not the SHA-256 of its document" in message
    assert 'hashAlgorithm: "sha256"' in message


@pytest.mark.parametrize(
    ("operation", "reason"),
    [
        ({"id": apq.sha256("mutation M { __typename }"), "name": "M", "type": "mutation",
          "body": "mutation M { __typename }"}, "operations[1] (M): it is a mutation"),
        ({"id": apq.sha256(SITEMAP), "name": "Sitemap", "type": "query", "body": 42},
         "operations[1] (Sitemap): its document is not a string"),
        ("query Sitemap { sitemap { path } }", "operations[1]: it is not a JSON object."),
        ({"id": 7, "name": "Sitemap", "type": "query", "body": SITEMAP}, "its id is not a SHA-256 hash"),
    ],
    ids=["mutation", "body-not-a-string", "not-an-object", "id-not-a-string"],
)  # fmt: skip
def test_an_invalid_apollo_operation_refuses_the_manifest(tmp_path, operation, reason):
    path = apollo_manifest(tmp_path, ("LatestNews", "query", apq.NEWS))
    manifest = json.loads(path.read_text())
    manifest["operations"].append(operation)
    path.write_text(json.dumps(manifest))
    assert reason in refusal(path)
    assert loaded() == {}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[]", "The manifest must be a JSON object."),
        ("{", "The manifest is not valid JSON."),
        ('{"a": 1, "a": 2}', "appears twice"),
        ('{"format": "relay", "version": 1, "operations": []}', "Unknown manifest format 'relay'"),
        ('{"format": "apollo-persisted-query-manifest", "version": 2, "operations": []}', "Only version 1"),
        ('{"format": "apollo-persisted-query-manifest", "version": 1}', "`operations` must be a list."),
    ],
    ids=["list", "not-json", "key-twice", "unknown-format", "version-2", "no-operations"],
)
def test_a_file_that_is_no_manifest_is_refused(tmp_path, content, reason):
    path = tmp_path / "manifest.json"
    path.write_text(content)
    assert reason in refusal(path)


def test_a_missing_file_is_refused_before_anything_is_loaded(tmp_path):
    good = codegen_manifest(tmp_path, apq.NEWS)
    assert "No such file or directory" in refusal(good, tmp_path / "missing.json")
    assert loaded() == {}
