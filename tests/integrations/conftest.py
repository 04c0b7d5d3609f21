"""A local receiver for the webhook backend (threading http.server on 127.0.0.1, port 0): it verifies the signature
the way the receiving platform is told to (docs/integrations.md) and answers with the statuses it is given."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.integrations.backends import MESSAGE_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

SECRET = "test-shared-secret-不要在生产使用"


class Receiver:
    def __init__(self, statuses=(200,), secret=SECRET):
        self.statuses = list(statuses)  # answered in turn; the last one repeats
        self.secret = secret
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ok = verify(body, self.headers.get(TIMESTAMP_HEADER, ""), self.headers.get(SIGNATURE_HEADER, ""),
                            receiver.secret)
                status = (receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]) \
                    if ok else 401
                receiver.requests.append({"body": json.loads(body), "raw": body, "signature_ok": ok,
                                          "timestamp": self.headers.get(TIMESTAMP_HEADER),
                                          "signature": self.headers.get(SIGNATURE_HEADER),
                                          "message_id": self.headers.get(MESSAGE_ID_HEADER), "status": status})
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b'{"echo": "whatever the platform says"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/push"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def accepted(self) -> list[dict]:
        return [r for r in self.requests if 200 <= r["status"] < 300]


@pytest.fixture
def receiver(settings):
    """receiver(statuses) → a running Receiver; the webhook backend points at it."""
    started = []

    def start(statuses=(200,), secret=SECRET):
        server = Receiver(statuses, secret).__enter__()
        started.append(server)
        settings.INTEGRATION_BACKEND = "webhook"
        settings.INTEGRATION_WEBHOOK_URL = server.url
        settings.INTEGRATION_WEBHOOK_SECRET = SECRET
        settings.INTEGRATION_WEBHOOK_TIMEOUT_SECONDS = 5
        return server

    yield start
    for server in started:
        server.__exit__()


@pytest.fixture
def outbound_dir(settings, tmp_path):
    settings.INTEGRATION_BACKEND = "file"
    settings.INTEGRATION_FILE_DIR = str(tmp_path / "outbound")
    return tmp_path / "outbound"
