"""`make test` runs test files side by side (pytest-xdist, a whole file per worker): what a file
owns for its run, such as a Redis database it flushes, must be its alone."""

import re
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
LOCAL_REDIS = re.compile(r"redis://(?:127\.0\.0\.1|localhost):6379/(\d+)")


def redis_databases_by_file(root: Path) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for path in root.rglob("*.py"):
        for number in LOCAL_REDIS.findall(path.read_text()):
            owners[number].add(str(path.relative_to(root)))
    return owners


def test_each_local_redis_database_belongs_to_one_test_file():
    owners = redis_databases_by_file(TESTS)
    shared = {number: files for number, files in owners.items() if len(files) > 1}
    assert not shared, f"Redis databases used by more than one test file: {shared}"
    # The check finds what it looks for: the rate-limit tests' database is there.
    assert "api/test_ratelimit.py" in {file for files in owners.values() for file in files}


def test_the_check_notices_a_shared_database(tmp_path):
    (tmp_path / "test_a.py").write_text('URL = "redis://127.0.0.1:6379/3"\n')
    (tmp_path / "test_b.py").write_text('URL = "redis://localhost:6379/3"\n')
    (tmp_path / "test_c.py").write_text('URL = "redis://127.0.0.1:6379/4"\n')
    owners = redis_databases_by_file(tmp_path)
    assert owners["3"] == {"test_a.py", "test_b.py"}
    assert owners["4"] == {"test_c.py"}
