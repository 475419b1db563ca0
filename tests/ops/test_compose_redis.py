"""docker/compose.yaml keeps the rate-limit counters in a Redis that never evicts, apart from the cache."""

import yaml

from tests.ops.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]


def redis_option(service: str, name: str) -> str:
    command = SERVICES[service]["command"]
    return command[command.index(f"--{name}") + 1]


def test_the_cache_redis_evicts_and_the_state_redis_never_does():
    assert redis_option("redis", "maxmemory-policy") == "allkeys-lru"
    assert redis_option("redis-state", "maxmemory-policy") == "noeviction"
    assert SERVICES["redis-state"]["image"].startswith("redis:7")
    assert SERVICES["redis-state"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_the_app_is_pointed_at_each():
    environment = COMPOSE["x-app"]["environment"]
    assert "redis://redis:6379/" in environment["REDIS_URL"]
    assert "redis://redis-state:6379/" in environment["STATE_REDIS_URL"]
    assert SERVICES["app"]["depends_on"]["redis-state"] == {"condition": "service_healthy"}
