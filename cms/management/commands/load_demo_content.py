"""`python manage.py load_demo_content`: build PSG's site from the seed in cms/demo/psg_content.json."""

from django.core.management.base import BaseCommand
from django.db import transaction

from cms.demo import DATA_FILE, load_data
from cms.demo.loader import DemoContentLoader


class Command(BaseCommand):
    help = (
        "Build the Peru Support Group site (home, news, events, standing pages, images, settings, menu) "
        "from cms/demo/psg_content.json. Safe to run again: what exists is left as it is."
    )

    def handle(self, *args, **options):
        data = load_data(DATA_FILE)
        with transaction.atomic():
            report = DemoContentLoader(data).run()
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
