"""What cms/internals/modelsearch.py relies on in Wagtail's search backends still holds."""

import pytest
from wagtail.models import Page

from cms.internals.modelsearch import result_ids
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db


def test_results_are_their_ranked_queryset_and_give_the_same_ids_in_order():
    _home, news_index, _events = make_site()
    for n in range(3):
        summary = "Cajamarca " * (n + 1)
        NewsPageFactory(parent=news_index, title=f"Cajamarca water protest {n}", summary=summary)
    results = Page.objects.live().search("Cajamarca")[:10]
    assert hasattr(results, "get_queryset")
    iterated = [page.pk for page in Page.objects.live().search("Cajamarca")[:10]]
    assert len(iterated) == 3
    assert result_ids(results) == iterated


def test_results_without_a_queryset_are_iterated():
    class Result:
        def __init__(self, pk):
            self.pk = pk

    assert result_ids([Result(3), Result(1)]) == [3, 1]
