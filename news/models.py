"""News: the index that lists it and the dated news items."""

import datetime

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from api.graphql.fields import graphql_field
from api.prefetch import image_prefetch
from api.visibility import public_media
from cms.blocks import BodyBlock
from cms.models import BasePage, summary_field
from cms.panels import page_tabs


class Topic(TagBase):
    """A subject news is filed under (“Mining”, “Human rights”); a snippet so editors can curate them
    (news/wagtail_hooks.py)."""

    free_tagging = False

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"
        verbose_name_plural = "topics"


class TaggedNewsPage(ItemBase):
    """Links a news item to a topic."""

    tag = models.ForeignKey(Topic, related_name="tagged_news", on_delete=models.CASCADE)
    content_object = ParentalKey("news.NewsPage", related_name="tagged_topics", on_delete=models.CASCADE)


class NewsIndexPage(BasePage):
    """The news section; its children are the news items."""

    intro = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="Shown above the news list."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    edit_handler = page_tabs(content_panels)
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1

    graphql_fields = [
        graphql_field("intro", "api.graphql.rich_text.RichTextHTML", "Shown above the news list, as HTML."),
    ]

    class Meta:
        verbose_name = "news index"


class NewsPage(BasePage):
    """A dated news item on human rights, mining conflicts or politics in Peru."""

    publication_date = models.DateField(
        default=datetime.date.today,
        help_text="The date readers see. Independent of when the page is published or edited.",
    )
    summary = summary_field("What news lists, feeds and partner sites show.")
    body = StreamField(BodyBlock(), blank=True, help_text="The full story.")
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional; shown at the top of the story and in lists.",
    )
    topics = ClusterTaggableManager(
        through=TaggedNewsPage, blank=True, help_text="Choose one or more topics, e.g. Mining, Human rights."
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("publication_date"), FieldPanel("topics", heading="Topics")], "Filing"),
        FieldPanel("summary"),
        FieldPanel("main_image"),
        FieldPanel("body"),
    ]
    edit_handler = page_tabs(content_panels)
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        # The admin's page search matches as you type (autocomplete): let it find the text too.
        index.AutocompleteField("summary"),
        index.AutocompleteField("body"),
        index.FilterField("publication_date"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    # What API listings read, fetched for the whole list at once (api.prefetch).
    api_prefetch = [image_prefetch("main_image"), "prefetch_topics"]

    graphql_fields = [
        graphql_field("publication_date", "graphene.Date", "The date readers see (ISO 8601).", required=True),
        graphql_field(
            "summary", "graphene.String", "Plain-text summary, at most 300 characters.", required=True
        ),
        graphql_field(
            "body",
            "api.graphql.streamfield.BodyBlockInterface",
            "The story as typed blocks.",
            is_list=True,
        ),
        graphql_field(
            "main_image",
            "api.graphql.images.ImageType",
            "The main image, if any.",
            source="public_main_image",
        ),
        graphql_field(
            "topics",
            "news.schema.TopicType",
            "Topics the item is filed under.",
            is_list=True,
            source="topic_list",
        ),
    ]

    class Meta:
        verbose_name = "news item"
        verbose_name_plural = "news items"
        # Listings read the newest first: with this index the latest 20 cost the same at any size.
        indexes = [models.Index(fields=["publication_date"], name="news_publication_date_idx")]

    @property
    def public_main_image(self):
        return public_media(self.main_image)

    @property
    def topic_list(self):
        prefetched = getattr(self, "_topic_list", None)
        if prefetched is not None:
            return prefetched
        return sorted(self.topics.all(), key=lambda topic: topic.name)

    @staticmethod
    def prefetch_topics(pages):
        """Every page's topics in one query, one Topic object per topic (taggit's own prefetch
        builds a queryset per page, which cost more than the query)."""
        links = TaggedNewsPage.objects.filter(content_object_id__in=[page.pk for page in pages])
        topics, by_page = {}, {page.pk: [] for page in pages}
        rows = links.values_list("content_object_id", "tag_id", "tag__name", "tag__slug")
        for page_id, pk, name, slug in rows:
            if pk not in topics:
                topics[pk] = Topic(pk=pk, name=name, slug=slug)
            by_page[page_id].append(topics[pk])
        for page in pages:
            page._topic_list = sorted(by_page[page.pk], key=lambda topic: topic.name)
