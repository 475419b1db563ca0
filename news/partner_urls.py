"""The addresses and ids partners are handed: absolute links, canonical feed URLs, entry ids.

Partners resolve nothing themselves: a relative link in a feed or the widget's data would be read
against the partner's own page and point at the partner's domain. Paths the frontend would own are
made absolute on the host the request named (as Django's syndication feeds make their links), when
FRONTEND_URL does not already make them absolute.
"""

import ipaddress
import re
from urllib.parse import urlencode, urlsplit

from django.conf import settings

# The date part of entry ids (RFC 4151): fixed, so an id never changes.
TAG_DATE = "2016"
# RFC 4151's DNSname, with at least two labels: a single label (`localhost`, `testserver`) is
# nobody's domain.
_DNS_NAME = re.compile(
    r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+", re.IGNORECASE
)


def absolute(request, url):
    """`url` made absolute on the requested host when it is a path; absolute URLs are kept."""
    if url is None or "://" in url:
        return url
    return request.build_absolute_uri(url)


def canonical_feed_url(request, topic=None):
    """The feed's own address: its path, and `topic` (the one parameter that selects another feed).

    Anything else in the query string (a campaign's `utm_source`, a reader's cache buster) would
    otherwise give the same feed another id.
    """
    query = "?" + urlencode({"topic": topic.slug}) if topic is not None else ""
    return request.build_absolute_uri(request.path) + query


def _is_dns_name(host):
    if not host or not _DNS_NAME.fullmatch(host):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def tag_authority():
    """The domain entry ids are minted under: the frontend's, else the CMS's configured one.

    Never the Host a request named, so a feed reached under two names gives the same ids; None
    when neither address is a domain name (an IP address, `localhost`), which RFC 4151 refuses.
    """
    for url in (settings.FRONTEND_URL, str(settings.WAGTAILADMIN_BASE_URL or "")):
        host = urlsplit(url).hostname if url else None
        if _is_dns_name(host):
            return host
    return None


def entry_id(page, link):
    """A `tag:` URI (RFC 4151) naming the page id, which survives retitling, moves and date changes;
    the item's absolute link where no domain name is configured to mint one under."""
    authority = tag_authority()
    if authority is None:
        return link
    return f"tag:{authority},{TAG_DATE}:psg-news-{page.pk}"
