"""GraphQL for news: its types and root queries (listing, topics)."""

import graphene

from api.graphql.errors import UserInputError
from api.graphql.page_types import page_type
from api.graphql.pagination import PaginationInfo, paginate, pagination_arguments
from api.prefetch import prepare_pages
from api.search import matching_ids, validate_search_term
from news.models import NewsPage
from news.queries import news_items, topics_with_counts


def NewsPageType():  # noqa: N802 - a lazy type reference, named like the type it returns
    return page_type(NewsPage)


class TopicType(graphene.ObjectType):
    """A subject news is filed under."""

    class Meta:
        name = "Topic"

    name = graphene.String(required=True, description="Display name, e.g. “Human rights”.")
    slug = graphene.String(required=True, description="Use it to filter the news listing.")


class TopicCountType(graphene.ObjectType):
    """A topic with how many public news items it has."""

    class Meta:
        name = "TopicCount"

    name = graphene.String(required=True, description="Display name.")
    slug = graphene.String(required=True, description="Use it to filter the news listing.")
    count = graphene.Int(required=True, description="Public news items filed under it.")


class NewsOrder(graphene.Enum):
    """How to order the news listing."""

    NEWEST_FIRST = "newest"
    OLDEST_FIRST = "oldest"
    TITLE = "title"
    RELEVANCE = "relevance"

    @property
    def description(self):
        return {
            NewsOrder.NEWEST_FIRST: "By publication date, newest first (the default).",
            NewsOrder.OLDEST_FIRST: "By publication date, oldest first.",
            NewsOrder.TITLE: "Alphabetically by title.",
            NewsOrder.RELEVANCE: "Best match first; only with `search`.",
        }.get(self)


ORDERINGS = {
    "newest": ("-publication_date", "-first_published_at", "-pk"),
    "oldest": ("publication_date", "first_published_at", "pk"),
    "title": ("title", "pk"),
}


class NewsConnection(graphene.ObjectType):
    """One page of news items with the totals."""

    items = graphene.List(graphene.NonNull(NewsPageType), required=True, description="The news items.")
    pagination = graphene.Field(PaginationInfo, required=True, description="Totals and position.")


class NewsQuery(graphene.ObjectType):
    news = graphene.Field(
        NewsConnection,
        required=True,
        description="Public news, newest first by publication date, with filters and totals.",
        topic=graphene.String(description="Only items with this topic slug."),
        year=graphene.Int(description="Only items published in this year."),
        month=graphene.Int(description="With `year`: only items of this month (1–12)."),
        search=graphene.String(description="Full-text search in titles, summaries and bodies."),
        order=graphene.Argument(
            NewsOrder, description="Ordering; defaults to NEWEST_FIRST, or RELEVANCE with `search`."
        ),
        **pagination_arguments(),
    )
    news_topics = graphene.List(
        graphene.NonNull(TopicCountType),
        required=True,
        description="Topics that have public news, with their counts, busiest first.",
    )

    @staticmethod
    def resolve_news(root, info, page, page_size, topic=None, year=None, month=None, search=None, order=None):
        qs = news_items()
        if topic:
            qs = qs.filter(topics__slug=topic)
        if month is not None and year is None:
            raise UserInputError("`month` needs `year`.", argument="month")
        if year is not None:
            if not 1900 <= year <= 9999:
                raise UserInputError("`year` must be a four-digit year.", argument="year")
            qs = qs.filter(publication_date__year=year)
        if month is not None:
            if not 1 <= month <= 12:
                raise UserInputError("`month` must be between 1 and 12.", argument="month")
            qs = qs.filter(publication_date__month=month)
        order_value = getattr(order, "value", order)
        term = validate_search_term(search, "search")
        if order_value == "relevance" and not term:
            raise UserInputError("RELEVANCE ordering needs a `search` term.", argument="order")
        if term:
            ids = matching_ids(NewsPage.objects.live(), term)
            qs = qs.filter(pk__in=ids)
            if order_value in (None, "relevance"):
                matching = set(qs.values_list("pk", flat=True))
                page_ids, pagination = paginate([pk for pk in ids if pk in matching], page, page_size)
                by_id = news_items().in_bulk(page_ids)
                return _connection([by_id[pk] for pk in page_ids if pk in by_id], pagination)
        qs = qs.order_by(*ORDERINGS[order_value or "newest"])
        return _connection(*paginate(qs, page, page_size))

    @staticmethod
    def resolve_news_topics(root, info):
        return list(topics_with_counts())


def _connection(items, pagination):
    return NewsConnection(items=prepare_pages(items), pagination=pagination)
