"""SQL queries per request, counted in process with Django's test client (not during the load run).

Run by bench/run.py with the server's environment: `python -m bench.querycount` reads the scenarios
as JSON on stdin and prints {key: {"uncached": n, "cached": n, "rest": n}} as JSON.
"""

import json
import sys
import uuid


def count(client, method, path, **kwargs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, **kwargs)
    return len(queries), response.status_code


def graphql_get(client, query, variables, nonce=None):
    params = {"query": query}
    if variables or nonce:
        params["variables"] = json.dumps({**(variables or {}), **({"nonce": nonce} if nonce else {})})
    return count(client, "get", "/graphql/", data=params)


def main():
    import django

    django.setup()
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    results = {}
    for scenario in json.load(sys.stdin):
        key, entry = scenario["key"], {}
        if scenario.get("post_body") is not None:
            entry["uncached"] = count(
                client, "post", "/graphql/", data=scenario["post_body"], content_type="application/json"
            )[0]
        else:
            query, variables = scenario["query"], scenario["variables"]
            graphql_get(client, query, variables, nonce=uuid.uuid4().hex)  # warm this process
            entry["uncached"] = graphql_get(client, query, variables, nonce=uuid.uuid4().hex)[0]
            if not scenario.get("hostile"):
                graphql_get(client, query, variables)  # fills the response cache
                entry["cached"] = graphql_get(client, query, variables)[0]
        if scenario.get("rest"):
            count(client, "get", scenario["rest"])
            entry["rest"] = count(client, "get", scenario["rest"])[0]
        results[key] = entry
    print("QUERYCOUNTS " + json.dumps(results))


if __name__ == "__main__":
    main()
