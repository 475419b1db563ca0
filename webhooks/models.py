"""The endpoints admins manage and the log of every delivery attempt.

The tables keep the names the `cms` app gave them (`cms_webhook…`): renaming them would break the
replicas of the release before the move while they drain during an upgrade (docs/deploy.md asks
every migration to stay compatible with the code one release behind). A later release can rename
them with AlterModelTable once no replica of that release is left.
"""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models

from webhooks.addresses import UnsafeURL, check_url_and_addresses


class WebhookEndpoint(models.Model):
    """A URL that receives the publish webhooks, besides those in PUBLISH_WEBHOOK_URLS."""

    url = models.URLField("URL", max_length=500, unique=True, help_text="Receives a signed POST per change.")
    active = models.BooleanField(default=True, help_text="Untick to stop sending without deleting it.")
    description = models.CharField(
        max_length=255, blank=True, help_text="What it is, e.g. “Production site”."
    )

    class Meta:
        db_table = "cms_webhookendpoint"
        ordering = ["url"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.url

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Here rather than in clean() so that the admin form, which leaves out a field that
        # already failed its own validation, does not check the URL a second time.
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "url" not in errors and "url" not in (exclude or ()):
            try:
                check_url_and_addresses(self.url)
            except UnsafeURL as exc:
                errors["url"] = [ValidationError(str(exc))]
        if errors:
            raise ValidationError(errors)


class WebhookDelivery(models.Model):
    """One attempt to deliver one message to one endpoint (a message retried five times: five rows)."""

    endpoint_url = models.URLField("endpoint URL", max_length=500)
    event_type = models.CharField(max_length=50)
    message_id = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField()
    attempt = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    response_excerpt = models.TextField(blank=True)
    succeeded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "cms_webhookdelivery"
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        outcome = self.status_code or self.error or "?"
        return f"{self.event_type} → {self.endpoint_url} (attempt {self.attempt}: {outcome})"
