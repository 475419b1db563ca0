"""Reactions to content changes: forget cached API answers, make renditions of new images."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.graphql.response_cache import bump_generation
from cms.renditions import generate_after_commit

# Apps whose rows can appear in API answers (or decide whether something appears).
CONTENT_APPS = {
    "cms",
    "home",
    "news",
    "events",
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


def _content_changed(sender, update_fields=None, **kwargs):
    label = sender._meta.label_lower
    if sender._meta.app_label not in CONTENT_APPS or label in IGNORED_MODELS:
        return
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    bump_generation()


def skip_image_dimension_reads():
    """Django's ImageField re-checks width and height on every image and rendition loaded (a
    post_init receiver that builds a FieldFile each time): about 10 µs an object, 40 objects an
    API listing. Wagtail stores both at upload, and assigning a new file still updates them (the
    field's descriptor does that), so loading needs none of it."""
    from django.db.models.signals import post_init

    image_model = get_image_model()
    for model in (image_model, image_model.get_rendition_model()):
        field = model._meta.get_field("file")
        post_init.disconnect(field.update_dimension_fields, sender=model)


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"psg-content-changed-{signal!r}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_generation, dispatch_uid=f"psg-page-changed-{signal!r}")
    post_save.connect(generate_after_commit, sender=get_image_model(), dispatch_uid="psg-renditions")
    skip_image_dimension_reads()
