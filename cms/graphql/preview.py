"""Drafts for the frontend's preview mode, behind short-lived signed tokens."""

import logging

import graphene
from django.conf import settings
from django.core import signing
from graphql import GraphQLError
from wagtail_headless_preview.models import PagePreview

from cms.graphql.interfaces import PageInterface

logger = logging.getLogger(__name__)

# One message and code for forged, expired, mismatched and unknown tokens alike, so an
# answer never tells an attacker whether a page or a preview exists.
INVALID_TOKEN_MESSAGE = "This preview link is invalid or has expired. Press Preview in the admin again."  # noqa: S105 - a message, not a secret


def invalid_token_error():
    return GraphQLError(INVALID_TOKEN_MESSAGE, extensions={"code": "PREVIEW_TOKEN_INVALID"})


def page_for_token(token):
    """The draft a preview token was issued for, or raise the one invalid-token error."""
    signer = signing.TimestampSigner(salt="headlesspreview.token")
    try:
        signer.unsign(token, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
        preview = PagePreview.objects.get(token=token)
        return preview.as_page()
    except (signing.BadSignature, PagePreview.DoesNotExist, ValueError, LookupError) as exc:
        logger.info("Preview token refused: %s", type(exc).__name__)
        raise invalid_token_error() from None


class PreviewQuery(graphene.ObjectType):
    preview = graphene.Field(
        graphene.NonNull(PageInterface),
        token=graphene.String(required=True, description="The `token` query parameter of the preview URL."),
        description="The draft an editor is previewing, as its specific type. Tokens expire "
        "(PREVIEW_TOKEN_MAX_AGE, one hour by default); an invalid or expired one gets the "
        "error code PREVIEW_TOKEN_INVALID.",
    )

    @staticmethod
    def resolve_preview(root, info, token):
        if len(token) > 512:
            raise invalid_token_error()
        return page_for_token(token)
