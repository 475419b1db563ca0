"""Static files from whitenoise with far-future caching; media on disk or, with a bucket, on S3."""

import json
import re
import subprocess
import urllib.error
import urllib.request

from tests.ops.conftest import BIN, ROOT, ProductionServer, collectstatic, free_port, production_env

STORAGE_PROBE = (
    "import json, django; django.setup(); "
    "from django.conf import settings; from django.core.files.storage import storages; "
    "default_storage = storages['default']; "
    "print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'], "
    "'options': settings.STORAGES['default'].get('OPTIONS', {}), "
    "'storage': type(default_storage).__module__ + '.' + type(default_storage).__name__, "
    "'docs': getattr(settings, 'WAGTAILDOCS_SERVE_METHOD', None), "
    "'url': default_storage.url('images/a.jpg'), "
    "'media_route': any('media' in str(p.pattern) for p in __import__('cms.urls').urls.urlpatterns)}))"
)


def probe_storage(**env):
    result = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-c", STORAGE_PROBE],
        cwd=ROOT,
        env=production_env(DATABASE_URL="sqlite:///unused.sqlite3", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_media_on_local_disk_without_a_bucket():
    found = probe_storage(AWS_STORAGE_BUCKET_NAME=None)
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["url"] == "/media/images/a.jpg"
    assert found["media_route"] is True  # api/media.py serves public renditions


def test_production_media_on_s3_when_a_bucket_is_named():
    found = probe_storage(
        AWS_STORAGE_BUCKET_NAME="psg-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.test",
        AWS_S3_REGION_NAME="fr-par",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",  # noqa: S106
        AWS_S3_CUSTOM_DOMAIN="media.example.test",
    )
    assert found["backend"] == "storages.backends.s3.S3Storage"
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["options"]["bucket_name"] == "psg-media"
    assert found["options"]["endpoint_url"] == "https://s3.example.test"
    assert found["options"]["querystring_auth"] is False
    assert found["url"] == "https://media.example.test/images/a.jpg"  # built locally, no network
    assert found["docs"] == "serve_view"  # documents keep going through Wagtail's privacy check
    assert found["media_route"] is False


def healthcheck_command():
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text().replace("\\\n", " ")
    command = json.loads(re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", dockerfile, flags=re.M).group(1))
    assert command[0] == "python"
    return [str(BIN / "python"), *command[1:]]


def _get(url):
    """(status, headers (case-insensitive: HTTP/1 servers may send lower-case names), body)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_production_server_serves_hashed_static_files_with_far_future_caching(tmp_path):
    """`make serve`'s two steps: collectstatic, then the server command."""
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # The image's health check must send a Host Django accepts: the first of these.
        ALLOWED_HOSTS="cms.example.test,127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"),
        PORT=str(free_port()),
        WEB_CONCURRENCY="1",
    )
    collectstatic(env)
    hashed = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"][
        "wagtailadmin/css/core.css"
    ]
    with ProductionServer(env, tmp_path / "server.log") as server:
        status, headers, body = _get(f"{server.base}/static/{hashed}")
        assert status == 200 and body
        assert headers["Content-Type"].startswith("text/css")
        cache_control = headers["Cache-Control"]
        assert "immutable" in cache_control and "max-age=315360000" in cache_control, cache_control
        assert headers["X-Request-ID"]
        # The unhashed name still works, but only briefly cacheable.
        status, headers, _ = _get(f"{server.base}/static/wagtailadmin/css/core.css")
        assert status == 200 and "immutable" not in headers.get("Cache-Control", "")
        # The image's HEALTHCHECK command, as Docker runs it inside the container.
        assert subprocess.run(healthcheck_command(), env=env, timeout=30).returncode == 0  # noqa: S603
        assert subprocess.run(healthcheck_command(), env={**env, "PORT": "9"}, timeout=30).returncode != 0  # noqa: S603
