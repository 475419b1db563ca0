"""Reactions to content changes: forget cached API answers (here and in the HTTP cache tier), make
renditions of new images."""

from collections.abc import Collection

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished, post_page_move

from api import edge_cache
from api.renditions import generate_after_commit
from cms.generation import bump_generation
from cms.internals.django_images import skip_dimension_reads_on_load

# Apps whose rows can appear in API answers (or decide whether something appears).
CONTENT_APPS = {
    "cms",
    "home",
    "news",
    "events",
    "formpages",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "taggit",
}
# Rows in those apps that never change an answer: bumping on them would only empty the cache.
IGNORED_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.uploadedfile",
    "wagtailcore.referenceindex",
    "wagtailimages.rendition",
    "wagtailcore.grouppagepermission",
    "wagtailcore.groupcollectionpermission",
}


# Page fields a draft, a comment or a lock writes: saving only these changes no published answer
# (Wagtail's save_revision and workflow locking save with exactly such `update_fields`).
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def _content_changed(
    sender: type[Model], update_fields: Collection[str] | None = None, **kwargs: object
) -> None:
    label = sender._meta.label_lower
    if sender._meta.app_label not in CONTENT_APPS or label in IGNORED_MODELS:
        return
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    _forget_content()


def _forget_content(**_signal_kwargs: object) -> None:
    bump_generation()
    edge_cache.forget_after_commit()


def skip_image_dimension_reads() -> None:
    """Images and renditions are loaded without Django re-reading their dimensions: Wagtail stored
    them at upload (cms/internals/django_images.py)."""
    image_model = get_image_model()
    for model in (image_model, image_model.get_rendition_model()):
        skip_dimension_reads_on_load(model, "file")


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"psg-content-changed-{signal!r}")
    for page_signal in (page_published, page_unpublished, post_page_move):
        page_signal.connect(_forget_content, dispatch_uid=f"psg-page-changed-{page_signal!r}")
    post_save.connect(generate_after_commit, sender=get_image_model(), dispatch_uid="psg-renditions")
    edge_cache.connect()
    skip_image_dimension_reads()
