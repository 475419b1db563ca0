"""`make backup` / `make restore`: the database and the media come back after changes and deletions."""

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.ops.conftest import BIN, ROOT, requires_postgres

SEED = """
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
from tests.factories import NewsPageFactory, make_site

# The copied test database may have been flushed by an earlier transactional test.
Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
if Page.get_first_root_node() is None:
    Page.add_root(instance=Page(title="Root", slug="root"))
home = make_site()[1]
NewsPageFactory(parent=home, title="Kept by the backup", slug="kept")
NewsPageFactory(parent=home, title="Deleted after the backup", slug="deleted")
"""

DAMAGE = """
from news.models import NewsPage

page = NewsPage.objects.get(slug="kept")
page.title = "Changed after the backup"
page.save()
NewsPage.objects.get(slug="deleted").delete()
"""

TITLES = """
import json
from news.models import NewsPage
print(json.dumps(sorted(NewsPage.objects.values_list("title", flat=True))))
"""


def manage(env, *args, input=None):
    result = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        input=input,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def shell(env, code):
    return manage(env, "shell", "--no-imports", "-c", code)


def make_media(media):
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "kept.jpg").write_bytes(b"original bytes")
    (media / "documents").mkdir()
    (media / "documents" / "report.pdf").write_bytes(b"%PDF report")


def damage_media(media):
    (media / "original_images" / "kept.jpg").write_bytes(b"overwritten")
    (media / "documents" / "report.pdf").unlink()


def assert_media_restored(media):
    assert (media / "original_images" / "kept.jpg").read_bytes() == b"original bytes"
    assert (media / "documents" / "report.pdf").read_bytes() == b"%PDF report"


def backup(env, tmp_path):
    target = Path(manage(env, "backup", "--output-dir", str(tmp_path / "backups")).strip().splitlines()[-1])
    assert target.parent == tmp_path / "backups"
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["media"] == "media.tar.gz"
    return target, manifest


@requires_postgres
@pytest.mark.django_db(transaction=True)  # makes pytest-django create the migrated test database
def test_backup_and_restore_on_postgresql(postgres, migrated_template, tmp_path):
    name, url = postgres.create("psg_backup", template=migrated_template)
    media = tmp_path / "media"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    shell(env, SEED)
    make_media(media)
    before = json.loads(shell(env, TITLES))
    assert before == ["Deleted after the backup", "Kept by the backup"]

    target, manifest = backup(env, tmp_path)
    assert manifest["database"] == "database.dump"
    assert (target / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    shell(env, DAMAGE)
    damage_media(media)
    assert json.loads(shell(env, TITLES)) == ["Changed after the backup"]

    manage(env, "restore", str(target), "--noinput")
    assert json.loads(shell(env, TITLES)) == before
    assert_media_restored(media)


def test_backup_and_restore_on_sqlite(tmp_path):
    """The SQLite path, on a plain SQLite file (no migrations needed to copy a database)."""
    db_path, media = tmp_path / "db.sqlite3", tmp_path / "media"
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes VALUES ('kept'), ('deleted')")
    db.close()
    make_media(media)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "MEDIA_ROOT": str(media)}

    target, manifest = backup(env, tmp_path)
    assert manifest["database"] == "db.sqlite3"

    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE notes SET text = 'changed' WHERE text = 'kept'")
        db.execute("DELETE FROM notes WHERE text = 'deleted'")
    db.close()
    damage_media(media)

    # Without --noinput it asks, and anything but "yes" leaves everything alone.
    refused = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", "restore", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input="no\n",
        timeout=120,
    )
    assert refused.returncode != 0 and "cancelled" in refused.stderr
    manage(env, "restore", str(target), input="yes\n")
    with sqlite3.connect(db_path) as db:
        assert sorted(row[0] for row in db.execute("SELECT text FROM notes")) == ["deleted", "kept"]
    db.close()
    assert_media_restored(media)


def test_make_restore_needs_a_backup():
    result = subprocess.run(  # noqa: S603
        ["make", "-s", "-o", ".venv/.runtime", "restore"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "usage: make restore BACKUP=" in result.stdout + result.stderr
