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
