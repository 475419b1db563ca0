"""The manifests a frontend's build writes of its operations, read and checked for the allowlist.

Two formats are read:

- graphql-codegen's persisted documents (`persisted-documents.json`, client preset with
  `persistedDocuments`): `{"<sha256 hash>": "<document>", …}`;
- Apollo's persisted query manifest (`persisted-query-manifest.json`, from
  @apollo/generate-persisted-query-manifest): `{"format": "apollo-persisted-query-manifest",
  "version": 1, "operations": [{"id": "<sha256 hash>", "name", "type", "body"}, …]}`.

An operation is accepted only if its hash is the SHA-256 of its document (what clients send) and the
document would run here: within every limit, valid against the schema, queries only.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import import_string
from graphql import GraphQLError, OperationDefinitionNode, parse

from api.graphql.inputs import BadJSON, load_json
from api.graphql.persisted import HASH, document_hash, forget_loaded
from api.models import PersistedQuery
from cms.generation import bump_generation

APOLLO_FORMAT = "apollo-persisted-query-manifest"


class ManifestError(ValueError):
    """A file that is not a manifest of either format."""


@dataclass(frozen=True)
class Operation:
    """An operation a manifest lists, checked: what `load_persisted_queries` keeps."""

    sha256_hash: str
    document: str
    operation_name: str


@dataclass(frozen=True)
class Refused:
    """An operation a manifest lists that cannot be kept, and why."""

    where: str
    reason: str


# An operation as a manifest lists it: (where, its hash, its document, its type).
Listed = tuple[str, object, object, object]


def read_manifest(raw: bytes) -> tuple[list[Operation], list[Refused]]:
    """The operations of a manifest file's bytes, and those refused; ManifestError if it is none."""
    try:
        data = load_json(raw, "The manifest")
    except BadJSON as exc:
        raise ManifestError(str(exc)) from None
    if not isinstance(data, dict):
        raise ManifestError("The manifest must be a JSON object.")
    listed: list[Listed | Refused]
    if "format" in data:
        listed = _apollo_operations(data)
    else:
        listed = [(key, key, document, "query") for key, document in data.items()]
    operations: list[Operation] = []
    refused: list[Refused] = []
    for entry in listed:
        checked = entry if isinstance(entry, Refused) else _check(*entry)
        if isinstance(checked, Refused):
            refused.append(checked)
        else:
            operations.append(checked)
    return operations, refused


def _apollo_operations(data: dict[str, object]) -> list[Listed | Refused]:
    if data["format"] != APOLLO_FORMAT:
        given = str(data["format"])[:60]
        raise ManifestError(f"Unknown manifest format {given!r}: expected {APOLLO_FORMAT!r}.")
    if data.get("version") != 1:
        raise ManifestError("Only version 1 of Apollo's persisted query manifest is known.")
    operations = data.get("operations")
    if not isinstance(operations, list):
        raise ManifestError("`operations` must be a list.")
    listed: list[Listed | Refused] = []
    for index, operation in enumerate(operations):
        where = f"operations[{index}]"
        if not isinstance(operation, dict):
            listed.append(Refused(where, "it is not a JSON object."))
            continue
        if isinstance(operation.get("name"), str):
            where += f" ({operation['name'][:60]})"
        listed.append((where, operation.get("id"), operation.get("body"), operation.get("type")))
    return listed


def _check(where: str, sha256_hash: object, document: object, operation_type: object) -> Operation | Refused:
    if not isinstance(document, str):
        return Refused(where, "its document is not a string.")
    if not isinstance(sha256_hash, str) or not HASH.fullmatch(sha256_hash):
        return Refused(where, "its id is not a SHA-256 hash (64 hexadecimal digits).")
    if document_hash(document) != sha256_hash.lower():
        return Refused(
            where,
            "its id is not the SHA-256 of its document, which is what clients send (graphql-codegen's "
            'client preset needs `persistedDocuments: { hashAlgorithm: "sha256" }`).',
        )
    if operation_type != "query":
        return Refused(where, f"it is a {str(operation_type)[:20]}: this API serves queries only.")
    reason = _query_refusal(document)
    if reason is not None:
        return Refused(where, reason)
    return Operation(sha256_hash.lower(), document, _operation_names(document))


def _query_refusal(document: str) -> str | None:
    # Looked up when a manifest is checked, not imported with this module: the view's import
    # assembles the schema from every wagtail_hooks module, and one of them (the admin's upload,
    # api/persisted_admin.py) imports this module.
    refusal: Callable[[str], str | None] = import_string("api.graphql.view.query_refusal")
    return refusal(document)


def _operation_names(document: str) -> str:
    try:
        parsed = parse(document, no_location=True)
    except GraphQLError:
        return ""
    names = [
        definition.name.value
        for definition in parsed.definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    ]
    return ", ".join(names)[:255]


@dataclass(frozen=True)
class Stored:
    """What loading operations changed: those added, the hashes already loaded and those removed."""

    added: list[Operation]
    known: set[str]
    removed: list[str]


def store(operations: Iterable[Operation], *, replace: bool = False, source: str = "") -> Stored:
    """Keep checked `operations` in the allowlist (those already there stay as they are); with
    `replace`, remove every loaded operation not among them. `source` says where the new ones came
    from. `manage.py load_persisted_queries` and the admin's upload both load through here."""
    listed = {operation.sha256_hash: operation for operation in operations}
    with transaction.atomic():
        known = set(
            PersistedQuery.objects.filter(sha256_hash__in=listed).values_list("sha256_hash", flat=True)
        )
        added = [operation for sha256_hash, operation in listed.items() if sha256_hash not in known]
        PersistedQuery.objects.bulk_create(
            PersistedQuery(
                sha256_hash=operation.sha256_hash,
                document=operation.document,
                operation_name=operation.operation_name,
                source=source[:255],
            )
            for operation in added
        )
        removed: list[str] = []
        if replace:
            stale = PersistedQuery.objects.exclude(sha256_hash__in=listed)
            removed = list(stale.values_list("sha256_hash", flat=True))
            stale.delete()
    if removed:
        forget(removed)
    return Stored(added, known, removed)


def forget(hashes: list[str]) -> None:
    """After operations left the allowlist: their cached copies dropped, and their answers too (a new
    content generation retires what the response cache and the fast path keep under the current one)."""
    forget_loaded(hashes)
    bump_generation()
