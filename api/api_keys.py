"""API keys of trusted frontends: how a request presents one, how it is checked, what it grants.

A frontend's server sends `Authorization: Bearer <key>`. A valid key puts the request on the key's
own rate-limit counter (or on none) instead of its address's; it changes nothing in an answer. The
rate limiter checks the key (api/ratelimit.py) and leaves what it found in request.META, where the
response cache reads it (api/graphql/response_cache.py).

Only the SHA-256 of a key is stored. A key holds 256 random bits, so a fast hash resists guessing as
well as a slow password hash would, and a key is found by its hash (an index lookup), never compared
in Python. What a key grants is cached for GRANT_SECONDS, so a busy key costs no query per request;
the query made when that entry is missing is also when the key's last use is written, so a key in
use is written at most once a minute. Revoking or deleting a key replaces its cached grant with a
refusal at once.

The server's front imports this module, through the rate limiter, before Django's apps are loaded
(cms/asgi.py), so the model is reached through the app registry, never imported.
"""

import hashlib
import json
import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

if TYPE_CHECKING:
    from api.models import ApiKey

logger = logging.getLogger("api.api_keys")

# Where the rate limiter leaves a request's verified key: request.META (the WSGI environ), under a
# name that is not HTTP_*, so no request header can forge it.
VERIFIED = "psg.api_key"
# How long a key's grant (or its refusal) is cached; also the resolution of its last-used time.
GRANT_SECONDS = 60

_SCHEME = "psg_"
# The scheme, eight hex digits (the prefix shown in lists) and 43 base64url characters (256 bits).
_KEY_FORMAT = re.compile(r"psg_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
_REFUSED = "refused"


@dataclass(frozen=True)
class TrustedFrontend:
    """A request's verified key: counted on its own counter, within `rate_limit` (None: no limit)."""

    digest: str
    rate_limit: int | None


def new_key() -> tuple[str, str, str]:
    """A new key: (the key, to show once; its prefix, to show in lists; its digest, to store)."""
    prefix = _SCHEME + secrets.token_hex(4)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, digest_of(key)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def presented_key(meta: Mapping[str, Any]) -> str | None:
    """The key a request sends (`meta`: request.META or a WSGI environ), None when it sends none.

    `Authorization: Bearer …` is a key, whatever follows. A key sent without the scheme or under
    another one (`Token psg_…`) is a mistake to answer, not to ignore: it is presented as "" (never
    valid). Any other credentials (a proxy's Basic authentication) are not the API's business, and
    the request stays anonymous.
    """
    value = str(meta.get("HTTP_AUTHORIZATION", "")).strip()
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if value.startswith(_SCHEME) or credentials.strip().startswith(_SCHEME):
        return ""
    return None


def verified(meta: Mapping[str, Any]) -> TrustedFrontend | None:
    """The key the rate limiter verified for this request, if any."""
    frontend: TrustedFrontend | None = meta.get(VERIFIED)
    return frontend


def verify(key: str) -> TrustedFrontend | None:
    """What `key` grants, or None when it is malformed, unknown or revoked."""
    if not _KEY_FORMAT.fullmatch(key):
        return None
    digest = digest_of(key)
    try:
        cached = cache.get(_cache_key(digest))
    except Exception:  # a cache outage costs a query, never the answer
        logger.exception("API keys: the cache is unavailable; reading the key from the database.")
        cached = None
    if cached == _REFUSED:
        return None
    if cached is not None:
        return TrustedFrontend(digest, cast(tuple[int | None], cached)[0])
    found = (
        _model()
        .objects.filter(digest=digest, revoked_at__isnull=True)
        .values_list("pk", "rate_limit")
        .first()
    )
    if found is None:
        return None
    pk, rate_limit = found
    _model().objects.filter(pk=pk).update(last_used_at=timezone.now())
    try:
        # add(), not set(): a refusal written meanwhile by a revocation stays.
        cache.add(_cache_key(digest), (rate_limit,), GRANT_SECONDS)
    except Exception:
        logger.exception("API keys: the cache is unavailable; the key was not cached.")
    return TrustedFrontend(digest, rate_limit)


def invalid_key_response() -> HttpResponse:
    """401 for a key that is malformed, unknown or revoked (one answer for all: no oracle)."""
    body = {
        "errors": [
            {
                "message": "The API key is not valid: unknown, revoked, or not sent as "
                "`Authorization: Bearer <key>`.",
                "extensions": {"code": "INVALID_API_KEY"},
            }
        ]
    }
    response = HttpResponse(
        json.dumps(body, separators=(",", ":")), status=401, content_type="application/json"
    )
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    response["Cache-Control"] = "no-store"
    return response


def connect() -> None:
    """Forget a key's cached grant whenever the key is saved or deleted (called by ApiConfig.ready)."""
    post_save.connect(_key_saved, sender="api.ApiKey", dispatch_uid="api_keys.saved")
    post_delete.connect(_key_deleted, sender="api.ApiKey", dispatch_uid="api_keys.deleted")


def _key_saved(sender: type["ApiKey"], instance: "ApiKey", **kwargs: Any) -> None:
    _forget_grant(instance.digest, refuse=instance.revoked_at is not None)


def _key_deleted(sender: type["ApiKey"], instance: "ApiKey", **kwargs: Any) -> None:
    _forget_grant(instance.digest, refuse=True)


def _forget_grant(digest: str, refuse: bool) -> None:
    # A revoked or deleted key is refused from the cache, so a request checking the key while it is
    # being revoked cannot put its grant back (it only adds); any other change (a new limit) is
    # simply read afresh.
    def forget() -> None:
        try:
            if refuse:
                cache.set(_cache_key(digest), _REFUSED, GRANT_SECONDS)
            else:
                cache.delete(_cache_key(digest))
        except Exception:
            logger.exception("API keys: the cache is unavailable; a changed key may be served from it.")

    # Now, for this process and the admin's next request; and again once committed, in case a
    # request read the key from the database in between.
    forget()
    transaction.on_commit(forget)


def _cache_key(digest: str) -> str:
    return f"api-key:{digest}"


def _model() -> type["ApiKey"]:
    model: type[ApiKey] = apps.get_model("api", "ApiKey")
    return model
