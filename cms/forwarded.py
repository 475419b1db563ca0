"""X-Forwarded-Proto believed only from the proxy that terminates TLS (FORWARDED_ALLOW_IPS)."""

import ipaddress
import logging
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger("cms.forwarded")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedForwardedProto:
    """WSGI middleware: drops X-Forwarded-Proto from any other client, applies it from the proxy.

    Django's SECURE_PROXY_SSL_HEADER believes the header from whoever sends it; a client reaching
    the server directly could then pass for HTTPS (secure cookies, no HTTPS redirect). From a
    trusted address it also sets `wsgi.url_scheme`, as gunicorn's `forwarded_allow_ips` did.
    """

    def __init__(self, app: Callable[..., Any], allowed: Iterable[str]) -> None:
        self.app = app
        allowed = [entry.strip() for entry in allowed if entry.strip()]
        self.everyone = "*" in allowed
        self.networks: list[Network] = []
        self._trusted: dict[str, bool] = {}  # per address, as parsing one costs more than the rest
        for entry in allowed:
            if entry == "*":
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                logger.error("FORWARDED_ALLOW_IPS: %r is not an IP address or network; ignored.", entry)

    def trusts(self, address: str) -> bool:
        trusted = self._trusted.get(address)
        if trusted is None:
            if len(self._trusted) >= 4096:  # bounded: addresses are the clients'
                self._trusted.clear()
            trusted = self._trusted[address] = self._decide(address)
        return trusted

    def _decide(self, address: str) -> bool:
        if self.everyone:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:  # a Unix socket, or nothing
            return False
        return any(ip in network for network in self.networks)

    def apply(self, environ: dict[str, Any]) -> dict[str, Any]:
        """`environ` as the application sees it (changed in place; applying twice changes nothing)."""
        if not self.trusts(environ.get("REMOTE_ADDR", "")):
            environ.pop("HTTP_X_FORWARDED_PROTO", None)
        else:
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",", 1)[0].strip().lower()
            if proto in {"http", "https"}:
                environ["wsgi.url_scheme"] = proto
        return environ

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        return self.app(self.apply(environ), start_response)
