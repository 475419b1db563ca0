"""An upload returns without making its renditions: the editor's request makes the placeholder and
queues the rest for the worker; an API request before the worker has run makes only what it needs."""

from uuid import UUID

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model

from api.forms.emails import CONFIRMATION, send_form_email
from api.models import ImagePreview
from api.renditions import specs_to_make
from tests.factories import NewsPageFactory, make_site
from tests.image_upload import upload_image

QUERY = """{ news { items { mainImage { placeholder dominantColor
  rendition(filter: FILL_400X300, format: WEBP) { url width } } } } }"""


@pytest.fixture
def worker_queue(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }


def upload(admin_client):
    response = upload_image(admin_client, size=(1000, 700))
    assert response.status_code == 302
    return get_image_model().objects.latest("pk")


def run_worker():
    call_command(
        "db_worker", "--backend", "webhooks", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_upload_queues_the_renditions_and_makes_only_the_placeholder(worker_queue, admin_client, gql):
    image = upload(admin_client)
    assert image.renditions.count() == 0
    assert ImagePreview.objects.filter(image=image, file_name=image.file.name).exists()
    assert list(DBTaskResult.objects.values_list("task_path", "args_kwargs")) == [
        ("api.renditions.make_image_renditions", {"args": [image.pk], "kwargs": {}})
    ]

    # A reader before the worker: the one rendition asked for is made, with the placeholder there.
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, main_image=image)
    (item,) = gql(QUERY)["news"]["items"]
    assert item["mainImage"]["placeholder"].startswith("data:image/webp;base64,")
    assert item["mainImage"]["rendition"]["width"] == 400
    assert item["mainImage"]["rendition"]["url"].endswith(".webp")
    assert 1 <= image.renditions.count() < len(specs_to_make(image))

    run_worker()
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == set(specs_to_make(image))
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_image_deleted_before_the_worker_runs_is_skipped(worker_queue, admin_client):
    image = upload(admin_client)
    image.delete()
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_queued_renditions_never_hold_up_what_is_queued_after_them(worker_queue, admin_client):
    for _ in range(3):
        upload(admin_client)
    email = send_form_email.enqueue(12345, CONFIRMATION)  # queued last, a submission since erased
    call_command(
        "db_worker",
        "--backend",
        "webhooks",
        "--batch",
        "--max-tasks",
        "1",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )
    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert list(done.values_list("id", flat=True)) == [UUID(email.id)]
    assert DBTaskResult.objects.filter(status="READY").count() == 3
