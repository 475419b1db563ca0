"""Which webhook URLs and addresses the CMS may send to: public HTTPS receivers only.

A webhook is a request the server makes on an admin's behalf, so a URL pointing inside the
network (the cloud metadata service, Redis, PostgreSQL, the admin itself) would let whoever can
set it reach those services. `check_url()` refuses such URLs by their shape, `vetted_addresses()`
resolves a host and refuses it when any address it resolves to is not a public unicast address.
Both run when an endpoint is saved and again for every attempt (transport.py connects to the
address vetted here, so a DNS answer that changes in between cannot redirect the request).

Hosts in PUBLISH_WEBHOOK_DEV_HOSTS (development and tests only; ignored in production) may be
plain http and resolve anywhere, e.g. a frontend on 127.0.0.1.
"""

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 500

# Ports browsers refuse to fetch from (the WHATWG Fetch standard's "bad ports": SMTP, IMAP, FTP,
# SSH, DNS, LDAP, NFS, IRC, SIP and similar), because a request there is a cross-protocol attack on
# another service, plus Redis and memcached, whose text protocols run each line of an HTTP request
# as a command. No webhook receiver listens on them.
UNSAFE_PORTS = frozenset(
    {0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102}
    | {103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465}
    | {512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993}
    | {995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668}
    | {6669, 6697, 10080}
    | {6379, 11211}
)

# Special-purpose ranges that `ipaddress` (in some Python versions) still calls global.
SPECIAL_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "100.64.0.0/10",  # shared address space (carrier-grade NAT), reaches internal networks
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # 6to4 relay anycast
        "198.18.0.0/15",  # benchmarking
        "::/96",  # IPv4-compatible IPv6 (deprecated)
        "64:ff9b:1::/48",  # local-use NAT64
        "2001::/32",  # Teredo
        "2001:20::/28",  # ORCHIDv2
        "2002::/16",  # 6to4
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fec0::/10",  # site-local (deprecated)
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")

_AUTHORITY = re.compile(r"^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$", re.IGNORECASE)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# A last label that is all digits, or hexadecimal with 0x, makes the name an IPv4 address in
# inet_aton's loose syntax (2130706433, 0177.0.0.1, 0x7f.1, 127.1); no real domain ends so.
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


class UnsafeURL(ValueError):
    """A webhook URL or address the CMS refuses to send to; the message says why."""


class HostNotFound(UnsafeURL):
    """The host does not resolve (now): refused, though DNS may answer later."""


@dataclass(frozen=True)
class Target:
    """A webhook URL that passed `check_url()`."""

    scheme: str
    host: str  # lower case; an IP address without brackets
    port: int
    address: IPAddress | None  # when the URL names an IP address rather than a host name
    dev: bool  # a PUBLISH_WEBHOOK_DEV_HOSTS host: http and any address allowed


def dev_hosts() -> set[str]:
    """PUBLISH_WEBHOOK_DEV_HOSTS, normalised; always empty in production."""
    if getattr(settings, "PRODUCTION", False):
        return set()
    return {host.strip().strip("[]").lower() for host in getattr(settings, "PUBLISH_WEBHOOK_DEV_HOSTS", [])}


def address_problem(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address, or None when it is one."""
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return f"{address} is an IPv4-mapped IPv6 address"
        if address in NAT64:
            # DNS64 networks reach IPv4-only hosts this way: judge the IPv4 address inside.
            inner = address_problem(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
            return f"{address} is a NAT64 address for one that is not public ({inner})" if inner else None
        if address.scope_id:
            return f"{address} has an interface scope"
    for attribute, kind in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(address, attribute):
            return f"{address} is {kind}"
    if any(address in network for network in SPECIAL_NETWORKS if network.version == address.version):
        return f"{address} is in a special-purpose range"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def _host_problem(host: str) -> str | None:
    """Why a host name is refused, or None."""
    if len(host) > 253:
        return "the host name is too long"
    if host.endswith("."):
        return "the host name ends in a dot; leave the dot out"
    labels = host.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return "the host name is not a valid DNS name"
    if host == "localhost" or host.endswith(".localhost"):
        return "localhost is this machine"
    if len(labels) < 2:
        return "give the full host name (a name without a dot is looked up in local search domains)"
    return None


def check_url(url: str) -> Target:
    """The parts of a webhook URL, or UnsafeURL when its shape alone makes it unacceptable."""
    if not isinstance(url, str) or not url:
        raise UnsafeURL("Enter a URL.")
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    if not url.isascii():
        raise UnsafeURL("The URL has non-ASCII characters: use the ASCII (xn--…) form of the host name.")
    if any(char <= " " or char in "\x7f\\" for char in url):
        raise UnsafeURL("The URL has spaces, control characters or backslashes.")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise UnsafeURL("The URL's host is not valid.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL("Only https:// URLs are allowed.")
    if "@" in parts.netloc:
        raise UnsafeURL("The URL must not contain a user name or password.")
    if parts.netloc and not _AUTHORITY.match(parts.netloc):
        # Only shapes every URL parser reads alike: a name or [IPv6], then an optional port.
        raise UnsafeURL("The URL's host and port are not valid.")
    try:
        port = parts.port
    except ValueError:
        raise UnsafeURL("The URL's port is not a number from 1 to 65535.") from None
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeURL("The URL has no host.")
    dev = host in dev_hosts()
    if scheme == "http" and not dev:
        raise UnsafeURL("Only https:// URLs are allowed.")
    port = port if port is not None else (443 if scheme == "https" else 80)
    if port in UNSAFE_PORTS:
        raise UnsafeURL(f"Port {port} is not allowed: it belongs to another protocol.")

    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    if parts.netloc.startswith("["):
        try:
            address = ipaddress.IPv6Address(host)
        except ValueError:
            raise UnsafeURL("The URL's IPv6 address is not valid.") from None
    elif _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]):
        try:
            address = ipaddress.IPv4Address(host)
        except ValueError:
            raise UnsafeURL("Write an IP address as four decimal numbers, e.g. 192.0.2.1.") from None
    else:
        problem = _host_problem(host)
        if problem and not dev:
            raise UnsafeURL(f"The host is not allowed: {problem}.")
    if address is not None and not dev:
        problem = address_problem(address)
        if problem:
            raise UnsafeURL(f"The address is not allowed: {problem}.")
    return Target(scheme=scheme, host=host, port=port, address=address, dev=dev)


def resolve(host: str, port: int) -> list[tuple]:
    """getaddrinfo() results for a TCP connection to host:port (HostNotFound when it does not resolve)."""
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotFound(f"The host {host} does not resolve ({exc}).") from None


def vetted_addresses(host: str, port: int) -> list[tuple]:
    """Resolve host once; every address must be public (unless it is a development host).

    Returns the getaddrinfo() results to connect to; raises UnsafeURL naming the first address
    refused, so a name answering with one public and one internal address is refused whole.
    """
    host = host.strip("[]").lower()
    results = resolve(host, port)
    if host in dev_hosts():
        return results
    for family, _type, _proto, _canonname, sockaddr in results:
        if family not in (socket.AF_INET, socket.AF_INET6):
            raise UnsafeURL(f"{host} resolves to an address that is not IP.")
        address = ipaddress.ip_address(sockaddr[0])
        problem = address_problem(address)
        if problem:
            raise UnsafeURL(f"{host} resolves to an address that is not allowed: {problem}.")
    return results


def check_url_and_addresses(url: str) -> Target:
    """check_url(), then resolve the host and vet every address it resolves to (saving an endpoint)."""
    target = check_url(url)
    vetted_addresses(target.host, target.port)
    return target
