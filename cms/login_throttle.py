"""Lockouts after failed sign-ins and password guesses, built on django-axes.

Failures are counted per client address and per username (each on its own; reaching the limit on
either locks). Once locked, every further failure that gets through after the lockout ends
doubles the next one, up to `LOGIN_LOCKOUT_MAX_SECONDS`; failures are remembered for
`LOGIN_FAILURE_MEMORY_SECONDS` after the last one. Attempts made while locked out are refused
before any password is checked and are not recorded, so hammering neither reveals anything nor
grows the table.
"""

import datetime
import ipaddress
import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from api.ratelimit import client_address

# AccessAttempt.username is a 255-character column.
_USERNAME_MAX_LENGTH = 255


def client_ip(request: HttpRequest) -> str | None:
    """The address failures are counted against: the rate limiter's client (TRUSTED_PROXIES decides
    whether X-Forwarded-For is believed), an IPv6 client as its whole /64."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username as typed, cut to what the attempts table stores (NUL bytes replaced: PostgreSQL
    refuses them in text)."""
    field = str(settings.AXES_USERNAME_FORM_FIELD)
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "POST", {}).get(field)
    if username is None:
        return None
    return str(username).replace("\x00", "\ufffd")[:_USERNAME_MAX_LENGTH]


def cool_off_after(failures: int) -> datetime.timedelta:
    """How long a client is locked out after its `failures`-th failure: the base lockout at the limit,
    doubled for every failure beyond it, never longer than the maximum."""
    limit = settings.AXES_FAILURE_LIMIT
    base = settings.LOGIN_LOCKOUT_SECONDS
    maximum = settings.LOGIN_LOCKOUT_MAX_SECONDS
    beyond = max(0, failures - limit)
    # Any sensible maximum applies long before 40 doublings; stop the power growing without bound.
    seconds = maximum if beyond > 40 else min(maximum, base * 2**beyond)
    return datetime.timedelta(seconds=seconds)


def cool_off(request: HttpRequest | None = None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: the lockout the request's client has earned so far (the base one when none)."""
    if request is None or not hasattr(request, "axes_ip_address"):
        return cool_off_after(settings.AXES_FAILURE_LIMIT)
    failures = AxesProxyHandler.get_implementation().get_failures(request)
    return cool_off_after(max(failures, settings.AXES_FAILURE_LIMIT))


def failure_memory() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LOGIN_FAILURE_MEMORY_SECONDS)


class GrowingLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with lockouts that grow with every failure past the limit."""

    def get_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> list:
        since = (request.axes_attempt_time or timezone.now()) - failure_memory()
        return [
            attempts.filter(attempt_time__gte=since)
            for attempts in self.filter_user_attempts(request, credentials)
        ]

    def lockout_remaining(
        self, request: HttpRequest, credentials: dict | None = None
    ) -> datetime.timedelta | None:
        """How long the client (its address or the username tried) stays locked out; None if it is not."""
        limit = get_failure_limit(request, credentials)
        now = request.axes_attempt_time or timezone.now()
        longest = None
        for attempts in self.get_user_attempts(request, credentials):
            totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            failures = totals["failures"] or 0
            if failures < limit:
                continue
            remaining = totals["last"] + cool_off_after(failures) - now
            if remaining > datetime.timedelta(0) and (longest is None or remaining > longest):
                longest = remaining
        return longest

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return settings.AXES_LOCK_OUT_AT_FAILURE and self.lockout_remaining(request, credentials) is not None

    def clean_expired_user_attempts(
        self, request: HttpRequest | None = None, credentials: dict | None = None
    ) -> int:
        # Forget failures by age alone: the default deletes with the current client's cool-off,
        # which would wipe other clients' longer lockouts.
        count, _ = AccessAttempt.objects.filter(attempt_time__lt=timezone.now() - failure_memory()).delete()
        return count

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A successful sign-in clears only its own username-and-address failures. The default
        # clears every failure from that address and for that username, so anyone holding one
        # valid account could wipe the address counter between guesses at others.
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: one page for every locked-out sign-in or password form.

    It depends only on the failures counted, never on whether the username exists.
    """
    remaining = AxesProxyHandler.get_implementation().lockout_remaining(request, credentials)
    seconds = max(1, math.ceil(remaining.total_seconds())) if remaining else settings.LOGIN_LOCKOUT_SECONDS
    minutes = max(1, math.ceil(seconds / 60))
    response = TemplateResponse(
        request,
        "cms/admin/locked_out.html",
        {"retry_after_seconds": seconds, "retry_after_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response.render()


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, run before any backend compares a password.

    Calls without a request (Django's test client `login()`, scripts) are not sign-ins from the
    web; they go straight to the next backend instead of failing.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
