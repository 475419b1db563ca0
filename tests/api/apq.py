"""Requests as Apollo Client's persisted-query link and urql's persistedExchange make them."""

import hashlib
import json

NEWS = "query LatestNews { news { items { title } pagination { totalCount } } }"
TOPICS = "query Topics { newsTopics { name slug } }"


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def extensions(sha256_hash: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hash}}


def get(client, query=None, sha256_hash=None, variables=None, operation_name=None, **extra):
    """A GET with the hash in `extensions` (URL-encoded JSON); with the query too when given."""
    params = {}
    if query is not None:
        params["query"] = query
    if variables is not None:
        params["variables"] = json.dumps(variables)
    if operation_name is not None:
        params["operationName"] = operation_name
    if sha256_hash is not None:
        params["extensions"] = json.dumps(extensions(sha256_hash))
    return client.get("/graphql/", params, **extra)


def post(client, query=None, sha256_hash=None, variables=None, **extra):
    """A POST with the hash in the body's `extensions`; with the query too when given."""
    body: dict = {}
    if query is not None:
        body["query"] = query
    if variables is not None:
        body["variables"] = variables
    if sha256_hash is not None:
        body["extensions"] = extensions(sha256_hash)
    return client.post("/graphql/", data=json.dumps(body), content_type="application/json", **extra)


def codes(response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json().get("errors", [])]
