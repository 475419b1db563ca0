"""A text over its limit is refused with a message, never cut: the summaries (300 characters)."""

import re

import pytest

from news.models import NewsPage
from tests.admin.conftest import event_form, news_form
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

# 420 characters, as an editor pastes them: four sentences, the last ones past the limit.
PASTED = (
    "Communities along the mining corridor blocked the road again on Monday, asking for the consultation "
    "they were promised in 2023. "
) * 3 + "The company says talks resume next week; the communities say they have heard that before, twice."


def test_the_summary_box_counts_its_limit_instead_of_cutting_what_is_pasted(site, admin_client):
    content = admin_client.get(f"/admin/pages/add/news/newspage/{site[1].id}/").content.decode()
    summary = re.search(r"<textarea[^>]*name=\"summary\"[^>]*>", content).group(0)
    assert 'data-max-characters="300"' in summary
    assert "maxlength" not in summary
    assert "cms/character-count.js" in content


@pytest.mark.parametrize(
    "path, form",
    [
        ("/admin/pages/add/news/newspage/{news}/", news_form),
        ("/admin/pages/add/events/eventpage/{events}/", event_form),
    ],
    ids=["news", "event"],
)
def test_a_summary_over_300_characters_is_refused_with_a_message(site, admin_client, path, form):
    assert len(PASTED) > 300
    url = path.format(news=site[1].id, events=site[2].id)
    response = admin_client.post(url, form(summary=PASTED))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["summary"] == [
        f"At most 300 characters: this has {len(PASTED)}. Shorten it and save again (nothing was cut)."
    ]
    # The text comes back whole, for the editor to shorten.
    assert PASTED in response.content.decode().replace("&#x27;", "'")
    assert not NewsPage.objects.exists()


def test_a_summary_of_exactly_300_characters_is_saved_whole(site, admin_client):
    summary = ("x" * 299) + "."
    response = admin_client.post(f"/admin/pages/add/news/newspage/{site[1].id}/", news_form(summary=summary))
    assert response.status_code == 302
    assert NewsPage.objects.get().summary == summary


def test_other_text_boxes_have_no_counter(site, admin_client):
    page = StandardPageFactory(parent=site[0])
    content = admin_client.get(f"/admin/pages/{page.id}/edit/").content.decode()
    counted = [box for box in re.findall(r"<textarea[^>]*>", content) if "data-max-characters" in box]
    assert len(counted) == 1 and 'name="summary"' in counted[0]  # the search description has no limit
