"""SQL queries (and Redis commands) per request, counted in process through the WSGI application
the server runs (`cms.wsgi.application`, response-cache fast path included), apart from the load run;
a cached answer also through Django's own application (`cms.wsgi.django_application`, what
bench/no_fast_path.py serves).

Run by bench/run.py with the server's environment: `python -m bench.querycount` reads the scenarios
as JSON on stdin and prints {key: {"uncached": n, "uncached_redis": n, "cached": n,
"cached_no_fast_path": n, ...}} as JSON.
"""

import json
import sys
import uuid

REDIS_COMMANDS = [0]


def count_redis_commands():
    """Count round trips to Redis: every command, and every pipeline (sent in one write)."""
    from redis.connection import AbstractConnection

    original = AbstractConnection.send_packed_command

    def counting(self, *args, **options):
        REDIS_COMMANDS[0] += 1
        return original(self, *args, **options)

    AbstractConnection.send_packed_command = counting


class WSGIClient:
    """Requests through the WSGI callable the server runs, built by Django's RequestFactory;
    `fast_path=False`: through Django's own application, as bench/no_fast_path.py serves it."""

    def __init__(self, fast_path=True):
        from django.test import RequestFactory

        from cms.wsgi import application, django_application

        self.factory = RequestFactory(SERVER_NAME="127.0.0.1")
        self.application = application if fast_path else django_application

    def request(self, method, path, **kwargs):
        environ = getattr(self.factory, method)(path, **kwargs).environ
        sent = []
        body = b"".join(self.application(environ, lambda status, headers, exc_info=None: sent.append(status)))
        return int(sent[0].split()[0]), body


def count(client, method, path, **kwargs):
    """(SQL queries, Redis commands, status) of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    REDIS_COMMANDS[0] = 0
    with CaptureQueriesContext(connection) as queries:
        status, _body = client.request(method, path, **kwargs)
    return len(queries), REDIS_COMMANDS[0], status


def graphql_get(client, query, variables, nonce=None):
    # A nonce makes a new query text (a comment): an answer not in the response cache.
    params = {"query": query + (f"\n# {nonce}\n" if nonce else "")}
    if variables:
        params["variables"] = json.dumps(variables)
    return count(client, "get", "/graphql/", data=params)


def main():
    import django

    django.setup()
    count_redis_commands()
    client, without_fast_path = WSGIClient(), WSGIClient(fast_path=False)
    results = {}
    for scenario in json.load(sys.stdin):
        key, entry = scenario["key"], {}
        if scenario.get("post_body") is not None:
            measured = count(
                client, "post", "/graphql/", data=scenario["post_body"], content_type="application/json"
            )
            entry["uncached"], entry["uncached_redis"] = measured[:2]
        else:
            query, variables = scenario["query"], scenario["variables"]
            graphql_get(client, query, variables, nonce=uuid.uuid4().hex)  # warm this process
            measured = graphql_get(client, query, variables, nonce=uuid.uuid4().hex)
            entry["uncached"], entry["uncached_redis"] = measured[:2]
            if not scenario.get("hostile"):
                graphql_get(client, query, variables)  # fills the response cache
                entry["cached"], entry["cached_redis"] = graphql_get(client, query, variables)[:2]
                graphql_get(without_fast_path, query, variables)
                measured = graphql_get(without_fast_path, query, variables)
                entry["cached_no_fast_path"], entry["cached_no_fast_path_redis"] = measured[:2]
        if scenario.get("rest"):
            count(client, "get", scenario["rest"])
            entry["rest"], entry["rest_redis"] = count(client, "get", scenario["rest"])[:2]
        results[key] = entry
    print("QUERYCOUNTS " + json.dumps(results))


if __name__ == "__main__":
    main()
