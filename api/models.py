"""API keys of trusted frontends, as the CMS keeps them: a hash and a non-secret prefix, never a key."""

from django.core.validators import MinValueValidator
from django.db import models


class ApiKey(models.Model):
    """A frontend's server sends its key so that its requests count against the key's own rate
    limit (or none), not against its address's (api/api_keys.py)."""

    name = models.CharField(
        max_length=100, help_text="Which frontend uses it, e.g. “Public site, production build”."
    )
    prefix = models.CharField(
        max_length=16, editable=False, help_text="The key's first characters, to tell keys apart."
    )
    # SHA-256 of the whole key, in hex: the key itself is shown once, when it is made, and never kept.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Requests allowed per rate-limit window (a minute unless RATE_LIMIT_WINDOW says "
        "otherwise), counted for this key alone. Leave empty for no limit.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Written at most once a minute per key, not on every request (api/api_keys.py).
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
