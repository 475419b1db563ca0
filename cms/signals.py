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
    "cms.webhookendpoint",
    "cms.webhookdelivery",
}


def _content_changed(sender, **kwargs):
    label = sender._meta.label_lower
    if sender._meta.app_label in CONTENT_APPS and label not in IGNORED_MODELS:
        bump_generation()


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"psg-content-changed-{signal!r}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_generation, dispatch_uid=f"psg-page-changed-{signal!r}")
    post_save.connect(generate_after_commit, sender=get_image_model(), dispatch_uid="psg-renditions")
