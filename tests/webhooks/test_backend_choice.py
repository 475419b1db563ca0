"""TASKS_BACKEND picks where deliveries run: the database (production's default) or the request
(`make run`'s default); anything else stops the process at start with a clear message."""

import os
import secrets
import subprocess

import pytest

from tests.ops.conftest import BIN, ROOT

PRINT_BACKEND = "from django.conf import settings; print(settings.TASKS['webhooks']['BACKEND'])"


def tasks_backend(settings_module, **env):
    return subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", "shell", "--no-imports", "-c", PRINT_BACKEND],
        cwd=ROOT,
        env={
            **{name: value for name, value in os.environ.items() if name != "TASKS_BACKEND"},
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "cms.example.org",
            "DATABASE_URL": "postgres://psg@db.internal:5432/psg",  # read, never connected to
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "settings_module, expected",
    [
        ("cms.settings.production", "django_tasks_db.DatabaseBackend"),
        ("cms.settings.dev", "django_tasks.backends.immediate.ImmediateBackend"),
    ],
)
def test_the_default_backend(settings_module, expected):
    result = tasks_backend(settings_module)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_an_unknown_backend_stops_the_start():
    result = tasks_backend("cms.settings.production", TASKS_BACKEND="redis")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of database, immediate, got 'redis'." in result.stderr


@pytest.mark.parametrize("settings_module", ["cms.settings.production", "cms.settings.dev"])
def test_wagtails_own_tasks_run_before_the_request_returns(settings_module):
    # The search and reference indexes must be current for the very next request, worker or not.
    printed = subprocess.run(  # noqa: S603
        [
            str(BIN / "python"),
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "cms.example.org",
            "DATABASE_URL": "postgres://psg@db.internal:5432/psg",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert printed.stdout.strip() == "django_tasks.backends.immediate.ImmediateBackend", printed.stderr
