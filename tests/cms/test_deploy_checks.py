"""Production settings pass `check --deploy`; the project's own checks catch risky switches."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from cms.checks import check_production_switches, check_rate_limit_settings

ROOT = Path(__file__).resolve().parents[2]

REALISTIC_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "ALLOWED_HOSTS": "cms.example.org",
    "DATABASE_URL": "postgres://psg:secret@db.internal:5432/psg",
}


@pytest.fixture(scope="module")
def deploy_checks():
    """`check --deploy --fail-level WARNING` under production settings, run side by side."""
    variants = {"realistic": {}, "introspection on": {"GRAPHQL_INTROSPECTION": "true"}}
    processes = {}
    for name, extra in variants.items():
        # Only PATH from outside, so nothing in the caller's environment changes the outcome.
        env = {"PATH": os.environ.get("PATH", ""), **REALISTIC_ENV, **extra}
        env["SECRET_KEY"] = secrets.token_urlsafe(50)  # 67 random characters
        processes[name] = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return {name: (p.wait(timeout=120), p.stdout.read()) for name, p in processes.items()}


def test_production_settings_pass_check_deploy(deploy_checks):
    returncode, output = deploy_checks["realistic"]
    assert returncode == 0, output


def test_introspection_in_production_fails_check(deploy_checks):
    returncode, output = deploy_checks["introspection on"]
    assert returncode != 0
    assert "cms.E004" in output


SWITCHES = [
    ("cms.E001", {"DEBUG": True}, "DEBUG_IN_PRODUCTION_ACKNOWLEDGED"),
    ("cms.E002", {"GRAPHIQL_ENABLED": True}, "GRAPHIQL_IN_PRODUCTION_ACKNOWLEDGED"),
    ("cms.E004", {"GRAPHQL_INTROSPECTION": True}, "INTROSPECTION_IN_PRODUCTION_ACKNOWLEDGED"),
]
ALL_OFF = {
    "DEBUG": False,
    "GRAPHIQL_ENABLED": False,
    "GRAPHQL_INTROSPECTION": False,
}


@pytest.mark.parametrize(("check_id", "switch", "acknowledgement"), SWITCHES)
def test_each_risky_switch_fires_in_production(check_id, switch, acknowledgement):
    with override_settings(PRODUCTION=True, **{**ALL_OFF, **switch}):
        assert [error.id for error in check_production_switches()] == [check_id]
    with override_settings(PRODUCTION=True, **{**ALL_OFF, **switch, acknowledgement: True}):
        assert check_production_switches() == []
    # Outside production (development, tests) the same switch is fine.
    with override_settings(PRODUCTION=False, **{**ALL_OFF, **switch}):
        assert check_production_switches() == []


def test_production_with_every_switch_off_is_clean():
    with override_settings(PRODUCTION=True, **ALL_OFF):
        assert check_production_switches() == []


def test_rate_limit_settings_are_checked():
    with override_settings(RATE_LIMIT_WINDOW=0, RATE_LIMIT_REQUESTS=300, TRUSTED_PROXIES=[]):
        assert [error.id for error in check_rate_limit_settings()] == ["cms.E010"]
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "proxy.internal"]):
        errors = check_rate_limit_settings()
        assert [error.id for error in errors] == ["cms.E011"]
        assert "proxy.internal" in errors[0].msg
