"""A production worker's loaded objects leave the garbage collector's full collections
(cms/worker_heap.py), measured in a fresh process that loads `cms.asgi` as Granian's worker does."""

import json
import subprocess
import sys

from tests.ops.conftest import ROOT, production_env

# What a worker reports once `cms.asgi` is imported: frozen objects, the objects a full collection
# still walks, and whether the URLconf, the admin's URLs and the GraphQL schema were loaded by then.
PROBE = """
import gc, json, sys
import cms.asgi
frozen = gc.get_freeze_count()
tracked = len(gc.get_objects())
print(json.dumps({
    "frozen": frozen,
    "tracked": tracked,
    "urlconf_loaded": "cms.urls" in sys.modules,
    "schema_loaded": "api.graphql.schema" in sys.modules,
    "admin_urls_loaded": "wagtail.admin.urls" in sys.modules,
}))
"""


def run_probe(code, tmp_path):
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEDIA_ROOT=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_loaded_worker_freezes_what_it_loaded(tmp_path):
    report = run_probe(PROBE, tmp_path)
    # The whole application, URLconf and schema included, is frozen; what the collector still
    # walks is what loading happened to leave unfrozen, a small fraction of it.
    assert report["urlconf_loaded"] and report["schema_loaded"] and report["admin_urls_loaded"]
    assert report["frozen"] > 100_000
    assert report["tracked"] < report["frozen"] / 20


def test_without_the_settle_step_everything_stays_in_the_collectors_sight(tmp_path):
    # The same process without cms/worker_heap.py's step: nothing frozen, the URLconf still
    # unloaded. This is what the first test's numbers are measured against.
    unsettled = "import cms.worker_heap\ncms.worker_heap.settle = lambda: 0\nimport cms.asgi"
    code = PROBE.replace("import cms.asgi", unsettled)
    report = run_probe(code, tmp_path)
    assert report["frozen"] == 0
    assert not report["urlconf_loaded"]
    assert report["tracked"] > 100_000
