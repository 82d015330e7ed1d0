"""The review page's guards: who may connect, and that every form post comes from our own page."""

from __future__ import annotations

import base64
import ipaddress
import secrets

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from starlette.middleware.base import BaseHTTPMiddleware

CSRF_COOKIE = "bukti_csrf"


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


class GuardMiddleware(BaseHTTPMiddleware):
    """HTTP Basic password (when configured) on every request; a same-origin check on every POST; the CSRF
    cookie (double-submit, same-site strict) that forms echo and `csrf_ok` checks."""

    def __init__(self, app, password: str = ""):
        super().__init__(app)
        self.password = password

    async def dispatch(self, request: Request, call_next) -> Response:
        if self.password and not self._authorised(request):
            return PlainTextResponse("Kata sandi diperlukan / password required", status_code=401,
                                     headers={"WWW-Authenticate": 'Basic realm="bukti"'})
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        request.state.csrf = token
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
                return PlainTextResponse("Asal permintaan ditolak / cross-origin request refused", status_code=403)
        response = await call_next(request)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        return response

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            return False
        try:
            _, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return secrets.compare_digest(password, self.password)


def csrf_ok(request: Request, sent: str | None) -> bool:
    """The form's token must equal the cookie's; a page on another site can read neither."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and sent and secrets.compare_digest(str(sent), cookie))
