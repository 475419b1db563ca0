"""Create (or reset) the development admin account and print how to sign in."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.env import get_env

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "peru-support-dev"  # noqa: S105 - a development-only account, refused outside DEBUG


class Command(BaseCommand):
    help = "Ensure a development superuser exists (DEBUG only) and print its credentials."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin is for development only (DEBUG is off).")
        username = get_env("DEV_ADMIN_USERNAME", DEFAULT_USERNAME)
        password = get_env("DEV_ADMIN_PASSWORD", DEFAULT_PASSWORD)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Reset'} development admin: "
                f"username {username!r}, password {password!r} (sign in at /admin/)"
            )
        )
