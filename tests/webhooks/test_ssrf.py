"""Webhook URLs cannot reach internal services: refused when saved (model, admin form, system check)
and again when sent, where the connection goes only to an address vetted at that moment.

Only DNS is faked (`socket.getaddrinfo` for host names, through the `dns` fixture); every request
that is made goes to a real server on 127.0.0.1, and none leaves the machine.
"""

import ipaddress
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils.html import escape

from tests.factories import make_site
from tests.webhooks.receiver import SECRET
from tests.webhooks.test_events import _draft_news
from webhooks.models import WebhookDelivery, WebhookEndpoint

PUBLIC_V4 = "93.184.215.14"  # resolved to, never connected to
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"

# Each is refused by its shape alone, whatever DNS says.
REFUSED_BY_SHAPE = [
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:6379/",
    "https://127.0.0.1/",
    "http://[::1]:5432/",
    "https://[::1]/",
    "ftp://hooks.example.org/",
    "ftps://hooks.example.org/",
    "file:///etc/passwd",
    "gopher://hooks.example.org/",
    "javascript:alert(1)",
    "//hooks.example.org/api",
    "https://user:secret@hooks.example.org/api",
    "https://hooks.example.org@169.254.169.254/",
    "https://:@hooks.example.org/",
    "http://2130706433/",
    "https://2130706433/",
    "https://0177.0.0.1/",
    "https://0x7f.1/",
    "https://0x7f000001/",
    "https://127.1/",
    "https://127.0.1/",
    "https://017700000001/",
    "https://1.2.3.04/",
    "https://localhost/",
    "https://LOCALHOST:8443/",
    "https://api.localhost/",
    "https://hooks.example.org./api",
    "https://intranet/api",
    "https://0.0.0.0/",
    "https://[::]/",
    "https://10.0.0.1/",
    "https://172.16.5.4/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",
    "https://192.0.0.170/",
    "https://198.18.0.1/",
    "https://224.0.0.1/",
    "https://233.252.0.1/",
    "https://240.0.0.1/",
    "https://255.255.255.255/",
    "https://192.0.2.1/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:7f00:1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[::ffff:8.8.8.8]/",
    "https://[::127.0.0.1]/",
    "https://[64:ff9b::127.0.0.1]/",
    "https://[64:ff9b::a9fe:a9fe]/",
    "https://[64:ff9b:1::1]/",
    "https://[2002:7f00:1::1]/",
    "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    "https://[fe80::1]/",
    "https://[fe80::1%25eth0]/",
    "https://[fec0::1]/",
    "https://[fc00::1]/",
    "https://[fd12:3456::1]/",
    "https://[ff02::1]/",
    "https://[2001:db8::1]/",
    "https://[3fff::1]/",
    "https://[5f00::1]/",
    "https://hooks.example.org:25/",
    "https://hooks.example.org:22/",
    "https://hooks.example.org:6379/",
    "https://hooks.example.org:11211/",
    "https://hooks.example.org:0/",
    "https://hooks.example.org:99999/",
    "https://hooks.example.org:port/",
    "https://hooks.example.org\\@169.254.169.254/",
    "https://hooks.example.org /api",
    "https://hooks.example.org/a\nb",
    "https://hooks.example.org/\x00",
    "https://hooks\tx.example.org/",
    "https://hööks.example.org/",
    "https://hooks%2eexample.org/",
    "https://hooks_internal.example.org/",
    "https://-hooks.example.org/",
    "https:///api",
    "https://[::1/",
    "https://[/",
    "https://[::1]x/",
    "https://[::1]]/",
    "https://%5B::1%5D/",
    "https://[v1.x]/",
    "https://" + "a" * 500 + ".example.org/",
]

# Names whose DNS answer contains an address that is not public: refused once resolved.
INTERNAL_ANSWERS = {
    "metadata.example.org": ["169.254.169.254"],
    "private.example.org": ["10.1.2.3"],
    "loopback.example.org": ["127.0.0.1"],
    "mixed.example.org": [PUBLIC_V4, "127.0.0.1"],
    "mixed6.example.org": [PUBLIC_V6, "::1"],
    "mapped.example.org": ["::ffff:169.254.169.254"],
    "nat64.example.org": ["64:ff9b::a9fe:a9fe"],
    "sixtofour.example.org": ["2002:a9fe:a9fe::1"],
    "teredo.example.org": ["2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    "linklocal6.example.org": ["fe80::1"],
    "unspecified.example.org": ["0.0.0.0"],  # noqa: S104
    "shared.example.org": ["100.100.100.200"],
    "multicast.example.org": ["239.1.2.3"],
}

PUBLIC_ANSWERS = {
    "hooks.example.org": [PUBLIC_V4],
    "v6.example.org": [PUBLIC_V6],
    "both.example.org": [PUBLIC_V4, PUBLIC_V6],
    "nat64-public.example.org": ["64:ff9b::5db8:d70e"],  # DNS64 form of a public IPv4 address
}

ACCEPTED = [
    "https://hooks.example.org/api/revalidate",
    "https://hooks.example.org:8443/api/revalidate?site=psg",
    "https://HOOKS.example.org/api",
    "https://v6.example.org/api",
    "https://both.example.org/api",
    "https://nat64-public.example.org/api",
    f"https://{PUBLIC_V4}/api",
    f"https://[{PUBLIC_V6}]:8443/api",
]


@pytest.fixture
def dns(monkeypatch):
    """Fake DNS: `dns[name] = [addresses]`. IP literals go to the real resolver (no lookup happens
    for them); any other name does not resolve, so no test depends on, or reaches, the network."""
    table = {**INTERNAL_ANSWERS, **PUBLIC_ANSWERS, "localhost": ["127.0.0.1", "::1"]}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        if name in table:
            answers = []
            for address in table[name]:
                if ipaddress.ip_address(address).version == 6:
                    answers.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, int(port), 0, 0)))
                else:
                    answers.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port))))
            return answers
        try:
            ipaddress.ip_address(name.split("%")[0])
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return real(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


@pytest.fixture
def no_dev_hosts(settings):
    settings.PUBLISH_WEBHOOK_DEV_HOSTS = []


def _clean(url):
    WebhookEndpoint(url=url, description="test").full_clean()


# --- Saving an endpoint ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", REFUSED_BY_SHAPE)
def test_endpoint_urls_refused_by_their_shape(url, dns, no_dev_hosts):
    with pytest.raises(ValidationError) as refused:
        _clean(url)
    assert "url" in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(INTERNAL_ANSWERS))
def test_endpoint_names_resolving_to_internal_addresses_are_refused(name, dns, no_dev_hosts):
    with pytest.raises(ValidationError) as refused:
        _clean(f"https://{name}/api")
    [message] = refused.value.message_dict["url"]
    assert name in message and "not allowed" in message


@pytest.mark.django_db
def test_endpoint_name_that_does_not_resolve_is_refused(dns):
    with pytest.raises(ValidationError) as refused:
        _clean("https://nowhere.example.org/api")
    assert "does not resolve" in refused.value.message_dict["url"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ACCEPTED)
def test_public_https_endpoints_are_accepted(url, dns):
    _clean(url)


@pytest.mark.django_db
def test_dev_hosts_allow_http_and_loopback_outside_production(settings, dns):
    url = "http://127.0.0.1:3000/api/revalidate"
    _clean(url)  # the test settings allow 127.0.0.1

    settings.PUBLISH_WEBHOOK_DEV_HOSTS = []
    with pytest.raises(ValidationError):
        _clean(url)

    settings.PUBLISH_WEBHOOK_DEV_HOSTS = ["127.0.0.1"]
    settings.PRODUCTION = True
    with pytest.raises(ValidationError):
        _clean(url)


@pytest.mark.django_db
def test_dev_hosts_are_matched_exactly(settings, dns):
    settings.PUBLISH_WEBHOOK_DEV_HOSTS = ["127.0.0.1", "localhost"]
    _clean("http://localhost:3000/")
    for other in ("http://127.1:3000/", "http://2130706433:3000/", "http://[::1]:3000/", "http://127.0.0.2/"):
        with pytest.raises(ValidationError):
            _clean(other)


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "http://[::1]:5432/",
        "ftp://hooks.example.org/",
        "https://metadata.example.org/",
        "http://2130706433/",
    ],
)
def test_admin_form_refuses_internal_urls(admin_client, dns, no_dev_hosts, url):
    response = admin_client.post(
        reverse("webhook_endpoints:add"), {"url": url, "active": "on", "description": "x"}
    )
    assert response.status_code == 200
    with pytest.raises(ValidationError) as refused:
        _clean(url)
    [message] = refused.value.message_dict["url"]
    assert escape(message) in response.content.decode()  # the form says why
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_admin_form_saves_a_public_https_endpoint(admin_client, dns):
    url = "https://hooks.example.org/api/revalidate"
    response = admin_client.post(
        reverse("webhook_endpoints:add"), {"url": url, "active": "on", "description": "Frontend"}
    )
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().url == url


# --- PUBLISH_WEBHOOK_URLS from the environment: system checks -----------------------------------


def _webhook_check_ids():
    ids = {"cms.E020", "cms.W020", "cms.E021"}
    return sorted(message.id for message in run_checks() if message.id in ids)


def test_environment_urls_are_checked_at_startup(settings, dns, no_dev_hosts):
    settings.PUBLISH_WEBHOOK_URLS = ["https://hooks.example.org/api"]
    assert _webhook_check_ids() == []

    for url in ("http://169.254.169.254/", "https://metadata.example.org/", "https://2130706433/"):
        settings.PUBLISH_WEBHOOK_URLS = [url]
        assert _webhook_check_ids() == ["cms.E020"]
        with pytest.raises(SystemCheckError, match="PUBLISH_WEBHOOK_URLS"):
            call_command("check")

    # DNS may be down while the container starts: a warning, and every delivery checks again.
    settings.PUBLISH_WEBHOOK_URLS = ["https://nowhere.example.org/api"]
    assert _webhook_check_ids() == ["cms.W020"]


def test_dev_hosts_in_production_fail_the_checks(settings):
    settings.PUBLISH_WEBHOOK_URLS = []
    settings.PRODUCTION = True
    settings.PUBLISH_WEBHOOK_DEV_HOSTS = ["127.0.0.1"]
    assert "cms.E021" in {message.id for message in run_checks()}


# --- Sending -----------------------------------------------------------------------------------


@pytest.fixture
def sending(settings, receiver):
    settings.PUBLISH_WEBHOOK_SECRET = SECRET
    settings.PUBLISH_WEBHOOK_BACKOFF_SECONDS = 0.01
    settings.PUBLISH_WEBHOOK_MAX_ATTEMPTS = 3
    return receiver


def _publish_one(commit):
    _, news_index, _ = make_site()
    with commit():
        _draft_news(news_index).save_revision().publish()


@pytest.mark.django_db
def test_loopback_receiver_refused_at_send_time_without_the_dev_host(sending, settings, commit):
    settings.PUBLISH_WEBHOOK_URLS = [sending.url]
    settings.PUBLISH_WEBHOOK_DEV_HOSTS = []

    _publish_one(commit)

    assert sending.connections == 0
    [row] = WebhookDelivery.objects.all()  # refused once, not retried
    assert not row.succeeded and row.status_code is None
    assert row.error.startswith("Refused: ")


@pytest.mark.django_db
def test_loopback_receiver_refused_at_send_time_in_production(sending, settings, commit):
    settings.PUBLISH_WEBHOOK_URLS = [sending.url]
    settings.PRODUCTION = True  # PUBLISH_WEBHOOK_DEV_HOSTS still lists 127.0.0.1: ignored

    _publish_one(commit)

    assert sending.connections == 0
    assert WebhookDelivery.objects.get().error.startswith("Refused: ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template",
    [
        "http://2130706433:{port}/",
        "http://127.1:{port}/",
        "http://0x7f.1:{port}/",
        "http://0177.0.0.1:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://localhost:{port}/",
        "http://loopback.example.org:{port}/",
        "https://loopback.example.org:{port}/",
        "http://user@127.0.0.1:{port}/",
    ],
)
def test_stored_urls_that_reach_the_local_server_are_refused_at_send_time(
    sending, settings, dns, commit, template
):
    """Rows saved before the checks existed (or written around them) are checked again."""
    settings.PUBLISH_WEBHOOK_URLS = []
    WebhookEndpoint.objects.create(url=template.format(port=sending.port))

    _publish_one(commit)

    assert sending.connections == 0
    assert WebhookDelivery.objects.get().error.startswith("Refused: ")


@pytest.mark.django_db
@pytest.mark.parametrize("answer", [["127.0.0.1"], ["127.0.0.1", PUBLIC_V4], ["::ffff:127.0.0.1"]])
def test_dns_rebinding_between_save_and_send_does_not_reach_the_local_server(
    sending, settings, dns, commit, answer
):
    """The name is public when the endpoint is saved and points at 127.0.0.1 when the webhook leaves."""
    settings.PUBLISH_WEBHOOK_URLS = []
    endpoint = WebhookEndpoint(url=f"https://rebind.example.org:{sending.port}/hooks")
    dns["rebind.example.org"] = [PUBLIC_V4]
    endpoint.full_clean()
    endpoint.save()

    dns["rebind.example.org"] = answer
    _publish_one(commit)

    assert sending.connections == 0
    [row] = WebhookDelivery.objects.all()
    assert row.error.startswith("Refused: rebind.example.org resolves to an address that is not allowed")


@pytest.mark.django_db
def test_a_redirect_is_a_failed_attempt_and_is_not_followed(sending, settings, commit):
    settings.PUBLISH_WEBHOOK_URLS = [sending.url]
    sending.statuses = [(302, {"Location": f"http://127.0.0.1:{sending.port}/elsewhere"}, b"")]

    _publish_one(commit)

    assert [r["path"] for r in sending.requests] == ["/hooks/psg"]
    [row] = WebhookDelivery.objects.all()
    assert (row.status_code, row.succeeded) == (302, False)
    assert "Redirect not followed" in row.error


@pytest.mark.django_db
def test_only_a_short_clean_excerpt_of_the_answer_is_kept_and_shown_escaped(
    sending, settings, commit, admin_client
):
    settings.PUBLISH_WEBHOOK_URLS = [sending.url]
    body = (
        "<script>alert('x')</script>\x1b[31mred\x00\u202eevil\r\nSet-Cookie: a=b " + "secret " * 20_000
    ).encode()
    sending.statuses = [(200, {"Content-Type": "text/html"}, body)]

    _publish_one(commit)

    row = WebhookDelivery.objects.get()
    assert row.succeeded
    assert len(row.response_excerpt) <= 200
    assert row.response_excerpt.startswith("<script>alert('x')</script> [31mred evil Set-Cookie: a=b secret")
    assert not any(ord(char) < 32 or char in "\x7f\u202e" for char in row.response_excerpt)

    page = admin_client.get(reverse("webhook_deliveries:inspect", args=[row.pk])).content.decode()
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert(" not in page


# --- TLS: the connection goes to the vetted address, SNI and certificate checks use the name ----


class TLSServer:
    """A TLS listener on 127.0.0.1 with a self-signed certificate; records the SNI it is sent."""

    def __init__(self, tmp_path, name):
        cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}",
                "-addext", f"subjectAltName=DNS:{name}",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.server_names = []
        self.context.sni_callback = lambda sock, server_name, context: self.server_names.append(server_name)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            conn.settimeout(5)
            try:
                with self.context.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

    def close(self):
        self.listener.close()


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_keeps_the_name_for_sni_and_certificate_verification(sending, settings, dns, commit, tmp_path):
    server = TLSServer(tmp_path, "hooks.dev.example.org")
    try:
        dns["hooks.dev.example.org"] = ["127.0.0.1"]
        settings.PUBLISH_WEBHOOK_DEV_HOSTS = ["hooks.dev.example.org"]
        settings.PUBLISH_WEBHOOK_URLS = [f"https://hooks.dev.example.org:{server.port}/hooks"]
        settings.PUBLISH_WEBHOOK_MAX_ATTEMPTS = 1

        _publish_one(commit)

        assert server.server_names == ["hooks.dev.example.org"]  # SNI is the name, not the address
        row = WebhookDelivery.objects.get()
        assert not row.succeeded  # the self-signed certificate is not trusted: verification is on
        assert "CERTIFICATE_VERIFY_FAILED" in row.error
    finally:
        server.close()


def test_production_startup_refuses_internal_webhook_urls_and_dev_hosts():
    """`manage.py check` (which `migrate` runs at container start) under the production settings."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "cms.example.org",
        "DATABASE_URL": "postgres://psg:secret@db.internal:5432/psg",
        "PUBLISH_WEBHOOK_URLS": "http://127.0.0.1:3000/api/revalidate,https://[::ffff:169.254.169.254]/",
        "PUBLISH_WEBHOOK_DEV_HOSTS": "127.0.0.1",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert output.count("cms.E020") == 2 and "cms.E021" in output
    assert "'http://127.0.0.1:3000/api/revalidate' is refused: Only https:// URLs are allowed." in output


# --- Receivers that never finish answering -----------------------------------------------------


class TricklingReceiver:
    """Accepts one request, then sends `head` and trickles `piece` every 0.1 s, up to 100 times
    (ten seconds); `sent` counts the pieces the client took before it hung up."""

    def __init__(self, head, piece):
        self.head, self.piece, self.sent = head, piece, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        conn, _ = self.listener.accept()
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(self.head)
                for _ in range(100):
                    conn.sendall(self.piece)
                    self.sent += 1
                    self.done.wait(0.1)
            except OSError:
                pass
        self.done.set()

    def close(self):
        self.done.set()
        self.listener.close()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "head, piece",
    [
        (b"HTTP/1.1 200 OK\r\n", b"X-Slow: y\r\n"),  # headers that never end
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", b"a"),  # a body a byte at a time
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", b"1\r\na\r\n"),
    ],
)
def test_an_answer_trickled_forever_ends_the_attempt_at_its_timeout(sending, settings, commit, head, piece):
    """The timeout bounds the whole attempt, not each read: a trickle would otherwise hold a worker,
    and every message queued behind it, for as long as the receiver liked."""
    server = TricklingReceiver(head, piece)
    try:
        settings.PUBLISH_WEBHOOK_URLS = [f"http://127.0.0.1:{server.port}/hooks"]
        settings.PUBLISH_WEBHOOK_TIMEOUT = 1
        settings.PUBLISH_WEBHOOK_MAX_ATTEMPTS = 1

        _publish_one(commit)

        [row] = WebhookDelivery.objects.all()
        assert not row.succeeded
        assert row.error == "Timeout: No complete answer within 1 s."
        assert server.done.wait(5)
        assert server.sent < 50  # hung up on long before the receiver's ten seconds of trickle
    finally:
        server.close()
