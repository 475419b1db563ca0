"""/healthz says the process is up; /readyz says whether it can serve (database and cache)."""

import pytest
from django.core.cache import cache
from django.db import OperationalError

from api import views


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


class DownCache:
    def __getattr__(self, name):
        def down(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to redis.internal:6379. Connection refused.")

        return down


class ForgetfulCache:
    """Stores nothing: get() answers None whatever was set."""

    def __getattr__(self, name):
        return (lambda *args, **kwargs: None) if name == "get" else getattr(cache, name)


@pytest.mark.django_db
def test_readyz_503_when_cache_fails(client, monkeypatch, caplog):
    monkeypatch.setattr(views, "cache", DownCache())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "cache": "error"}}
    assert "redis.internal" not in response.content.decode()
    assert "redis.internal" in caplog.text


@pytest.mark.django_db
def test_readyz_503_when_cache_loses_values(client, monkeypatch):
    monkeypatch.setattr(views, "cache", ForgetfulCache())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "error"}


@pytest.mark.django_db
def test_readyz_503_when_database_fails(client, monkeypatch, caplog):
    class DownConnection:
        def cursor(self):
            raise OperationalError('connection to server at "db.internal" (10.1.2.3), port 5432 failed')

    monkeypatch.setattr(views, "connection", DownConnection())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "error", "cache": "ok"}}
    body = response.content.decode()
    assert "db.internal" not in body and "10.1.2.3" not in body
    assert "db.internal" in caplog.text


def test_readyz_refuses_post(client):
    assert client.post("/readyz").status_code == 405
