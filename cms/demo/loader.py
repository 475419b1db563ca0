"""Builds PSG's site from psg_content.json. Idempotent: whatever already exists is left as it is."""

import datetime
import decimal
import io
import zoneinfo
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management.base import CommandError
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.utils.file import hash_filelike

from cms.demo import paragraph_html, truncate_at_sentence
from cms.demo.images import render_png
from cms.models import MenuItem, NavigationMenu, SiteSettings
from events.models import EventIndexPage, EventPage, ProgrammeItem, TicketPrice, Venue
from events.registrations import default_questions
from formpages.models import FormPage, FormPageField
from home.models import HomePage, HomePageFeaturedPage, JoinFormField, JoinPage, JoinReason, StandardPage
from news.models import NewsIndexPage, NewsPage, Topic

CREATED, UPDATED, DELETED, PRESENT = "created", "updated", "deleted", "already present"


class Report:
    """What a load created, updated or found already there, by kind of thing."""

    def __init__(self):
        self.counts = {}

    def record(self, kind, status):
        self.counts.setdefault(kind, Counter())[status] += 1

    def lines(self):
        for kind, counts in self.counts.items():
            parts = [
                f"{counts[status]} {status}"
                for status in (CREATED, UPDATED, DELETED, PRESENT)
                if counts[status]
            ]
            yield f"{kind}: {', '.join(parts)}"


class DemoContentLoader:
    """Loads the content in order: snippets and images first, then the pages that use them."""

    def __init__(self, data):
        self.data = data
        self.report = Report()
        self.tz = zoneinfo.ZoneInfo(data["timezone"])
        self.topics = {}
        self.images = {}
        self.venues = {}
        self.home = self.news_index = self.events_index = None

    def run(self):
        self.load_topics()
        self.load_images()
        self.load_venues()
        home_created = self.load_home()
        self.point_default_site_at_home()
        self.load_sections()
        self.load_events()
        self.load_news()
        if home_created:
            self.feature_pages()
        self.load_site_settings()
        self.load_menus()
        return self.report

    # --- Snippets and images ----------------------------------------------------------------------

    def load_topics(self):
        for name in self.data["topics"]:
            topic = Topic.objects.filter(name__iexact=name).first()
            if topic is None:
                topic = Topic.objects.create(name=name)
                self.report.record("Topics", CREATED)
            else:
                self.report.record("Topics", PRESENT)
            self.topics[name] = topic

    def load_images(self):
        image_model = get_image_model()
        for spec in self.data["images"]:
            image = image_model.objects.filter(title=spec["title"]).first()
            if image is None:
                image = self._create_image(image_model, spec)
                self.report.record("Images", CREATED)
            else:
                self.report.record("Images", PRESENT)
            self.images[spec["key"]] = image

    def _create_image(self, image_model, spec):
        content = render_png(spec)
        image = image_model(
            title=spec["title"],
            description=spec["description"],
            file=ImageFile(io.BytesIO(content), name=spec["filename"]),
            file_size=len(content),
            file_hash=hash_filelike(io.BytesIO(content)),
        )
        focal_point = spec.get("focal_point")
        if focal_point:
            image.focal_point_x = focal_point["x"]
            image.focal_point_y = focal_point["y"]
            image.focal_point_width = focal_point["width"]
            image.focal_point_height = focal_point["height"]
        image.save()
        return image

    def load_venues(self):
        for spec in self.data["venues"]:
            fields = {key: value for key, value in spec.items() if key != "name" and not key.startswith("_")}
            venue, created = Venue.objects.get_or_create(name=spec["name"], defaults=fields)
            self.report.record("Venues", CREATED if created else PRESENT)
            self.venues[venue.name] = venue

    # --- Pages ------------------------------------------------------------------------------------

    def _child_page(self, parent, model, slug, build):
        """The `model` page with this slug under `parent`: found, or built, added and published."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            existing = existing.specific
            if not isinstance(existing, model):
                raise CommandError(
                    f"{existing.url_path} is a {type(existing).__name__}, not a {model.__name__}: "
                    "move or rename it, then run the command again."
                )
            self.report.record("Pages", PRESENT)
            return existing
        page = build()
        page.slug = slug
        parent.add_child(instance=page)
        self._publish(page)
        self.report.record("Pages", CREATED)
        return page

    @staticmethod
    def _publish(page):
        # Logged as the admin logs an editor's save: the history then offers this version to
        # review and revert to, so an editor can undo a mistaken edit of the loaded content.
        page.save_revision(log_action=True).publish()

    def _page_at(self, path):
        """The page at a site path such as `/events/annual-conference-2016/`."""
        url_path = self.home.url_path.rstrip("/") + path
        page = Page.objects.filter(url_path=url_path).first()
        if page is None:
            raise CommandError(f"The demo content refers to {path}, which does not exist.")
        return page

    def load_home(self):
        """The home page under the tree's root; replaces Wagtail's welcome page. True if created."""
        spec = self.data["home"]
        root = Page.get_first_root_node()
        self.home = HomePage.objects.child_of(root).first()
        if self.home is not None:
            self.report.record("Pages", PRESENT)
            return False
        self._remove_welcome_page(root, spec["slug"])
        slug = spec["slug"]
        if root.get_children().filter(slug=slug).exists():
            slug = slugify(spec["title"])
        self.home = self._child_page(
            root,
            HomePage,
            slug,
            lambda: HomePage(
                title=spec["title"],
                hero_heading=spec["hero_heading"],
                hero_text=paragraph_html([spec["hero_text"]]),
                hero_image=self.images.get(spec.get("hero_image")),
            ),
        )
        return True

    def _remove_welcome_page(self, root, slug):
        """Delete the “Welcome to your new Wagtail site!” page, if it is a plain, childless Page."""
        plain_page = ContentType.objects.get_for_model(Page)
        welcome = root.get_children().filter(slug=slug, content_type=plain_page).first()
        if welcome is None or welcome.get_children().exists():
            return
        # Sites are deleted with their root page: point them at the tree's root first.
        for site in Site.objects.filter(root_page=welcome):
            site.root_page = root
            site.save()
        welcome.delete()
        self.report.record("Welcome page", DELETED)

    def point_default_site_at_home(self):
        spec = self.data["site"]
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname=spec["hostname"],
                port=spec["port"],
                site_name=spec["site_name"],
                root_page=self.home,
                is_default_site=True,
            )
            self.report.record("Default site", CREATED)
        elif site.root_page_id != self.home.pk:
            site.root_page = self.home
            site.site_name = site.site_name or spec["site_name"]
            site.save()
            self.report.record("Default site", UPDATED)
        else:
            self.report.record("Default site", PRESENT)

    def load_sections(self):
        """The news and events indexes, the standing pages and the join page, under the home page."""
        news, events = self.data["news_index"], self.data["events_index"]
        self.news_index = self._child_page(
            self.home, NewsIndexPage, news["slug"], lambda: NewsIndexPage(title=news["title"])
        )
        self.events_index = self._child_page(
            self.home, EventIndexPage, events["slug"], lambda: EventIndexPage(title=events["title"])
        )

        for spec in self.data["standing_pages"]:
            self._child_page(
                self.home,
                StandardPage,
                spec["slug"],
                lambda s=spec: StandardPage(
                    title=s["title"], summary=truncate_at_sentence(s["text"]), body=self._body(s)
                ),
            )

        spec = self.data["join_page"]
        join_page = self._child_page(
            self.home,
            JoinPage,
            spec["slug"],
            lambda: JoinPage(
                title=spec["title"],
                cta_label=spec["cta_label"],
                cta_url=spec["cta_url"],
                reasons=[JoinReason(text=text, sort_order=i) for i, text in enumerate(spec["reasons"])],
            ),
        )
        self._give_form(join_page, JoinFormField, spec["form"])

        for spec in self.data["form_pages"]:
            page = self._child_page(
                self.home,
                FormPage,
                spec["slug"],
                lambda s=spec: FormPage(title=s["title"], intro=paragraph_html([s["intro"]])),
            )
            self._give_form(page, FormPageField, spec["form"])

    def _give_form(self, page, field_model, spec):
        """The form's questions on a page that has none yet (as loaded, or from before forms)."""
        if page.form_fields.exists():
            return
        page.submit_label = spec["submit_label"]
        page.confirmation_message = spec["confirmation_message"]
        page.form_fields = [
            field_model(
                sort_order=i,
                label=field["label"],
                field_type=field["field_type"],
                required=field.get("required", True),
                choices=field.get("choices", ""),
                help_text=field.get("help_text", ""),
            )
            for i, field in enumerate(spec["fields"])
        ]
        self._publish(page)
        self.report.record("Forms", CREATED)

    def load_events(self):
        for spec in self.data["events"]:
            self._child_page(self.events_index, EventPage, spec["slug"], lambda s=spec: self._build_event(s))

    def _build_event(self, spec):
        registration = spec.get("registration_form")
        return EventPage(
            title=spec["title"],
            starts_at=self._london(spec["starts_at"]),
            ends_at=self._london(spec["ends_at"]),
            status=spec["status"],
            summary=spec["summary"],
            venue=self.venues[spec["venue"]] if spec.get("venue") else None,
            registration_required=spec["registration_required"],
            registration_note=spec["registration_note"],
            search_description=spec.get("search_description", ""),
            share_image=self.images.get(spec.get("share_image")),
            registration_form=registration is not None,
            registration_capacity=(registration or {}).get("capacity"),
            registration_waiting_list=bool((registration or {}).get("waiting_list")),
            submit_label=(registration or {}).get("submit_label", "Send"),
            form_fields=default_questions() if registration else [],
            prices=[
                TicketPrice(
                    label=p["label"],
                    amount=decimal.Decimal(p["amount"]),
                    currency=p["currency"],
                    sort_order=i,
                )
                for i, p in enumerate(spec["prices"])
            ],
            programme=[
                ProgrammeItem(time=datetime.time.fromisoformat(p["time"]), title=p["title"], sort_order=i)
                for i, p in enumerate(spec["programme"])
            ],
            body=self._body(spec),
        )

    def _london(self, value):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=self.tz) if value else None

    def load_news(self):
        # The JSON lists news as the site did, newest first. Items of the same date are listed
        # most recently published first, so publish them oldest first to keep the site's order.
        for spec in reversed(self.data["news"]):
            self._child_page(
                self.news_index, NewsPage, slugify(spec["title"]), lambda s=spec: self._build_news(s)
            )

    def _build_news(self, spec):
        page = NewsPage(
            title=spec["title"],
            publication_date=datetime.date.fromisoformat(spec["date"]),
            summary=spec.get("summary") or truncate_at_sentence(spec["text"]),
            main_image=self.images.get(spec.get("image")),
            body=self._body(spec),
        )
        page.topics.set([self.topics[name] for name in spec["topics"]])
        return page

    def _body(self, spec):
        """StreamField data for a page: its `body` blocks, or one paragraph with its `text`."""
        if "body" in spec:
            return [self._block(block) for block in spec["body"]]
        if spec.get("text"):
            return [{"type": "paragraph", "value": paragraph_html([spec["text"]])}]
        return []

    def _block(self, block):
        if block["type"] == "paragraph":
            link = f'linktype="page" id="{self._page_at(block["link"]).pk}"' if block.get("link") else None
            return {"type": "paragraph", "value": paragraph_html(block["lines"], link)}
        if block["type"] == "button":
            page = self._page_at(block["page"]) if block.get("page") else None
            value = {"label": block["label"], "page": page.pk if page else None, "url": "", "email": ""}
            return {"type": "button", "value": value}
        raise CommandError(f"Unknown block type in the demo content: {block['type']!r}")

    def feature_pages(self):
        self.home.featured_pages = [
            HomePageFeaturedPage(page=self._page_at(path), sort_order=i)
            for i, path in enumerate(self.data["home"]["featured_pages"])
        ]
        self._publish(self.home)

    # --- Settings and navigation ------------------------------------------------------------------

    def load_site_settings(self):
        """The default site's settings; an existing row only gets its empty fields filled in."""
        spec = {key: value for key, value in self.data["site_settings"].items() if not key.startswith("_")}
        for field in ("organisation_logo", "default_share_image"):
            if field in spec:
                spec[field] = self.images[spec[field]]
        site = Site.objects.get(is_default_site=True)
        settings, created = SiteSettings.objects.get_or_create(site=site, defaults=spec)
        if created:
            self.report.record("Site settings", CREATED)
            return
        empty = {field: value for field, value in spec.items() if value and not getattr(settings, field)}
        for field, value in empty.items():
            setattr(settings, field, value)
        if empty:
            settings.save()
        self.report.record("Site settings", UPDATED if empty else PRESENT)

    def load_menus(self):
        for spec in self.data["menus"]:
            if NavigationMenu.objects.filter(handle=spec["handle"]).exists():
                self.report.record("Menus", PRESENT)
                continue
            menu = NavigationMenu(
                name=spec["name"],
                handle=spec["handle"],
                items=[
                    MenuItem(page=self._page_at(path), sort_order=i) for i, path in enumerate(spec["items"])
                ],
            )
            menu.save()
            self.report.record("Menus", CREATED)
