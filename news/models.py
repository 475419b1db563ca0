"""News: the index that lists it and the dated news items."""

import datetime

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from api.graphql.fields import graphql_field
from api.prefetch import image_prefetch, is_prepared, loaded_for_batch, prepare_pages
from api.visibility import public_media, public_pages
from cms.blocks import BodyBlock
from cms.generation import KeptForGeneration
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
    api_prefetch = [image_prefetch("main_image")]

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
        graphql_field(
            "previous_item",
            "news.schema.NewsPageType",
            "The public news item published just before this one (by publication date); null for the oldest.",
            source="previous_item",
        ),
        graphql_field(
            "next_item",
            "news.schema.NewsPageType",
            "The public news item published just after this one (by publication date); null for the newest.",
            source="next_item",
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

    def share_image_fallback(self):
        return self.main_image

    def structured_data(self, context):
        """A schema.org NewsArticle with what Google asks of an article."""
        article = {
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "url": context.url(self),
            "mainEntityOfPage": context.url(self),
            "datePublished": context.london(self.published_moment),
            "dateModified": context.london(
                max(filter(None, [self.published_moment, self.last_published_at]))
            ),
            "author": context.organization(),
            "publisher": context.organization(),
        }
        if self.summary or self.search_description:
            article["description"] = self.search_description or self.summary
        image = context.share_image(self)
        if image:
            article["image"] = [image]
        topics = [topic.name for topic in self.topic_list]
        if topics:
            article["keywords"] = topics
        return [article]

    @property
    def published_moment(self):
        """When the story came out as readers date it: the moment it was first published if that was on
        its publication date, else the start of that day in London."""
        first = self.first_published_at
        if first and timezone.localtime(first).date() == self.publication_date:
            return first
        start = datetime.datetime.combine(self.publication_date, datetime.time.min)
        return timezone.make_aware(start, timezone.get_default_timezone())

    @property
    def previous_item(self):
        return loaded_for_batch(self, "news-neighbours", _load_neighbours).get(id(self), (None, None))[0]

    @property
    def next_item(self):
        return loaded_for_batch(self, "news-neighbours", _load_neighbours).get(id(self), (None, None))[1]

    @property
    def topic_list(self):
        if getattr(self, "_topic_list", None) is None and is_prepared(self):
            # A listing's topics load when first read, for the whole list: none if none is read.
            loaded_for_batch(self, "news-topics", _load_topics)
        prefetched = getattr(self, "_topic_list", None)
        if prefetched is not None:
            return prefetched
        # A page outside a response's list (a preview's, built from its draft) reads its own.
        return sorted(self.topics.all(), key=lambda topic: topic.name)

    @staticmethod
    def prefetch_topics(pages):
        """Every page's topics: those this process has not read in this generation in one query, one
        Topic object per topic (taggit's own prefetch builds a queryset per page, which cost more
        than the query)."""
        known = _known_topics.get_many(page.pk for page in pages)
        missing = list(
            dict.fromkeys(page.pk for page in pages if page.pk is not None and page.pk not in known)
        )
        if missing:
            links = TaggedNewsPage.objects.filter(content_object_id__in=missing)
            topics, by_page = {}, {pk: [] for pk in missing}
            rows = links.values_list("content_object_id", "tag_id", "tag__name", "tag__slug")
            for page_id, pk, name, slug in rows:
                if pk not in topics:
                    topics[pk] = Topic(pk=pk, name=name, slug=slug)
                by_page[page_id].append(topics[pk])
            read = {pk: tuple(sorted(found, key=lambda topic: topic.name)) for pk, found in by_page.items()}
            _known_topics.put_many(read)
            known.update(read)
        for page in pages:
            page._topic_list = list(known.get(page.pk, ()))


def _load_topics(pages):
    # A response's list may hold other page types too (search results): only news items have topics.
    NewsPage.prefetch_topics([page for page in pages if isinstance(page, NewsPage)])


# {page id: its topics, by name}. What a published page is filed under, and a topic's name and slug,
# change only with content, which starts a new generation: read once per generation, not per request.
_known_topics: KeptForGeneration[int, tuple[Topic, ...]] = KeptForGeneration(max_entries=20_000)


def _neighbour(older):
    """The id of the public news item just before (`older`) or after the outer item, in the listing's
    order (publication date, then first publication, then id)."""
    date, first, pk = OuterRef("publication_date"), OuterRef("first_published_at"), OuterRef("pk")
    if older:
        beyond = Q(publication_date__lt=date) | Q(publication_date=date, first_published_at__lt=first)
        beyond |= Q(publication_date=date, first_published_at=first, pk__lt=pk)
        order = ("-publication_date", "-first_published_at", "-pk")
    else:
        beyond = Q(publication_date__gt=date) | Q(publication_date=date, first_published_at__gt=first)
        beyond |= Q(publication_date=date, first_published_at=first, pk__gt=pk)
        order = ("publication_date", "first_published_at", "pk")
    return Subquery(public_pages(NewsPage).filter(beyond).order_by(*order).values("pk")[:1])


def _load_neighbours(pages):
    """{id(page): (previous, next)} for a list of news items: two queries, however long the list."""
    saved = [page for page in pages if page.pk is not None]
    if not saved:
        return {}
    rows = (
        NewsPage.objects.filter(pk__in=[page.pk for page in saved])
        .annotate(older=_neighbour(older=True), newer=_neighbour(older=False))
        .values_list("pk", "older", "newer")
    )
    pairs = {pk: (older, newer) for pk, older, newer in rows}
    wanted = {pk for pair in pairs.values() for pk in pair if pk}
    found = public_pages(NewsPage).select_related("main_image").in_bulk(wanted) if wanted else {}
    prepare_pages(found.values())
    return {
        id(page): tuple(found.get(pk) if pk else None for pk in pairs.get(page.pk, (None, None)))
        for page in saved
    }
