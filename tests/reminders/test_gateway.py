"""The HTTP SMS gateway backend against a real HTTP server on 127.0.0.1."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reminders.channels import HttpGatewaySMSBackend, PermanentSendError, TransientSendError


class Gateway(BaseHTTPRequestHandler):
    answers = []  # (status, body) popped per request
    received = []

    def do_POST(self):  # noqa: N802 - the http.server API
        length = int(self.headers["Content-Length"])
        Gateway.received.append(
            {
                "path": self.path,
                "auth": self.headers["Authorization"],
                "type": self.headers["Content-Type"],
                "json": json.loads(self.rfile.read(length)),
            }
        )
        status, body = Gateway.answers.pop(0)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.answers = []
    Gateway.received = []
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_USER = "clinic"
    settings.SMS_GATEWAY_PASSWORD = "s3cret"
    settings.SMS_SENDER = "DIALOGPLUS"
    yield Gateway
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_gateway_posts_json_with_basic_auth_and_returns_the_provider_id(gateway):
    gateway.answers.append((200, {"id": "gw-42"}))

    message_id = HttpGatewaySMSBackend().send(
        to="+38970123456", text="Reminder", reference="reminder-7"
    )

    assert message_id == "gw-42"
    request = gateway.received[0]
    assert request["path"] == "/send"
    assert request["type"] == "application/json"
    assert request["auth"] == "Basic " + base64.b64encode(b"clinic:s3cret").decode()
    assert request["json"] == {
        "to": "+38970123456",
        "from": "DIALOGPLUS",
        "text": "Reminder",
        "reference": "reminder-7",
    }


def test_gateway_5xx_is_transient(gateway):
    gateway.answers.append((503, {"error": "busy"}))

    with pytest.raises(TransientSendError, match="503"):
        HttpGatewaySMSBackend().send(to="+1", text="x", reference="r")


def test_gateway_4xx_is_permanent(gateway):
    gateway.answers.append((400, {"error": "bad number"}))

    with pytest.raises(PermanentSendError, match="400"):
        HttpGatewaySMSBackend().send(to="+1", text="x", reference="r")


def test_an_unreachable_gateway_is_transient(settings):
    import socket

    # A port nobody listens on: bound, then closed.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{port}/send"

    with pytest.raises(TransientSendError):
        HttpGatewaySMSBackend().send(to="+1", text="x", reference="r")


def test_file_backend_writes_the_development_outbox(settings, tmp_path):
    from reminders.channels import FileSMSBackend

    settings.VAR_DIR = tmp_path

    message_id = FileSMSBackend().send(to="+38970123456", text="Здраво", reference="reminder-1")

    (written,) = (tmp_path / "outbox" / "sms").iterdir()
    payload = json.loads(written.read_text(encoding="utf-8"))
    assert payload["id"] == message_id
    assert payload["text"] == "Здраво"
