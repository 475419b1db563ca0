"""Documents (reports, agendas) as the API serves them."""

import graphene
from graphql import GraphQLResolveInfo
from wagtail.documents.models import AbstractDocument

from api.media import cms_file_url


class DocumentType(graphene.ObjectType):
    """A file from the document library."""

    class Meta:
        name = "Document"

    id = graphene.ID(required=True, description="The document's id.")
    title = graphene.String(required=True, description="The document's title.")
    url = graphene.String(required=True, description="Absolute URL to download it, on the CMS's own host.")
    file_extension = graphene.String(required=True, description="E.g. `pdf`.")
    file_size = graphene.Int(description="Size in bytes, if known.")

    @staticmethod
    def resolve_url(document: AbstractDocument, info: GraphQLResolveInfo) -> str:
        return cms_file_url(document.url)

    @staticmethod
    def resolve_file_size(document: AbstractDocument, info: GraphQLResolveInfo) -> int | None:
        size: int | None = document.file_size
        return size
