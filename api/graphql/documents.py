"""Documents (reports, agendas) as the API serves them."""

import graphene


class DocumentType(graphene.ObjectType):
    """A file from the document library."""

    class Meta:
        name = "Document"

    id = graphene.ID(required=True, description="The document's id.")
    title = graphene.String(required=True, description="The document's title.")
    url = graphene.String(required=True, description="Absolute URL to download it.")
    file_extension = graphene.String(required=True, description="E.g. `pdf`.")
    file_size = graphene.Int(description="Size in bytes, if known.")

    @staticmethod
    def resolve_url(document, info):
        return info.context.build_absolute_uri(document.url)

    @staticmethod
    def resolve_file_size(document, info):
        return document.file_size
