"""EMAIL_URL: one variable for the SMTP server, read by cms.env.email_settings."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.env import email_settings


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", {}),
        (
            "smtp+tls://apikey:s%40cret%2F1@smtp.example.org:2587",
            {
                "host": "smtp.example.org",
                "port": 2587,
                "user": "apikey",
                "password": "s@cret/1",
                "use_tls": True,
                "use_ssl": False,
            },
        ),
        (
            "smtps://me@mail.example.org",
            {
                "host": "mail.example.org",
                "port": 465,
                "user": "me",
                "password": "",
                "use_tls": False,
                "use_ssl": True,
            },
        ),
        (
            "smtp://relay.internal",
            {
                "host": "relay.internal",
                "port": 25,
                "user": "",
                "password": "",
                "use_tls": False,
                "use_ssl": False,
            },
        ),
        (
            "smtp+tls://relay.internal",
            {
                "host": "relay.internal",
                "port": 587,
                "user": "",
                "password": "",
                "use_tls": True,
                "use_ssl": False,
            },
        ),
    ],
)
def test_email_url(url, expected):
    assert email_settings(url) == expected


@pytest.mark.parametrize("url", ["http://smtp.example.org", "smtp://", "smtp.example.org:587"])
def test_an_email_url_that_is_not_smtp_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must look like"):
        email_settings(url)
