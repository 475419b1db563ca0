"""What cms/internals/modelsearch.py relies on in Wagtail's search backends still holds."""

import pytest
from wagtail.models import Page

from cms.internals.modelsearch import result_rows
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db


def test_results_are_their_ranked_queryset_and_give_the_same_ids_in_order():
    _home, news_index, _events = make_site()
    for n in range(3):
        summary = "Cajamarca " * (n + 1)
        NewsPageFactory(parent=news_index, title=f"Cajamarca water protest {n}", summary=summary)
    results = Page.objects.live().search("Cajamarca")[:10]
    assert hasattr(results, "get_queryset")
    iterated = [(page.pk, page.content_type_id) for page in Page.objects.live().search("Cajamarca")[:10]]
    assert len(iterated) == 3
    assert result_rows(results, fields=("content_type_id",)) == iterated
    assert result_rows(results) == [(pk,) for pk, _type in iterated]


def test_results_without_a_queryset_are_iterated():
    class Result:
        def __init__(self, pk):
            self.pk = pk
            self.content_type_id = pk * 10

    assert result_rows([Result(3), Result(1)], fields=("content_type_id",)) == [(3, 30), (1, 10)]
