"""Images as a frontend renders them: AVIF and WebP renditions, `<picture>` sources with width
descriptors for every crop, a placeholder and a colour, crops around the focal point, URLs on one
configured host; all made when the image is saved or its page published, none on a reader's request."""

import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images import get_image_model

from api.models import ImagePreview
from api.renditions import specs_to_make
from tests.factories import NewsPageFactory, make_site

pytestmark = pytest.mark.django_db

IMAGE_FIELDS = """
  alt width height placeholder dominantColor
  avif: rendition(filter: FILL_400X300, format: AVIF) { url format mimeType width height filter }
  webp: rendition(filter: WIDTH_800, format: WEBP) { url format mimeType width height }
  png: rendition(filter: WIDTH_800) { url format mimeType }
  widest: rendition(filter: FILL_1600X900, format: AVIF) { filter width height }
  wide: responsive(crop: WIDE) { crop src width height srcset sizes sources { format mimeType srcset } }
  original: responsive { srcset sizes sources { mimeType srcset } }
  srcset
"""
QUERY = f"""query($path: String!) {{
  page(path: $path) {{ ... on NewsPage {{ mainImage {{ {IMAGE_FIELDS} }} }} }} }}"""


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.GRAPHQL_RESPONSE_CACHE = False


def png(size, left=(200, 30, 30), right=(30, 30, 200)):
    """A PNG whose left half and right half differ, to see which part a crop kept."""
    picture = PILImage.new("RGB", size, left)
    picture.paste(right, (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name="lima.png")


def upload(django_capture_on_commit_callbacks, size=(1200, 800), **fields):
    """An image saved as the admin saves one: its renditions are made once the save commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return get_image_model().objects.create(title="Lima", file=png(size), **fields)


def inserts(captured):
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]


def test_renditions_placeholder_and_colour_are_made_when_the_image_is_saved(
    django_capture_on_commit_callbacks,
):
    image = upload(django_capture_on_commit_callbacks)
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == set(specs_to_make(image))
    assert {"fill-800x450|format-avif|avifquality-60", "width-1200|format-webp|webpquality-80"} <= made
    preview = ImagePreview.objects.get(image=image)
    assert preview.placeholder.startswith("data:image/webp;base64,")
    assert len(preview.placeholder) < 600


def test_a_reader_gets_avif_webp_and_picture_sources_and_makes_nothing(
    client, gql, django_capture_on_commit_callbacks
):
    _home, news_index, _events = make_site()
    image = upload(django_capture_on_commit_callbacks)
    NewsPageFactory(parent=news_index, slug="bambas", main_image=image)

    with CaptureQueriesContext(connection) as captured:
        data = gql(QUERY, {"path": "/news/bambas/"})
    assert inserts(captured) == [], "a reader's request made a rendition"
    # One query per format for every rendition of the response, one for the placeholders.
    read = [q["sql"] for q in captured.captured_queries if "wagtailimages_rendition" in q["sql"]]
    assert len(read) == 3, read

    shown = data["page"]["mainImage"]
    assert shown["avif"]["format"] == "AVIF" and shown["avif"]["mimeType"] == "image/avif"
    assert shown["avif"]["url"].endswith(".avif") and (shown["avif"]["width"], shown["avif"]["height"]) == (
        400,
        300,
    )
    assert shown["avif"]["filter"] == "fill-400x300"
    assert shown["webp"]["url"].endswith(".webp") and shown["webp"]["width"] == 800
    assert shown["png"]["format"] == "ORIGINAL" and shown["png"]["mimeType"] == "image/png"
    # Wider than the 1200-pixel original: the 1200-pixel file made in its stead, nothing made now.
    assert shown["widest"]["filter"] == "fill-1600x900" and shown["widest"]["width"] == 1200

    # The files are what they say: AVIF and WebP, served to anyone.
    for name, kind in (("avif", "AVIF"), ("webp", "WEBP")):
        response = client.get(shown[name]["url"].removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"] == f"image/{name}"
        assert PILImage.open(io.BytesIO(b"".join(response.streaming_content))).format == kind

    # 16:9 at every width the 1200-pixel original allows, in each format, with a sizes hint.
    wide = shown["wide"]
    assert wide["crop"] == "WIDE" and (wide["width"], wide["height"]) == (800, 450)
    assert [c.rsplit(" ", 1)[1] for c in wide["srcset"].split(", ")] == ["400w", "800w", "1200w"]
    assert wide["sizes"] == "(max-width: 1200px) 100vw, 1200px"
    assert [s["format"] for s in wide["sources"]] == ["AVIF", "WEBP"]
    assert all(
        candidate.split(" ")[0].endswith(f".{source['format'].lower()}")
        for source in wide["sources"]
        for candidate in source["srcset"].split(", ")
    )
    assert ".fill-1200x675." in wide["srcset"]
    assert "1200w" in shown["original"]["sources"][0]["srcset"]

    assert shown["placeholder"].startswith("data:image/webp;base64,")
    assert shown["dominantColor"] in ("#c81e1e", "#1e1ec8")


def test_publishing_a_page_makes_the_renditions_of_its_images(gql, django_capture_on_commit_callbacks):
    _home, news_index, _events = make_site()
    # Saved before renditions were made on save (no commit here): none yet.
    image = get_image_model().objects.create(title="Lima", file=png((900, 600)))
    page = NewsPageFactory(
        parent=news_index,
        slug="bambas",
        live=False,
        body=[("image", {"image": image, "alt_text": "", "caption": ""})],
    )
    assert not image.renditions.exists()

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(specs_to_make(image))
    assert ImagePreview.objects.filter(image=image).exists()


def test_crops_keep_the_focal_point_in_view(gql, django_capture_on_commit_callbacks):
    _home, news_index, _events = make_site()
    # Red on the left, blue on the right; the editor marked the right edge as what matters.
    image = upload(
        django_capture_on_commit_callbacks,
        size=(1600, 600),
        focal_point_x=1450,
        focal_point_y=300,
        focal_point_width=100,
        focal_point_height=100,
    )
    NewsPageFactory(parent=news_index, slug="focal", main_image=image)
    query = """{ page(path: "/news/focal/") {
      ... on NewsPage { mainImage { rendition(filter: FILL_400X300) { url } } } } }"""
    url = gql(query)["page"]["mainImage"]["rendition"]["url"]
    rendition = image.renditions.get(file__endswith=url.rsplit("/", 1)[1])
    with rendition.file.open() as file, PILImage.open(file) as picture:
        assert picture.convert("RGB").getpixel((200, 150)) == (30, 30, 200)


def test_image_urls_name_the_configured_host_never_the_requests(
    client, settings, django_capture_on_commit_callbacks
):
    _home, news_index, _events = make_site()
    NewsPageFactory(parent=news_index, slug="bambas", main_image=upload(django_capture_on_commit_callbacks))
    query = """{ page(path: "/news/bambas/") {
      ... on NewsPage { mainImage { rendition(filter: WIDTH_400) { url } } } } }"""

    def url(host):
        response = client.post("/graphql/", {"query": query}, content_type="application/json", HTTP_HOST=host)
        return response.json()["data"]["page"]["mainImage"]["rendition"]["url"]

    assert url("localhost") == url("127.0.0.1") == url("testserver")
    assert url("localhost").startswith("http://testserver/media/images/")  # WAGTAILADMIN_BASE_URL

    settings.MEDIA_BASE_URL = "https://media.example.org"
    assert url("localhost").startswith("https://media.example.org/media/images/")
