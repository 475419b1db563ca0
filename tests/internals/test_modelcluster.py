"""What cms/internals/modelcluster.py relies on: for a page loaded from the database, the
constructors it leaves out (modelcluster's and Wagtail's) would have done nothing, and no other
class in a page type's ancestry has a constructor of its own."""

import pytest
from django.apps import apps
from modelcluster.models import ClusterableModel
from wagtail.contrib.forms.models import FormMixin
from wagtail.models import Page

from cms.internals.modelcluster import IDLE_WHEN_LOADED, constructors
from cms.models import BasePage
from events.models import EventPage
from formpages.models import FormPage
from home.models import StandardPage
from news.models import NewsPage
from tests.factories import EventPageFactory, FormPageFactory, NewsPageFactory, TopicFactory, make_site


@pytest.fixture
def parents():
    home, news_index, events_index = make_site()
    return {NewsPageFactory: news_index, EventPageFactory: events_index, FormPageFactory: home}


def page_types():
    return [model for model in apps.get_models() if issubclass(model, BasePage)]


def state(page):
    """Everything an object holds, its loading state and caches aside."""
    return {name: value for name, value in vars(page).items() if name != "_state"}


def test_page_types_without_other_constructors_skip_them_and_form_pages_do_not():
    assert IDLE_WHEN_LOADED == {ClusterableModel, Page}
    assert constructors(NewsPage) == constructors(StandardPage) == {ClusterableModel, Page}
    # Wagtail's FormMixin sets the landing page template in its constructor: form pages keep it.
    assert constructors(FormPage) == constructors(EventPage) == {ClusterableModel, Page, FormMixin}
    for model in page_types():
        assert model.from_db.__func__ is BasePage.from_db.__func__


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [NewsPageFactory, EventPageFactory, FormPageFactory])
def test_a_page_loaded_without_them_equals_one_loaded_through_them(factory, parents):
    created = factory(parent=parents[factory])
    if factory is NewsPageFactory:
        created.topics.add(TopicFactory())
    model = type(created)
    fields = [field.attname for field in model._meta.concrete_fields]
    row = list(model.objects.filter(pk=created.pk).values_list(*fields).get())

    loaded = model.from_db("default", fields, row)
    through_constructors = super(BasePage, model).from_db.__func__(model, "default", fields, row)
    assert type(loaded) is model
    assert state(loaded) == state(through_constructors)
    assert (loaded._state.adding, loaded._state.db) == (False, "default")
    # Deferred fields stay deferred, and load on access as Django's would.
    pk = model._meta.pk.attname
    # Values in the order of the model's concrete fields: Page's (id … title …), then the link.
    partial = model.from_db("default", ["id", "title", pk], [created.pk, created.title, created.pk])
    assert partial.get_deferred_fields() >= {"slug", "path"}
    assert partial.slug == created.slug
    # Queries leaving out different columns, one after another (where each value is in a row is
    # worked out per query): every row is read by its own query's names, as Django reads it.
    for left_out in ({"title", "slug", "body"}, {"path", "depth"}, {"title", "slug", "body"}):
        names = [name for name in fields if name not in left_out]
        row = list(model.objects.filter(pk=created.pk).values_list(*names).get())
        deferred = model.from_db("default", names, row)
        by_django = super(BasePage, model).from_db.__func__(model, "default", names, row)
        assert state(deferred) == state(by_django)
        assert deferred.get_deferred_fields() == left_out & set(fields)


@pytest.mark.django_db
def test_loaded_pages_keep_their_child_relations_and_save_them(parents):
    page = NewsPageFactory(parent=parents[NewsPageFactory])
    page.topics.add(TopicFactory(name="Mining"))
    page.save()
    loaded = type(page).objects.get(pk=page.pk)
    assert [topic.name for topic in loaded.topics.all()] == ["Mining"]
    loaded.title = "Renamed"
    loaded.save_revision().publish()
    assert type(page).objects.get(pk=page.pk).title == "Renamed"


@pytest.mark.django_db
def test_a_new_page_still_gets_its_content_type_and_menu_default():
    for model in page_types():
        page = model(title="New")
        assert page.content_type.model_class() is model
        assert page.show_in_menus == model.show_in_menus_default


@pytest.mark.django_db
def test_loading_runs_the_idle_constructors_only_for_page_types_that_need_theirs(parents, monkeypatch):
    NewsPageFactory(parent=parents[NewsPageFactory])
    FormPageFactory(parent=parents[FormPageFactory])
    built = []
    original = ClusterableModel.__init__

    def counting(self, *args, **kwargs):
        built.append(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(ClusterableModel, "__init__", counting)
    assert len(list(NewsPage.objects.all())) == 1
    assert built == []  # news pages load through Django's Model.__init__ alone
    assert len(list(FormPage.objects.all())) == 1
    assert built == [FormPage]  # form pages keep FormMixin's constructor, and the chain behind it
