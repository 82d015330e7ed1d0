"""The page's one language: Indonesian unless the reader switched (`?lang=en`, remembered in a cookie)."""

from __future__ import annotations

from fastapi import Request

LANGS = ("id", "en")
COOKIE = "bukti_lang"


def chosen(request: Request) -> tuple[str, bool]:
    """(language, whether the request switched it and the cookie must be set)."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked, asked != request.cookies.get(COOKIE)
    remembered = request.cookies.get(COOKIE)
    return (remembered if remembered in LANGS else "id"), False
