"""Which cache tiers production purges, read from the environment (docs/deploy.md, "The HTTP cache tier")."""

import json
import subprocess

from tests.ops.conftest import BIN, ROOT, production_env

PROBE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.WAGTAILFRONTENDCACHE))"
)
UNSET = dict.fromkeys(
    (
        "FRONTEND_CACHE_VARNISH_URL",
        "FRONTEND_CACHE_VARNISH_TIMEOUT",
        "FRONTEND_CACHE_CLOUDFLARE_ZONE_ID",
        "FRONTEND_CACHE_CLOUDFLARE_TOKEN",
        "FRONTEND_CACHE_CLOUDFLARE_HOSTNAMES",
        "FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID",
        "FRONTEND_CACHE_CLOUDFRONT_HOSTNAMES",
    )
)


def probe(**env):
    return subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-c", PROBE],
        cwd=ROOT,
        env=production_env(
            DATABASE_URL="sqlite:///unused.sqlite3",
            WAGTAILADMIN_BASE_URL="https://cms.example.org",
            **{**UNSET, **env},
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )


def tiers(**env):
    result = probe(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_no_tier_unless_one_is_named(settings):
    assert settings.WAGTAILFRONTENDCACHE == {}


def test_varnish_and_cdns_each_with_the_hosts_they_serve():
    found = tiers(
        FRONTEND_CACHE_VARNISH_URL="http://varnish:6091",
        FRONTEND_CACHE_VARNISH_TIMEOUT="3",
        FRONTEND_CACHE_CLOUDFLARE_ZONE_ID="zone-id",
        FRONTEND_CACHE_CLOUDFLARE_TOKEN="a-token",  # noqa: S106
        FRONTEND_CACHE_CLOUDFLARE_HOSTNAMES="cms.example.org, www.example.org",
        FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID="E2EXAMPLE",
    )
    assert found == {
        # The CMS's own host by default: the URLs of its answers, not the frontend's pages.
        "varnish": {
            "BACKEND": "api.edge_cache.VarnishBackend",
            "LOCATION": "http://varnish:6091",
            "HOSTNAMES": ["cms.example.org"],
            "TIMEOUT": 3,
        },
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": "zone-id",
            "BEARER_TOKEN": "a-token",
            "HOSTNAMES": ["cms.example.org", "www.example.org"],
        },
        "cloudfront": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": "E2EXAMPLE",
            "HOSTNAMES": ["cms.example.org"],
        },
    }


def test_a_cloudflare_zone_without_its_token_refuses_to_start():
    result = probe(FRONTEND_CACHE_CLOUDFLARE_ZONE_ID="zone-id")
    assert result.returncode != 0
    assert "Set the FRONTEND_CACHE_CLOUDFLARE_TOKEN environment variable." in result.stderr
