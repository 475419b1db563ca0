"""Cut grapple's generated page types down to what is meant to be public.

grapple builds each page type as a DjangoObjectType over the whole model, so every Wagtail
column (draft_title, owner, locked_by, go_live_at, latest_revision…) would be queryable.
Here each type keeps only the shared interface's fields and the model's own `graphql_fields`.
"""

from grapple.registry import registry

from cms.graphql.interfaces import PageInterface


def declared_field_names(model):
    names = []
    for declaration in getattr(model, "graphql_fields", ()):
        field = declaration() if callable(declaration) else declaration
        names.append(field.field_name)
    return names


def restrict_page_types():
    for model, node in registry.pages.items():
        fields = node._meta.fields
        # The interface's declarations win (grapple redeclares `id` as nullable); then the
        # model's own fields in the order the model declares them; nothing else.
        kept = {**PageInterface._meta.fields, **{name: fields[name] for name in declared_field_names(model)}}
        fields.clear()
        fields.update(kept)
        # graphene freezes type options once built; the description is still ours to set.
        object.__setattr__(node._meta, "description", (model.__doc__ or model._meta.verbose_name).strip())
