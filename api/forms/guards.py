"""What keeps form submissions human and few: a honeypot, a minimum fill time, a tighter rate limit
and, when configured, a CAPTCHA checked with its provider.

The fill time is read from a signed token the form query hands out (`form { token }`) and the
submission returns: a submission sooner than FORMS_MIN_FILL_SECONDS after it, or with the honeypot
filled in, is answered as if accepted and dropped, so a bot learns nothing from the answer.
"""

import datetime
import json
import logging
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone

from api import api_keys, ratelimit
from cms.internals.django_signing import unsign_with_timestamp

logger = logging.getLogger("api.forms")

_SIGNER_SALT = "psg.forms.token"
# Names a bot is drawn to fill in, the first one no question of the form already uses.
_HONEYPOT_NAMES = ("website", "homepage", "company_website", "url_2")
SITEVERIFY_URLS = {
    "turnstile": "https://challenges.cloudflare.com/turnstile/v0/siteverify",
    "hcaptcha": "https://api.hcaptcha.com/siteverify",
}
_SITEVERIFY_TIMEOUT_SECONDS = 5


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SIGNER_SALT)


def form_token(page_id: int) -> str:
    """A token saying this form of page `page_id` was handed out now."""
    return _signer().sign(str(page_id))


class TokenExpired(Exception):
    """A well-formed token older than FORMS_TOKEN_MAX_AGE: the reader should reload the form."""


class TokenInvalid(Exception):
    """A token the CMS did not hand out for this page."""


def seconds_since_token(token: str, page_id: int) -> float:
    """How long ago the form carrying `token` was handed out; TokenInvalid or TokenExpired otherwise."""
    try:
        value, signed_at = unsign_with_timestamp(
            _signer(), token, max_age=datetime.timedelta(seconds=settings.FORMS_TOKEN_MAX_AGE)
        )
    except signing.SignatureExpired:
        raise TokenExpired from None
    except (signing.BadSignature, ValueError):
        raise TokenInvalid from None
    if value != str(page_id):
        raise TokenInvalid
    return (timezone.now() - signed_at).total_seconds()


def too_fast(seconds: float) -> bool:
    return bool(seconds < settings.FORMS_MIN_FILL_SECONDS)


def honeypot_name(field_names: set[str]) -> str:
    """The name of the field a frontend renders hidden and sends empty."""
    return next(name for name in _HONEYPOT_NAMES if name not in field_names)


def over_submission_limit(request: HttpRequest) -> int | None:
    """Count one submission against its client's tighter form bucket: seconds to wait if over it."""
    if not settings.RATE_LIMIT_ENABLED:
        return None
    limit = settings.FORMS_RATE_LIMIT_SUBMISSIONS
    if api_keys.verified(request.META) is not None:
        # A frontend's server forwarding its readers' answers: one address for all of them, so the
        # per-address count would hold a whole site to a few a minute. Its key's own limit counts it
        # (the rate limiter, like every keyed request); the token, honeypot and CAPTCHA still apply.
        return None
    try:
        count, retry_after = ratelimit.count_in_window("ratelimit:forms", ratelimit.client_address(request))
    except Exception:  # as the rate limiter does: an outage of the state store costs the limit only
        logger.exception("Form rate limiting skipped: the cache is unavailable.")
        return None
    return retry_after if count > limit else None


def captcha_required() -> bool:
    return bool(settings.FORMS_CAPTCHA_PROVIDER)


def captcha_passed(token: str | None, remote_ip: str) -> bool:
    """Whether the configured provider vouches for `token`; False when it cannot be asked."""
    if not token:
        return False
    provider = settings.FORMS_CAPTCHA_PROVIDER
    fields = {"secret": settings.FORMS_CAPTCHA_SECRET, "response": token}
    if remote_ip:
        fields["remoteip"] = remote_ip
    try:
        answer = siteverify(SITEVERIFY_URLS[provider], fields)
    except (OSError, ValueError) as exc:
        logger.warning("CAPTCHA check with %s failed (%s): submission refused", provider, type(exc).__name__)
        return False
    return answer.get("success") is True


def siteverify(url: str, fields: dict[str, str]) -> dict[str, Any]:
    """POST `fields` to a CAPTCHA provider's siteverify `url`: its JSON answer (the one network call)."""
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310 - a fixed https URL
    with urllib.request.urlopen(request, timeout=_SITEVERIFY_TIMEOUT_SECONDS) as response:  # noqa: S310
        answer = json.loads(response.read(65536))
    if not isinstance(answer, dict):
        raise ValueError("siteverify answered with something other than a JSON object")
    return answer
