"""GraphQL over HTTP: limits before parsing, clean errors with stable codes, nothing internal leaked."""

import json
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, cast

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    execute,
    get_operation_ast,
    validate,
)
from graphql.validation.validate import ValidationAbortedError

from api import ratelimit
from api.cors import frontend_origin
from api.graphql import persisted, response_cache
from api.graphql.errors import RequestError
from api.graphql.execution import PlannedExecutionContext
from api.graphql.inputs import BadJSON, find_bad_input, load_json
from api.graphql.limits import rough_token_count, shape_errors, validation_rules
from api.graphql.parsing import parse_query
from api.graphql.schema import schema
from api.input_rules import forbidden_character
from api.malformed_requests import is_graphql
from cms.request_cache import request_scope

logger = logging.getLogger("api.graphql")

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Where a request's id for the API is kept once chosen: request.META, the WSGI environ.
_REQUEST_ID_KEY = "psg.graphql_request_id"
# graphql-core's "Did you mean 'x', 'y', or 'z'?" (names cannot contain "?").
_SUGGESTION_RE = re.compile(r" ?Did you mean [^?]*\?")

# CPU spent by this request's thread (not other threads' work, not waits for the database or
# the GIL), what a costly answer is charged for against the rate limit.
_cpu_clock = time.thread_time

# Codes a resolver raises on purpose, and the HTTP status each answers with.
CLIENT_ERROR_STATUS: dict[object, int] = {
    "BAD_USER_INPUT": 400,
    "PREVIEW_TOKEN_INVALID": 400,
    "FORM_NOT_FOUND": 404,
    "RATE_LIMITED": 429,
}


def _json_response(
    payload: Mapping[str, Any], status: int, request_id: str, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, separators=(",", ":")), status=status, content_type="application/json"
    )
    response["X-Request-ID"] = request_id
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def public_message(message: str) -> str:
    """A graphql-core message as a client may read it: without suggestions while they are off.

    graphql-core is also asked to leave them out (`hide_suggestions`); this catches the messages
    it builds where that option does not reach (e.g. a scalar's own coercion errors).
    """
    if settings.GRAPHQL_FIELD_SUGGESTIONS:
        return message
    return _SUGGESTION_RE.sub("", message)


def _hide_suggestions() -> bool:
    return not settings.GRAPHQL_FIELD_SUGGESTIONS


def _error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extra}}


class _InvalidQuery(Exception):
    """A query that parses but fails validation, with graphql-core's errors."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__("invalid query")
        self.errors = errors


# A frontend sends the same few queries over and over with different variables: parsing and
# validating one is a good share of an answer's CPU, so valid documents are kept, per process.
# Bounded in count and query size, so the memory they take is too; invalid queries are not kept.
_DOCUMENTS: OrderedDict[tuple[Any, ...], DocumentNode] = OrderedDict()
_DOCUMENTS_MAX = 64
_DOCUMENTS_LOCK = threading.Lock()
_DOCUMENT_MAX_CHARS = 5000


def _valid_document(graphql_schema: GraphQLSchema, query: str) -> DocumentNode:
    """The parsed, validated document of `query`; raises GraphQLSyntaxError or _InvalidQuery."""
    limits: dict[str, int] = settings.GRAPHQL_LIMITS
    key = (id(graphql_schema), query, tuple(sorted(limits.items())), settings.GRAPHQL_INTROSPECTION)
    with _DOCUMENTS_LOCK:
        document = _DOCUMENTS.get(key)
        if document is not None:
            _DOCUMENTS.move_to_end(key)
            return document
    document = parse_query(query)
    # The cheap shape limits first: they bound what the spec's rules are given (docs/security.md).
    errors = shape_errors(graphql_schema, document) or validate(
        graphql_schema, document, validation_rules(), max_errors=10, hide_suggestions=_hide_suggestions()
    )
    if errors:
        raise _InvalidQuery(errors)
    if len(query) <= _DOCUMENT_MAX_CHARS:
        with _DOCUMENTS_LOCK:
            _DOCUMENTS[key] = document
            while len(_DOCUMENTS) > _DOCUMENTS_MAX:
                _DOCUMENTS.popitem(last=False)
    return document


def query_refusal(query: str) -> str | None:
    """Why `query` would be refused before it runs (length, tokens, syntax, schema, limits, input,
    an operation other than a query), or None: what may be kept as a persisted query."""
    limits: dict[str, int] = settings.GRAPHQL_LIMITS
    if not query.strip():
        return "The document is empty."
    if len(query) > limits["MAX_QUERY_CHARS"]:
        return f"Queries are limited to {limits['MAX_QUERY_CHARS']} characters."
    if rough_token_count(query) > limits["MAX_TOKENS"]:
        return f"The query has more than {limits['MAX_TOKENS']} tokens."
    graphql_schema = schema.graphql_schema
    try:
        document = _valid_document(graphql_schema, query)
    except GraphQLSyntaxError as exc:
        return public_message(exc.message)
    except _InvalidQuery as exc:
        return " ".join(public_message(error.message) for error in exc.errors)
    bad_input = find_bad_input(graphql_schema, document, None)
    if bad_input is not None:
        return str(bad_input["message"])
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.operation != OperationType.QUERY:
            return (
                "Only queries are persisted: mutations are sent in full, and only queries are served by hash."
            )
    return None


def _single_param(params: QueryDict, name: str) -> str | None:
    """A query-string parameter given at most once: two values would leave which one runs unclear."""
    values = params.getlist(name)
    if len(values) > 1:
        raise RequestError(400, "BAD_REQUEST", f"`{name}` is given more than once.")
    return values[0] if values else None


def _load_json(raw: bytes | str, what: str) -> Any:
    try:
        return load_json(raw, what)
    except BadJSON as exc:
        raise RequestError(400, "BAD_REQUEST", str(exc)) from None


def _content_length(request: HttpRequest) -> int:
    raw: str = request.META.get("CONTENT_LENGTH") or "0"
    if not raw.isascii() or not raw.isdigit():
        raise RequestError(400, "BAD_REQUEST", "`Content-Length` must be a number of bytes.")
    # int() of thousands of digits raises; anything this long is over every limit anyway.
    return int(raw) if len(raw) <= 18 else 10**18


def _root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> set[str]:
    """The response keys an operation's root selection writes, through fragments and inline fragments
    (`__typename` aside, which does nothing)."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    keys: set[str] = set()
    seen: set[str] = set()
    pending: list[SelectionSetNode] = [operation.selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value != "__typename":
                    keys.add((selection.alias or selection.name).value)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    pending.append(fragments[name].selection_set)
    return keys


def _never_awaitable(_value: object) -> bool:
    return False


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLHTTPView(View):
    """The public GraphQL endpoint: queries, and the one mutation that sends a form."""

    http_method_names = ["get", "post", "options"]

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _json_response(
            {"errors": [_error("GraphQL is served over GET and POST.", "METHOD_NOT_ALLOWED")]},
            405,
            self.request_id(request),
            {"Allow": "GET, POST, OPTIONS"},
        )

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(status=204)
        response["Allow"] = "GET, POST, OPTIONS"
        return response

    @staticmethod
    def request_id(request: HttpRequest) -> str:
        request_id: str | None = request.META.get(_REQUEST_ID_KEY)
        if request_id is None:
            # cms.request_id.RequestIdMiddleware has chosen one already: the header and logs agree.
            given = getattr(request, "request_id", None) or request.headers.get("X-Request-ID", "")
            request_id = given if _REQUEST_ID_RE.match(given) else uuid.uuid4().hex
            request.META[_REQUEST_ID_KEY] = request_id
        return request_id

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            settings.GRAPHIQL_ENABLED
            and "query" not in request.GET
            and "extensions" not in request.GET
            and "text/html" in request.headers.get("Accept", "")
        ):
            from django.shortcuts import render

            return render(request, "cms/graphiql.html", {"endpoint": request.path})
        return self.handle(request)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.handle(request)

    def handle(self, request: HttpRequest) -> HttpResponseBase:
        # One scope for the whole request: the cache generation read before execution is the one
        # the answer is stored under, so an answer can never outlive a change made meanwhile.
        with request_scope():
            response_cache.adopt_generation(request)
            return self._handle(request)

    def _handle(self, request: HttpRequest) -> HttpResponseBase:
        request_id = self.request_id(request)
        response: HttpResponseBase | None
        try:
            params = self.read_params(request)
            cacheable: bool = response_cache.is_cacheable_request(request, params[0])
            response = response_cache.cached_response(request, params) if cacheable else None
            if response is None:
                started = _cpu_clock()
                try:
                    status, payload = self.run(request, *params)
                finally:
                    ratelimit.charge_for_cpu(request, _cpu_clock() - started)
                response = _json_response(payload, status, request_id, _retry_after(payload))
                cacheable = cacheable and not response_cache.caching_forbidden()
                if cacheable and status == 200 and "errors" not in payload:
                    response_cache.store_response(request, params, response)
        except RequestError as exc:
            response = _json_response(
                {"errors": [_error(exc.message, exc.code)]}, exc.status, request_id, exc.headers
            )
            cacheable = False
        response["X-Request-ID"] = request_id
        answer: HttpResponseBase = response_cache.add_http_caching(request, response, cacheable)
        return answer

    def read_params(self, request: HttpRequest) -> tuple[str, dict[str, Any] | None, str | None]:
        """The query, variables and operation name of a request; RequestError if they are unusable."""
        limits: dict[str, int] = settings.GRAPHQL_LIMITS
        query: object
        variables: object
        operation_name: object
        extensions: object
        if request.method == "GET":
            query, raw_variables, operation_name, raw_extensions = (
                _single_param(request.GET, name)
                for name in ("query", "variables", "operationName", "extensions")
            )
            variables = _load_json(raw_variables, "`variables`") if raw_variables else raw_variables
            extensions = _load_json(raw_extensions, "`extensions`") if raw_extensions else None
        else:
            length = _content_length(request)
            if length > limits["MAX_BODY_BYTES"]:
                raise RequestError(
                    413,
                    "REQUEST_TOO_LARGE",
                    f"Request bodies are limited to {limits['MAX_BODY_BYTES']} bytes.",
                )
            content_type = request.content_type
            body: object
            if content_type == "application/graphql":
                try:
                    body = {"query": request.body.decode("utf-8-sig")}
                except UnicodeDecodeError:
                    raise RequestError(400, "BAD_REQUEST", "The request body is not UTF-8.") from None
            elif content_type != "application/json":
                raise RequestError(
                    415, "UNSUPPORTED_MEDIA_TYPE", "Send `application/json` (or `application/graphql`)."
                )
            else:
                body = _load_json(request.body, "The request body")
            if isinstance(body, list):
                raise RequestError(
                    400, "BATCH_NOT_SUPPORTED", "Batched requests are not supported: send one query."
                )
            if not isinstance(body, dict):
                raise RequestError(400, "BAD_REQUEST", "The request body must be a JSON object.")
            query, variables, operation_name, extensions = (
                body.get("query"),
                body.get("variables"),
                body.get("operationName"),
                body.get("extensions"),
            )
        if variables is not None and not isinstance(variables, dict):
            raise RequestError(400, "BAD_REQUEST", "`variables` must be a JSON object.")
        if operation_name is not None and not isinstance(operation_name, str):
            raise RequestError(400, "BAD_REQUEST", "`operationName` must be a string.")
        if operation_name and forbidden_character(operation_name):
            raise RequestError(400, "BAD_REQUEST", f"`operationName` {forbidden_character(operation_name)}.")
        query = persisted.query_to_run(request, query, extensions, query_refusal)
        return self.check_query(query), variables, operation_name

    @staticmethod
    def check_query(query: object) -> str:
        if not isinstance(query, str) or not query.strip():
            raise RequestError(400, "BAD_REQUEST", "Provide a GraphQL `query` string.")
        if len(query) > settings.GRAPHQL_LIMITS["MAX_QUERY_CHARS"]:
            raise RequestError(
                413,
                "REQUEST_TOO_LARGE",
                f"Queries are limited to {settings.GRAPHQL_LIMITS['MAX_QUERY_CHARS']} characters.",
            )
        return query

    def run(
        self, request: HttpRequest, query: str, variables: dict[str, Any] | None, operation_name: str | None
    ) -> tuple[int, dict[str, Any]]:
        graphql_schema = schema.graphql_schema
        max_tokens = settings.GRAPHQL_LIMITS["MAX_TOKENS"]
        if rough_token_count(query) > max_tokens:
            # Counted by one regular expression, so a token flood costs no parse at all.
            return 400, {
                "errors": [_error(f"The query has more than {max_tokens} tokens.", "QUERY_TOO_COMPLEX")]
            }
        try:
            document = _valid_document(graphql_schema, query)
        except GraphQLSyntaxError as exc:
            return 400, {
                "errors": [_with_locations(exc, _error(public_message(exc.message), "GRAPHQL_PARSE_FAILED"))]
            }
        except _InvalidQuery as exc:
            return 400, {"errors": [self.format_validation_error(e) for e in exc.errors]}
        bad_input = find_bad_input(graphql_schema, document, variables)
        if bad_input is not None:
            return 400, {"errors": [bad_input]}
        operation = get_operation_ast(document, operation_name)
        if operation is not None and operation.operation == OperationType.MUTATION:
            self.check_mutation_request(request)
            if len(_root_fields(document, operation)) > 1:
                # Each mutation writes: aliases or fragments repeating one would write that many
                # times for one request, one rate-limit count and one check of the request.
                return 400, {
                    "errors": [
                        _error("A mutation request runs one mutation: send one per request.", "BAD_REQUEST")
                    ]
                }
        elif operation is not None and operation.operation != OperationType.QUERY:
            raise RequestError(
                405,
                "METHOD_NOT_ALLOWED",
                "Only queries and mutations are served.",
                {"Allow": "GET, POST, OPTIONS"},
            )
        # Every resolver is synchronous, so the result is never awaitable.
        result = cast(
            ExecutionResult,
            execute(
                graphql_schema,
                document,
                context_value=request,
                variable_values=variables,
                operation_name=operation_name,
                # Every resolver is synchronous: graphql-core need not inspect each value for awaitables.
                is_awaitable=_never_awaitable,
                hide_suggestions=_hide_suggestions(),
                execution_context_class=PlannedExecutionContext,
            ),
        )
        status = 200
        formatted = []
        for error in result.errors or ():
            error_status, entry = self.format_execution_error(request, error)
            status = max(status, error_status)
            formatted.append(entry)
        # An error before execution began (a variable, the operation to run) has no `data` entry at
        # all, as a parse or validation error has none (GraphQL over HTTP).
        before_execution = result.data is None and all(error.path is None for error in result.errors or ())
        payload: dict[str, Any] = {}
        # A server error keeps nothing of the answer either.
        if status < 500 and not (before_execution and formatted):
            payload["data"] = result.data
        if formatted:
            payload["errors"] = formatted
        return status, payload

    @staticmethod
    def check_mutation_request(request: HttpRequest) -> None:
        """A mutation comes only as a JSON POST (which a browser never sends cross-origin without
        asking first), from a frontend's origin when a browser sends it; it is never cached."""
        response_cache.forbid_caching()
        if request.method != "POST":
            raise RequestError(
                405, "METHOD_NOT_ALLOWED", "Mutations are sent with POST.", {"Allow": "POST, OPTIONS"}
            )
        if request.content_type != "application/json":
            raise RequestError(415, "UNSUPPORTED_MEDIA_TYPE", "Send mutations as `application/json`.")
        origin = request.headers.get("Origin")
        if origin is not None and not frontend_origin(origin):
            raise RequestError(403, "ORIGIN_NOT_ALLOWED", "Mutations are accepted only from PSG's frontends.")

    @staticmethod
    def format_validation_error(error: GraphQLError) -> dict[str, Any]:
        code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
        if isinstance(error, ValidationAbortedError) and not error.message.startswith("Too many"):
            # graphql-core's own work budget (or the recursion limit) ran out: a costly document.
            code = "QUERY_TOO_COMPLEX"
        entry: dict[str, Any] = {"message": public_message(error.message), "extensions": {"code": code}}
        return _with_locations(error, entry)

    def format_execution_error(self, request: HttpRequest, error: GraphQLError) -> tuple[int, dict[str, Any]]:
        original = error.original_error
        code = (error.extensions or {}).get("code")
        if error.path is None:
            # Not from a field: graphql-core refusing the request itself (a variable's value, the
            # operation to run), naming the variable when one is at fault.
            extensions: dict[str, Any] = {"code": code or "BAD_USER_INPUT"}
            definition = error.nodes[0] if error.nodes else None
            if isinstance(definition, VariableDefinitionNode):
                extensions["variable"] = definition.variable.name.value
            refusal: dict[str, Any] = {"message": public_message(error.message), "extensions": extensions}
            return 400, _with_locations(error, refusal)
        if isinstance(original, GraphQLError) or (original is None and code):
            source = original if isinstance(original, GraphQLError) else error
            extensions = dict(source.extensions or {})
            entry = {"message": public_message(source.message), "extensions": extensions, "path": error.path}
            return CLIENT_ERROR_STATUS.get(extensions.get("code"), 200), entry
        request_id = self.request_id(request)
        if isinstance(original, (OperationalError, InterfaceError)):
            logger.error("Database unavailable [request %s]", request_id, exc_info=original)
            return 503, _error(
                "The service is temporarily unavailable. Try again shortly.",
                "SERVICE_UNAVAILABLE",
                requestId=request_id,
            )
        if isinstance(original, DatabaseError) and "statement timeout" in str(original).lower():
            logger.error("Query timed out [request %s]", request_id, exc_info=original)
            return 503, _error("The query took too long.", "QUERY_TIMEOUT", requestId=request_id)
        logger.error("Unhandled error in GraphQL resolver [request %s]", request_id, exc_info=original)
        return 500, _error("Internal server error.", "INTERNAL_SERVER_ERROR", requestId=request_id)


def _retry_after(payload: dict[str, Any]) -> dict[str, str]:
    """A `Retry-After` header for an answer whose errors say how long to wait (a mutation's own
    limit): generic retry code reads the header, not the GraphQL error."""
    waits = [
        error["extensions"]["retryAfter"]
        for error in payload.get("errors", ())
        if isinstance(error.get("extensions", {}).get("retryAfter"), int)
    ]
    return {"Retry-After": str(max(waits))} if waits else {}


def _with_locations(error: GraphQLError, entry: dict[str, Any]) -> dict[str, Any]:
    """`entry` with where in the query `error` is, when it knows."""
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return entry


graphql_view = GraphQLHTTPView.as_view()


@csrf_exempt
def graphql_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other path under /graphql/ (`/graphql/x`, `/graphql//`): the API's JSON 404, whatever the
    method, not the site's HTML page or a trailing-slash redirect to it."""
    response = _json_response(
        {"errors": [_error("There is nothing here: the API is at /graphql/.", "NOT_FOUND")]},
        404,
        GraphQLHTTPView.request_id(request),
    )
    response["Cache-Control"] = "no-store"
    return response


def service_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 a client gets while the database is down, the same wherever the failure happened."""
    request_id = GraphQLHTTPView.request_id(request)
    return _json_response(
        {
            "errors": [
                _error(
                    "The service is temporarily unavailable. Try again shortly.",
                    "SERVICE_UNAVAILABLE",
                    requestId=request_id,
                )
            ]
        },
        503,
        request_id,
    )


class DatabaseUnavailableMiddleware:
    """A database outage outside the resolvers (view, session, user) answers /graphql/ with 503 JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # By path_info (without a SCRIPT_NAME prefix), and `/graphql` without its slash too.
        if not is_graphql(request):
            return None
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error(
            "Database unavailable [request %s]",
            GraphQLHTTPView.request_id(request),
            exc_info=exception,
        )
        return service_unavailable_response(request)
