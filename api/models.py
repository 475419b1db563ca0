"""What the delivery layer keeps in the database: trusted frontends' API keys (a hash and a non-secret
prefix, never a key), the operations the frontend's build registered, and each image's placeholder."""

from django.core.validators import MinValueValidator
from django.db import models
from wagtail.images import get_image_model_string


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


class PersistedQuery(models.Model):
    """An operation loaded from a frontend build's manifest: in allowlist mode, the only ones that run.

    Kept in the database, not the cache: the allowlist must survive restarts and memory pressure,
    and only `manage.py load_persisted_queries` writes it. What clients register on their own
    (automatic persisted queries) lives in the cache instead (api/graphql/persisted.py).
    """

    sha256_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the document's text, lowercase hex."
    )
    document = models.TextField(help_text="The GraphQL document, exactly as the build hashed it.")
    operation_name = models.CharField(max_length=255, blank=True)
    source = models.CharField(
        max_length=255, blank=True, help_text="Where it was loaded from: the manifest's file name, and how."
    )
    loaded_at = models.DateTimeField(auto_now_add=True)
    # Written when a request reads the operation from the database, which it does again only once the
    # cache has dropped it (GRAPHQL_PERSISTED_QUERY_TTL): a use at most that long ago, never a write
    # per request.
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "persisted query"
        verbose_name_plural = "persisted queries"
        ordering = ["operation_name", "sha256_hash"]

    def __str__(self) -> str:
        return f"{self.operation_name or 'anonymous'} ({self.sha256_hash[:12]}…)"

    @property
    def name(self) -> str:
        """The operation's name, or "(anonymous)"."""
        return self.operation_name or "(anonymous)"


class ImagePreview(models.Model):
    """What a frontend shows while an image loads (a tiny placeholder, its dominant colour), made
    with the image's renditions (api/renditions.py) so no reader's request decodes an image."""

    image = models.OneToOneField(
        get_image_model_string(), on_delete=models.CASCADE, related_name="api_preview"
    )
    # The file it was made from: a new upload makes a new preview.
    file_name = models.CharField(max_length=255)
    placeholder = models.TextField(help_text="A `data:image/webp;base64,…` URI of a tiny version.")
    dominant_colour = models.CharField(max_length=7, help_text="#rrggbb.")

    def __str__(self) -> str:
        return f"Preview of image {self.image_id}"
