"""varnishd with the compose stack's VCL (docker/varnish/default.vcl) in front of a local server:
the "through Varnish" rows of `make bench`, and tests/ops/test_varnish.py."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Self

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "docker" / "varnish" / "default.vcl"
# The compose service's backend; replaced by the local server's address.
BACKEND_LINE = 'backend app { .host = "app"; .port = "8000"; }'


def varnishd() -> str | None:
    """Debian's varnishd (the varnish package), wherever PATH leaves /usr/sbin out."""
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Varnish:
    """varnishd in the foreground on two loopback ports (clients, purges), stopped on exit."""

    def __init__(self, backend_port: int, workdir: Path) -> None:
        self.port, self.purge_port = _free_port(), _free_port()
        self.workdir = workdir
        vcl = VCL.read_text()
        if vcl.count(BACKEND_LINE) != 1:
            raise ValueError(f"{VCL} must hold the line {BACKEND_LINE!r} once (it is replaced here)")
        self.vcl = workdir / "varnish.vcl"
        self.vcl.write_text(
            vcl.replace(BACKEND_LINE, f'backend app {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}')
        )
        self.log = workdir / "varnishd.log"

    def __enter__(self) -> Self:
        binary = varnishd()
        if binary is None:
            raise RuntimeError("varnishd is not installed (Debian: apt-get install varnish)")
        command = [
            binary,
            "-F",
            # No privilege drop to the varnish users: the work directory may be private to us.
            "-j",
            "none",
            "-a",
            f"http=127.0.0.1:{self.port}",
            "-a",
            f"purge=127.0.0.1:{self.purge_port}",
            "-f",
            str(self.vcl),
            "-n",
            str(self.workdir / "varnish-instance"),
            "-s",
            "malloc,64m",
        ]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_until_it_answers()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("varnishd exited:\n" + self.log.read_text()[-3000:])
            try:
                url = f"http://127.0.0.1:{self.port}/healthz"
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a local URL)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("varnishd did not answer:\n" + self.log.read_text()[-3000:])
            time.sleep(0.2)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        try:
            os.kill(self.process.pid, signal.SIGTERM)  # the manager stops its child
            self.process.wait(timeout=15)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
