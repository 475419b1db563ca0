"""Cut grapple's generated page types down to what is meant to be public.

grapple builds each page type as a DjangoObjectType over the whole model, so every Wagtail
column (draft_title, owner, locked_by, go_live_at, latest_revision…) would be queryable.
Here each type keeps only the shared interface's fields and the model's own `graphql_fields`.
"""

from grapple.registry import registry

from api.graphql.interfaces import PageInterface
from api.graphql.rich_text import RichTextHTML


def declared_fields(model):
    for declaration in getattr(model, "graphql_fields", ()):
        yield declaration() if callable(declaration) else declaration


def declared_field_names(model):
    return [field.field_name for field in declared_fields(model)]


def _unwrap(graphene_type):
    while hasattr(graphene_type, "of_type"):
        graphene_type = graphene_type.of_type
    return graphene_type


def _raw_value_resolver(source):
    def resolve(instance, info, **kwargs):
        return getattr(instance, source)

    return resolve


def restrict_page_types():
    for model, node in registry.pages.items():
        fields = node._meta.fields
        # The interface's declarations win (grapple redeclares `id` as nullable); then the
        # model's own fields in the order the model declares them; nothing else.
        kept = {**PageInterface._meta.fields, **{name: fields[name] for name in declared_field_names(model)}}
        fields.clear()
        fields.update(kept)
        # grapple renders RichTextFields itself (Wagtail's links, unfiltered); hand ours the source.
        for field in declared_fields(model):
            if _unwrap(field.field_type) is RichTextHTML:
                setattr(node, f"resolve_{field.field_name}", _raw_value_resolver(field.field_source))
        # graphene-django's own resolvers (`resolve_id`) would win over the interface's.
        for name in PageInterface._meta.fields:
            resolver = PageInterface.__dict__.get(f"resolve_{name}")
            if resolver is not None:
                setattr(node, f"resolve_{name}", resolver)
        # graphene freezes type options once built; the description is still ours to set.
        object.__setattr__(node._meta, "description", (model.__doc__ or model._meta.verbose_name).strip())
