"""`make run PORT=…`: the links the CMS writes to itself (WAGTAILADMIN_BASE_URL) name the port it serves.

The Makefile's `run` is run with its Python replaced by a script that, for `runserver`, reports
the WAGTAILADMIN_BASE_URL the development settings end up with (the other steps do nothing), so no
database or server is needed to check what the development server would use.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_PYTHON = f"""#!/bin/sh
if [ "$2" = runserver ]; then
  echo "serves $3"
  DJANGO_SETTINGS_MODULE=cms.settings.dev exec {sys.executable} manage.py shell -c \
    'from django.conf import settings; print("base", settings.WAGTAILADMIN_BASE_URL)'
fi
"""


def make_run(tmp_path, *args, **env):
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    environ = {k: v for k, v in os.environ.items() if k not in {"WAGTAILADMIN_BASE_URL", "PORT"}}
    result = subprocess.run(  # noqa: S603
        ["make", "-s", "-o", ".venv/.runtime", "run", f"PY={fake}", *args],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environ, **env},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("args", "served", "base"),
    [
        ([], "127.0.0.1:8000", "http://127.0.0.1:8000"),
        (["PORT=8840"], "127.0.0.1:8840", "http://127.0.0.1:8840"),
    ],
)
def test_admin_links_name_the_port_served(tmp_path, args, served, base):
    output = make_run(tmp_path, *args)
    assert f"serves {served}\n" in output
    assert f"base {base}\n" in output
    assert f"Admin: {base}/admin/" in output


def test_a_base_url_given_is_kept(tmp_path):
    output = make_run(tmp_path, "PORT=8840", WAGTAILADMIN_BASE_URL="https://cms.example.org")
    assert "serves 127.0.0.1:8840\n" in output
    assert "base https://cms.example.org\n" in output
