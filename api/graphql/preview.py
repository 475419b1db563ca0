"""Drafts for the frontend's preview mode, behind short-lived signed tokens (rules: api/previews.py)."""

import logging

import graphene
from graphql import GraphQLError, GraphQLResolveInfo
from wagtail.models import Page

from api.graphql.interfaces import PageInterface
from api.previews import InvalidToken, token_page

logger = logging.getLogger(__name__)

MAX_TOKEN_LENGTH = 512

# One message and code for forged, expired, mismatched, unknown and retired tokens alike, so an
# answer never tells an attacker whether a page or a preview exists or what happened to it.
INVALID_TOKEN_MESSAGE = "This preview link is invalid or has expired. Press Preview in the admin again."  # noqa: S105 - a message, not a secret


def invalid_token_error() -> GraphQLError:
    return GraphQLError(INVALID_TOKEN_MESSAGE, extensions={"code": "PREVIEW_TOKEN_INVALID"})


def page_for_token(token: str) -> Page:
    """The draft a preview token was issued for, or raise the one invalid-token error."""
    try:
        return token_page(token)
    except InvalidToken as exc:
        logger.info("Preview token refused: %s", exc)
        raise invalid_token_error() from None


class PreviewQuery(graphene.ObjectType):
    preview = graphene.Field(
        graphene.NonNull(PageInterface),
        token=graphene.String(required=True, description="The `token` query parameter of the preview URL."),
        description="The draft an editor is previewing, as its specific type. Tokens expire "
        "(PREVIEW_TOKEN_MAX_AGE, one hour by default) and stop working when the page is deleted, "
        "moved, unpublished or published after the preview; an invalid, expired or retired one "
        "gets the error code PREVIEW_TOKEN_INVALID.",
    )

    @staticmethod
    def resolve_preview(root: object, info: GraphQLResolveInfo, token: str) -> Page:
        if len(token) > MAX_TOKEN_LENGTH:
            raise invalid_token_error()
        return page_for_token(token)
