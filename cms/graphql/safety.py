"""Cut grapple's generated page types down to what is meant to be public.

grapple builds each page type as a DjangoObjectType over the whole model, so every Wagtail
column (draft_title, owner, locked_by, go_live_at, latest_revision…) would be queryable.
Here each type keeps only the shared interface's fields and the model's own `graphql_fields`.
"""

from grapple.registry import registry

from cms.graphql.interfaces import PageInterface


def declared_field_names(model):
    names = set()
    for declaration in getattr(model, "graphql_fields", ()):
        field = declaration() if callable(declaration) else declaration
        names.add(field.field_name)
    return names


def restrict_page_types():
    interface_fields = set(PageInterface._meta.fields)
    for model, node in registry.pages.items():
        allowed = interface_fields | declared_field_names(model)
        for name in list(node._meta.fields):
            if name not in allowed:
                del node._meta.fields[name]
        # grapple redeclares `id` as nullable; the interface's declarations win.
        node._meta.fields.update(PageInterface._meta.fields)
        # graphene freezes type options once built; the description is still ours to set.
        object.__setattr__(node._meta, "description", (model.__doc__ or model._meta.verbose_name).strip())
