"""The running web app over HTTP: the /ask API a program calls, the page, and where it listens."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from gradio_client import Client

from chatbot.disclaimer import DISCLAIMER
from server_fixture import running_app  # noqa: F401  (the fixture)

pytestmark = pytest.mark.integration

STRETCHES_TITLE = "Sacroiliac Joint Pain: Stretches For Relief"
REPLY_KEYS = {"answer", "citations", "in_scope", "red_flags", "notice", "disclaimer", "query", "markdown",
              "detections"}


@pytest.fixture(scope="module")
def client(running_app):  # noqa: F811
    return Client(running_app, verbose=False)


def ask(client, message: str, history: list[dict] | None = None) -> dict:
    reply = client.predict(message=message, history=history or [], api_name="/ask")
    assert set(reply) == REPLY_KEYS
    return reply


def test_ask_quotes_the_hold_time_with_a_numbered_source_and_the_disclaimer(client):
    reply = ask(client, "how long should I hold the knee to chest stretch")
    assert reply["in_scope"] is True
    assert reply["red_flags"] == [] and reply["notice"] is None
    assert "Hold for 30 seconds" in reply["answer"]
    assert "[1]" in reply["answer"]
    cited = {c["n"]: c["title"] for c in reply["citations"]}
    assert cited[1] == STRETCHES_TITLE
    assert reply["disclaimer"] == DISCLAIMER
    assert DISCLAIMER in reply["markdown"]


def test_ask_resolves_a_follow_up_from_the_history_sent_with_it(client):
    first = ask(client, "how do I do the knee to chest stretch")
    history = [{"role": "user", "content": "how do I do the knee to chest stretch"},
               {"role": "assistant", "content": first["markdown"]}]
    reply = ask(client, "how long do I hold it?", history)
    assert "knee" in reply["query"].lower()
    assert reply["in_scope"] is True
    assert "Hold for 30 seconds" in reply["answer"]
    assert any(c["title"] == STRETCHES_TITLE for c in reply["citations"])


def test_ask_puts_the_emergency_notice_before_the_answer(client):
    reply = ask(client, "I can't feel anything when I wipe and my legs are getting weak")
    assert "cauda_equina" in reply["red_flags"]
    assert reply["notice"] is not None and "emergency" in reply["notice"].lower()
    markdown = reply["markdown"]
    assert markdown.startswith('<div class="red-flag-notice"')
    notice_at = markdown.index(reply["notice"])
    if reply["answer"]:
        assert notice_at < markdown.index(reply["answer"])
    assert markdown.rstrip().endswith(f"*{DISCLAIMER}*")


def test_the_page_is_served_with_the_title_and_the_disclaimer(running_app):  # noqa: F811
    with urllib.request.urlopen(running_app, timeout=10) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/html"
        page = response.read().decode("utf-8")
    assert "SI Joint Pain Helper" in page
    assert DISCLAIMER in page  # the page's config carries the always-visible disclaimer


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket in LISTEN state on `port`, read from /proc/net/tcp and tcp6."""
    addresses = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port and len(address) == width:
                addresses.add(proc_net_address(address))
    return addresses


def proc_net_address(hex_address: str) -> str:
    """'0100007F' -> '127.0.0.1'; IPv6 is four little-endian 32-bit words."""
    raw = b"".join(bytes.fromhex(hex_address[i:i + 8])[::-1] for i in range(0, len(hex_address), 8))
    return socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, raw)


def test_the_server_listens_on_loopback_only(running_app):  # noqa: F811
    url = urlparse(running_app)
    assert url.hostname == "127.0.0.1"
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this system to list listening sockets")
    assert listening_addresses(url.port) == {"127.0.0.1"}


def non_loopback_ipv4_addresses() -> set[str]:
    """This machine's own outward-facing IPv4 addresses (the source address of a route; nothing is sent)."""
    found = set()
    for target in ("10.255.255.255", "172.31.255.255", "192.168.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect((target, 9))  # UDP connect only picks a route
                found.add(sock.getsockname()[0])
            except OSError:
                continue
    try:
        found.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    except OSError:
        pass
    return {a for a in found if not a.startswith("127.") and a != "0.0.0.0"}


def test_the_server_is_not_reachable_on_other_addresses_of_this_machine(running_app):  # noqa: F811
    port = urlparse(running_app).port
    others = non_loopback_ipv4_addresses()
    if not others:
        pytest.skip("this machine has no address besides loopback")
    for address in sorted(others):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(3)
            assert sock.connect_ex((address, port)) != 0, f"the app answers on {address}:{port}"


def raw_request(app_url: str, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request with exactly these headers (Host and Origin included), no client library in between."""
    import http.client

    url = urlparse(app_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        sent = {"Host": url.netloc, **(headers or {})}
        if body is not None:
            sent.setdefault("Content-Length", str(len(body)))
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


ASK_BODY = b'{"data": ["how long do I hold the knee to chest stretch?", []]}'
JSON = {"Content-Type": "application/json"}


def test_every_page_carries_the_security_headers(running_app):  # noqa: F811
    status, headers, _ = raw_request(running_app, "GET", "/")
    assert status == 200
    policy = headers["content-security-policy"]
    assert "img-src 'self' data: blob:" in policy and "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def test_a_request_for_another_host_name_is_refused(running_app):  # noqa: F811
    port = urlparse(running_app).port
    status, _, body = raw_request(running_app, "GET", "/", {"Host": f"evil.example:{port}"})
    assert status == 421 and b"127.0.0.1 or localhost" in body
    assert raw_request(running_app, "GET", "/", {"Host": f"localhost:{port}"})[0] == 200


def test_a_request_from_another_origin_is_refused_and_the_same_origin_is_served(running_app):  # noqa: F811
    status, _, body = raw_request(running_app, "POST", "/gradio_api/call/ask",
                                  {**JSON, "Origin": "http://evil.example"}, ASK_BODY)
    assert status == 403 and b"other web sites" in body
    same = urlparse(running_app)
    status, _, body = raw_request(running_app, "POST", "/gradio_api/call/ask",
                                  {**JSON, "Origin": f"http://{same.netloc}"}, ASK_BODY)
    assert status == 200 and b"event_id" in body


def test_there_is_no_upload_route_no_monitoring_and_no_deep_link(running_app):  # noqa: F811
    body = b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello\r\n--b--\r\n"
    status, _, _ = raw_request(running_app, "POST", "/gradio_api/upload",
                               {"Content-Type": "multipart/form-data; boundary=b"}, body)
    assert status == 404
    for path in ("/monitoring", "/monitoring/summary", "/gradio_api/upload_progress?upload_id=x",
                 "/gradio_api/deep_link?session_hash=x"):  # sessions keep no page copy to link to
        assert raw_request(running_app, "GET", path)[0] == 404, path


def test_an_oversized_body_is_refused_before_any_work(running_app):  # noqa: F811
    huge = b'{"data": ["' + b"a" * 3_000_000 + b'", []]}'
    status, _, body = raw_request(running_app, "POST", "/gradio_api/call/ask", JSON, huge)
    assert status == 413 and b"larger than" in body
    chunks = huge[:1_000_000], huge[1_000_000:2_000_000], huge[2_000_000:]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    status, _, _ = raw_request(running_app, "POST", "/gradio_api/call/ask", {**JSON, "Transfer-Encoding": "chunked"},
                               chunked)
    assert status == 413


def test_a_long_history_of_deeply_nested_content_is_answered_without_a_traceback(running_app):  # noqa: F811
    import json

    from server_fixture import _server

    nested = "how do I do the knee to chest stretch"
    for _ in range(900):  # deeper than Python's recursion limit allows a naive reader to go
        nested = [nested]
    history = [{"role": "user", "content": nested}] + [{"role": "assistant", "content": "ok"}] * 5000
    body = json.dumps({"data": ["how long do I hold it?", history]}).encode()
    status, _, posted = raw_request(running_app, "POST", "/gradio_api/call/ask", JSON, body)
    assert status == 200, posted[:300]
    event_id = json.loads(posted)["event_id"]
    status, _, stream = raw_request(running_app, "GET", f"/gradio_api/call/ask/{event_id}")
    assert status == 200 and b"event: complete" in stream, stream[:500]
    reply = json.loads(stream.split(b"data: ", 1)[1].split(b"\n", 1)[0])[0]
    assert reply["disclaimer"] == DISCLAIMER
    assert "Traceback" not in _server["log_path"].read_text(errors="replace")
