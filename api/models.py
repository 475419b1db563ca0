"""What the delivery layer keeps in the database: the operations the frontend's build registered."""

from django.db import models


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
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "persisted query"
        verbose_name_plural = "persisted queries"
        ordering = ["operation_name", "sha256_hash"]

    def __str__(self) -> str:
        return f"{self.operation_name or 'anonymous'} ({self.sha256_hash[:12]}…)"
