"""The web server's outer wall: an ASGI middleware that every HTTP request passes first.

It refuses, before any work is done: requests for another host name when the app is bound to
loopback (DNS rebinding), requests sent from another origin, the file-upload, monitoring and
deep-link routes (the app takes no files, exposes no metrics and keeps no page copies to link to:
chatbot/web_sessions.py), and bodies over a size limit (HTTP 413). Every
response it lets through carries security headers, among them a Content-Security-Policy that only
lets the page load from its own origin, so nothing quoted or typed can fetch a remote image.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
BLOCKED_PATH_PARTS = ("/upload", "/monitoring", "/deep_link")
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",  # Gradio's page injects its config inline
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",  # no remote image, whatever a message or an article holds
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str


def host_name(value: str) -> str:
    """The name part of a Host header or an origin's netloc, lower case, without the port."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def origin_netloc(origin: str) -> str | None:
    parts = urlsplit(origin)
    return parts.netloc.lower() if parts.scheme in ("http", "https") and parts.netloc else None


def refusal_for(path: str, headers: dict[str, str], loopback_only: bool,
                max_body_bytes: int) -> Refusal | None:
    """Why this request is refused before it reaches the app, or None to let it through."""
    host = headers.get("host", "")
    if loopback_only and host_name(host) not in LOOPBACK_NAMES:
        return Refusal(421, "This server only answers requests addressed to 127.0.0.1 or localhost.")
    origin = headers.get("origin")
    if origin is not None and origin_netloc(origin) != host.strip().lower():
        return Refusal(403, "Requests from other web sites are refused.")
    if any(part in path.lower() for part in BLOCKED_PATH_PARTS):
        return Refusal(404, "Not found: this app takes no files and exposes no monitoring or deep links.")
    length = headers.get("content-length", "0").strip() or "0"
    if not length.isdigit():
        return Refusal(400, "The Content-Length header is not a number.")
    if int(length) > max_body_bytes:
        return Refusal(413, f"The request is larger than {max_body_bytes:,} bytes; send a shorter message "
                            "or fewer earlier turns.")
    return None


class WebGuard:
    """ASGI middleware: `Middleware(WebGuard, loopback_only=True, max_body_bytes=...)`."""

    def __init__(self, app, loopback_only: bool = True, max_body_bytes: int = 2_000_000):
        self.app = app
        self.loopback_only = loopback_only
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = refusal_for(scope.get("path", ""), headers, self.loopback_only, self.max_body_bytes)
        if refusal is not None:
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await send_refusal(send, refusal)
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        state = {"received": 0, "started": False, "refused": False}

        async def bounded_receive():
            if state["refused"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_body_bytes:  # a streamed body without Content-Length
                    state["refused"] = True
                    if not state["started"]:
                        await send_refusal(send, Refusal(413, f"The request is larger than {self.max_body_bytes:,} "
                                                              "bytes."))
                    return {"type": "http.disconnect"}  # the app stops reading, as if the client had left
            return message

        async def send_with_headers(message):
            if state["refused"]:
                return
            if message["type"] == "http.response.start":
                state["started"] = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in names]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, bounded_receive, send_with_headers)


async def send_refusal(send, refusal: Refusal) -> None:
    body = json.dumps({"error": refusal.message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})
