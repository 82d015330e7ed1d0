"""The review page's guards: which host names it answers to, who may connect (with a limit on password tries),
and that every form post comes from our own page."""

from __future__ import annotations

import base64
import ipaddress
import secrets
import threading
import time
from collections import deque

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from starlette.middleware.base import BaseHTTPMiddleware

CSRF_COOKIE = "bukti_csrf"
# The OPD upload page (issue 16): its secret link is its password, so it is not behind the coordinator's; every
# request to it counts against a per-client limit instead, so that links cannot be guessed (or the page flooded).
UPLOAD_PREFIX = "/unggah/"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# Wrong passwords allowed per client in WINDOW seconds, and from all clients together (many addresses).
MAX_FAILURES, MAX_FAILURES_ALL, WINDOW = 10, 100, 60.0


class UnsafeBinding(ValueError):
    pass


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, password: str) -> None:
    """Anything but loopback reaches other machines: refuse to listen there without a password."""
    if not is_loopback(host) and not password:
        raise UnsafeBinding(
            f"menolak mendengarkan di {host} tanpa kata sandi: set BUKTI_UI_PASSWORD (atau ui_password di bukti.toml) "
            f"/ refusing to listen on {host} without a password: set BUKTI_UI_PASSWORD")


def host_name(header: str) -> str:
    """The name in a Host header, without its port: "[::1]:8765" → "::1", "bukti.local:80" → "bukti.local"."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(ui_host: str, extra: str) -> frozenset[str]:
    names = set(LOOPBACK_NAMES) | {h.strip().lower() for h in extra.split(",") if h.strip()}
    if ui_host and ui_host not in ("0.0.0.0", "::"):  # a wildcard bind is no name a browser sends
        names.add(ui_host.lower())
    return frozenset(names)


class FailureLimiter:
    """Counts wrong passwords per client and overall in a sliding window; thread-safe."""

    def __init__(self, per_client: int = MAX_FAILURES, overall: int = MAX_FAILURES_ALL, window: float = WINDOW):
        self.per_client, self.overall, self.window = per_client, overall, window
        self.failures: dict[str, deque[float]] = {}
        self.all: deque[float] = deque()
        self.lock = threading.Lock()

    def _trim(self, times: deque[float], now: float) -> None:
        while times and now - times[0] > self.window:
            times.popleft()

    def blocked(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            mine = self.failures.get(client, deque())
            self._trim(mine, now)
            self._trim(self.all, now)
            return len(mine) >= self.per_client or len(self.all) >= self.overall

    def fail(self, client: str) -> None:
        now = time.monotonic()
        with self.lock:
            self.failures.setdefault(client, deque()).append(now)
            self.all.append(now)
            if len(self.failures) > 10_000:  # forget idle clients rather than grow without bound
                for key in [k for k, v in self.failures.items() if not v or now - v[-1] > self.window]:
                    del self.failures[key]


class GuardMiddleware(BaseHTTPMiddleware):
    """Only the configured host names; HTTP Basic password (when configured) on every request, wrong tries
    limited; a same-origin check on every POST; the CSRF cookie (double-submit, same-site strict) that forms
    echo and `csrf_ok` checks."""

    def __init__(self, app, password: str = "", hosts: frozenset[str] = frozenset(LOOPBACK_NAMES),
                 upload_rate: int = 30, upload_max_request: int = 1 << 30):
        super().__init__(app)
        self.password = password
        self.hosts = hosts
        self.limiter = FailureLimiter()
        # Per client only: an overall cap would let one flooding client lock every OPD out.
        self.upload_limiter = FailureLimiter(per_client=upload_rate, overall=1 << 30)
        self.upload_max_request = upload_max_request

    async def dispatch(self, request: Request, call_next) -> Response:
        if host_name(request.headers.get("host", "")) not in self.hosts:
            return PlainTextResponse("Nama host tidak dikenal / unknown host name", status_code=400)
        upload_page = request.url.path.startswith(UPLOAD_PREFIX)
        if upload_page:
            client = request.client.host if request.client else "?"
            if self.upload_limiter.blocked(client):
                return PlainTextResponse("Terlalu banyak permintaan / too many requests; wait a minute",
                                         status_code=429, headers={"Retry-After": str(int(WINDOW))})
            self.upload_limiter.fail(client)  # every request counts, not only failures
            if request.method == "POST":  # refused before the body is read, let alone stored
                length = request.headers.get("content-length", "")
                if not length.isdigit():
                    return PlainTextResponse("Panjang kiriman tidak diketahui / length required", status_code=411)
                if int(length) > self.upload_max_request:
                    return PlainTextResponse("Kiriman terlalu besar / upload too large", status_code=413)
        elif self.password:
            client = request.client.host if request.client else "?"
            if self.limiter.blocked(client):
                return PlainTextResponse("Terlalu banyak percobaan / too many tries; wait a minute",
                                         status_code=429, headers={"Retry-After": str(int(WINDOW))})
            if not self._authorised(request):
                if request.headers.get("authorization"):
                    self.limiter.fail(client)
                return PlainTextResponse("Kata sandi diperlukan / password required", status_code=401,
                                         headers={"WWW-Authenticate": 'Basic realm="bukti", charset="UTF-8"'})
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        request.state.csrf = token
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
                return PlainTextResponse("Asal permintaan ditolak / cross-origin request refused", status_code=403)
        response = await call_next(request)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        if upload_page:  # the link is the secret: never in a Referer, never in a shared cache
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["Cache-Control"] = "no-store"
        return response

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            return False
        try:
            _, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        # As bytes: compare_digest refuses str with non-ASCII characters (a 500 for "kata sandi ñ").
        return secrets.compare_digest(password.encode("utf-8"), self.password.encode("utf-8"))


def csrf_ok(request: Request, sent: str | None) -> bool:
    """The form's token must equal the cookie's; a page on another site can read neither."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and sent and secrets.compare_digest(str(sent).encode("utf-8"), cookie.encode("utf-8")))
