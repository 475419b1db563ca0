"""HTTP endpoints of the project itself, besides GraphQL."""

from django.http import JsonResponse


def healthz(request):
    """The process is up (no dependencies checked)."""
    return JsonResponse({"status": "ok"})
