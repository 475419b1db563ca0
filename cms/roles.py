"""PSG's roles as admin groups: what Editors and Moderators may do, and what each group is for.

`manage.py setup_workflows` (run by `make run` and by the container's entrypoint) creates the groups
and adds what each role needs; it never takes away a permission an administrator added.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page


@dataclass(frozen=True)
class Role:
    """A group of admin users: its purpose as the admin shows it, and everything it may do."""

    name: str
    purpose: str
    # On the whole page tree (Wagtail's page permissions).
    page_permissions: tuple[str, ...]
    # On every collection of images and documents, as "app_label.codename".
    collection_permissions: tuple[str, ...]
    # Everything else (the admin itself, snippets, settings), as "app_label.codename".
    model_permissions: tuple[str, ...]


MEDIA = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)

EDITORS = Role(
    name="Editors",
    purpose=(
        "Write and update news, events, standing pages, images, documents, topics and venues; "
        "submit pages for review. Cannot publish."
    ),
    page_permissions=("add_page", "change_page"),
    collection_permissions=MEDIA,
    model_permissions=(
        "wagtailadmin.access_admin",
        "news.add_topic",
        "news.change_topic",
        "events.add_venue",
        "events.change_venue",
    ),
)

MODERATORS = Role(
    name="Moderators",
    purpose=(
        "Everything Editors do, and publish: approve or send back what Editors submit, "
        "edit the menus and the site settings, delete topics and venues."
    ),
    page_permissions=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    collection_permissions=MEDIA,
    model_permissions=(
        *EDITORS.model_permissions,
        "news.delete_topic",
        "events.delete_venue",
        "cms.add_navigationmenu",
        "cms.change_navigationmenu",
        "cms.delete_navigationmenu",
        "cms.change_sitesettings",
    ),
)

# Personal data (form submissions, event registrations) is seen only by this group and superusers:
# what decides it is the permission to view form submissions (cms/personal_data.py), which only this
# role is given. Its members also need a page role (Editors or Moderators) for Wagtail's Forms menu,
# which lists the forms whose pages one may edit.
MEMBERSHIP = Role(
    name="Membership and events",
    purpose=(
        "See, export and delete what people send through forms and event registrations; answer "
        "requests to export or erase a person's data. Give it alongside Editors or Moderators."
    ),
    page_permissions=(),
    collection_permissions=(),
    model_permissions=(
        "wagtailadmin.access_admin",
        "wagtailforms.view_formsubmission",
        "wagtailforms.delete_formsubmission",
    ),
)

ROLES = (EDITORS, MODERATORS, MEMBERSHIP)


def purpose_of(group_name: str) -> str | None:
    """What the group of that name is for, if it is one of PSG's roles."""
    return next((role.purpose for role in ROLES if role.name == group_name), None)


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def set_up(role: Role) -> Group:
    """The role's group with at least the role's permissions (idempotent)."""
    group, _ = Group.objects.get_or_create(name=role.name)
    group.permissions.add(*(_permission(name) for name in role.model_permissions))
    page_type = ContentType.objects.get_for_model(Page)
    root_page = Page.get_first_root_node()
    for codename in role.page_permissions:
        permission = Permission.objects.get(content_type=page_type, codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    root_collection = Collection.get_first_root_node()
    for name in role.collection_permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=_permission(name)
        )
    return group
