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

from dataclasses import dataclass

from graphql import GraphQLError, OperationDefinitionNode, parse

from api.graphql.inputs import BadJSON, load_json
from api.graphql.persisted import HASH, document_hash
from api.graphql.view import query_refusal

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
    reason = query_refusal(document)
    if reason is not None:
        return Refused(where, reason)
    return Operation(sha256_hash.lower(), document, _operation_names(document))


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
