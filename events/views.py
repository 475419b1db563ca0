"""The page a cancel link opens (mounted at /registrations/): it shows which registration the link
is for and a button; only pressing it (a POST) cancels, so a mail scanner or a link preview that
fetches the link cancels nothing."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from events.registering import cancel
from events.registration_emails import registration_id_from
from events.registrations import Registration


@never_cache
@require_http_methods(["GET", "POST"])
def cancel_registration(request: HttpRequest, token: str) -> HttpResponse:
    registration_id = registration_id_from(token)
    registration = (
        Registration.objects.select_related("page").filter(pk=registration_id).first()
        if registration_id is not None
        else None
    )
    if registration is None:
        response = render(request, "events/cancel_registration.html", {"missing": True}, status=404)
    else:
        event = registration.page.specific
        cancelled_now = False
        if request.method == "POST" and registration.status != Registration.Status.CANCELLED:
            registration = cancel(registration.pk) or registration
            cancelled_now = True
        context = {
            "event": event,
            "starts_at": timezone.localtime(event.starts_at),
            "registration": registration,
            "cancelled_now": cancelled_now,
            "already_cancelled": registration.status == Registration.Status.CANCELLED and not cancelled_now,
        }
        response = render(request, "events/cancel_registration.html", context)
    # A personal page: never indexed, never framed.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
