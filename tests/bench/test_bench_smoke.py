"""`make bench`'s parts work: the dataset builder makes real pages, the table formats. No timing here."""

import pytest
from wagtail.models import Page

from bench import report
from bench.datasets import TOPICS_PER_ITEM, build
from bench.loadgen import busting_url
from events.models import EventPage
from news.models import NewsPage


@pytest.mark.django_db
def test_dataset_builder_makes_real_public_pages(gql):
    result = build(7, 3, n_images=2, log=lambda message: None)

    assert result == {"news": 7, "events": 3, "images": 2}
    assert NewsPage.objects.count() == 7 and EventPage.objects.count() == 3
    # Paths, depths and child counts as treebeard keeps them.
    assert all(not problems for problems in Page.find_problems())
    news_index = NewsPage.objects.first().get_parent()
    assert news_index.numchild == 7 and news_index.get_children().count() == 7
    assert all(page.topics.count() == TOPICS_PER_ITEM for page in NewsPage.objects.all())
    data = gql(
        "{ news(pageSize: 20) { items { title mainImage { rendition(filter: FILL_400X300) { width } } "
        "topics { name } } pagination { totalCount } } events { items { title prices { amount } } } }"
    )
    assert data["news"]["pagination"]["totalCount"] == 7
    assert data["news"]["items"][0]["mainImage"]["rendition"]["width"] == 400
    assert len(data["news"]["items"][0]["topics"]) == TOPICS_PER_ITEM
    assert len(data["events"]["items"]) == 3
    assert (
        gql('{ search(query: "Cajamarca") { pagination { totalCount } } }')["search"]["pagination"][
            "totalCount"
        ]
        >= 1
    )


def test_table_formats_with_ratios():
    rows = [
        {
            "dataset": "1,000 news",
            "scenario": "news",
            "server": "GraphQL uncached",
            "rps": 300.0,
            "p50_ms": 20.0,
            "p99_ms": 150.0,
            "queries": 7,
            "status": "200",
        },
        {
            "dataset": "1,000 news",
            "scenario": "news",
            "server": "REST v2",
            "rps": 150.0,
            "p50_ms": 40.0,
            "p99_ms": 200.0,
            "queries": 9,
            "status": "200",
        },
        {
            "dataset": "1,000 news",
            "scenario": "news",
            "server": "static file",
            "rps": 6000.0,
            "p50_ms": 0.5,
            "p99_ms": 3.0,
            "queries": 0,
            "status": "200",
        },
    ]
    report.add_ratios(rows)
    assert rows[0]["vs_rest"] == 2.0 and rows[0]["vs_static"] == 0.05

    text = report.text_table(rows)
    assert "GraphQL uncached" in text and "2.00×" in text and "0.05×" in text and "6,000" in text
    markdown = report.markdown_table(rows)
    assert markdown.count("\n") == 4 and markdown.startswith("| dataset |")


def test_cache_busting_url_keeps_the_variables_and_varies_the_query():
    prefix, suffix = busting_url("/graphql/", "{ a }", {"path": "/news/x/"})
    from urllib.parse import parse_qs, urlsplit

    first, second = (parse_qs(urlsplit(prefix + nonce + suffix).query) for nonce in ("1-2", "1-3"))
    assert first["variables"] == second["variables"] == ['{"path":"/news/x/"}']
    assert first["query"] == ["{ a }\n# 1-2\n"] and second["query"] == ["{ a }\n# 1-3\n"]


@pytest.mark.django_db
def test_query_counts_go_through_the_wsgi_application(settings):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from bench import querycount
    from bench.scenarios import NEWS_QUERY

    build(5, 1, n_images=2, log=lambda message: None)
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    # As the test client does: keep the test's transaction open across the requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        client = querycount.WSGIClient()
        querycount.graphql_get(client, NEWS_QUERY, None, nonce="warm")  # facts, site roots
        uncached = querycount.graphql_get(client, NEWS_QUERY, None, nonce="a")
        querycount.graphql_get(client, NEWS_QUERY, None)
        cached = querycount.graphql_get(client, NEWS_QUERY, None)
        without_fast_path = querycount.WSGIClient(fast_path=False)
        querycount.graphql_get(without_fast_path, NEWS_QUERY, None)
        from_django = querycount.graphql_get(without_fast_path, NEWS_QUERY, None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    # One query: the pages with their images (topics and renditions are known after the warm-up).
    assert uncached[0] == 1 and uncached[2] == 200
    # Answered by the response cache's fast path: no SQL at all, one Redis round trip.
    assert cached[0] == 0 and cached[2] == 200
    # Django's own application answers from the response cache, without the fast path's replay.
    assert from_django[0] == 0 and from_django[2] == 200
    assert querycount.WSGIClient(fast_path=False).application is not querycount.WSGIClient().application


def test_the_bench_server_without_the_fast_path_is_production_s_without_it():
    from api.graphql.fast_path import ResponseCacheFastPath
    from bench import no_fast_path
    from cms import asgi
    from cms.forwarded import TrustedForwardedProto

    production, plain = asgi.application, no_fast_path.asgi_application
    assert type(plain) is type(production) and plain.shortcut is production.shortcut
    assert isinstance(production.app, TrustedForwardedProto) and isinstance(plain.app, TrustedForwardedProto)
    assert isinstance(production.app.app, ResponseCacheFastPath)
    assert plain.app.app is production.app.app.application  # Django's handler, unwrapped


def test_the_fast_path_table_compares_each_cached_get_with_and_without():
    def row(scenario, server, rps, p50):
        return {"dataset": "200 news", "scenario": scenario, "server": server, "rps": rps, "p50_ms": p50}

    rows = [
        row("news: latest 20", report.CACHED, 1500.0, 5.0),
        row("news: latest 20", report.NO_FAST_PATH, 600.0, 12.5),
        row("search", report.CACHED, 1400.0, 5.5),  # no row without: not compared
    ]

    gains = report.fast_path_gains(rows)

    assert gains == [
        {
            "dataset": "200 news",
            "scenario": "news: latest 20",
            "rps_with": 1500.0,
            "rps_without": 600.0,
            "p50_with": 5.0,
            "p50_without": 12.5,
            "ratio": 2.5,
        }
    ]
    assert "2.50×" in report.fast_path_text(gains) and "1,500" in report.fast_path_text(gains)
    markdown = report.fast_path_markdown(gains)
    assert markdown.startswith("| dataset | scenario | req/s with |") and "| 2.50× |" in markdown


def test_each_cache_busting_run_sends_requests_no_run_sent_before():
    from bench import loadgen

    target = dict(zip(("prefix", "suffix"), loadgen.busting_url("/graphql/", "{ __typename }"), strict=True))
    first, second = loadgen.for_this_run(target), loadgen.for_this_run(target)
    assert first["prefix"].startswith(target["prefix"]) and first["prefix"] != second["prefix"]
    assert loadgen.for_this_run({"path": "/graphql/"}) == {"path": "/graphql/"}
