"""A real HTTP receiver on 127.0.0.1 for the webhook tests: it records each request, which must
verify with the `standardwebhooks` library, as a frontend would verify it."""

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

SECRET = "whsec_" + base64.b64encode(b"psg-webhook-test-secret-32-bytes").decode()


class Receiver:
    """An HTTP server in a thread that records every request and answers with scripted statuses.

    `statuses` entries are a status code, or (status, headers, body) for a full answer.
    `connections` counts every TCP connection accepted, whether or not it carried a request.
    """

    def __init__(self):
        self.requests = []
        self.statuses = []  # popped per request; 200 once empty
        self.connections = 0
        self.received = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                answer = receiver.statuses.pop(0) if receiver.statuses else 200
                status, headers, content = answer if isinstance(answer, tuple) else (answer, {}, None)
                if content is None:
                    content = b"ok" if status == 200 else b"try again"
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content)
                receiver.received.set()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def verify_request(self, request, client_address):
                receiver.connections += 1
                return True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hooks/psg"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def verified(self):
        """Every request's payload, after checking its Standard Webhooks signature."""
        webhook = Webhook(SECRET)
        return [webhook.verify(r["body"], r["headers"]) for r in self.requests]

    def types(self):
        return [payload["type"] for payload in self.verified()]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
