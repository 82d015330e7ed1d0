"""The review page's endorsement view: one document's marks per page, and the reviewer's override (endorsed or
not, whatever the marks say; or back to the marks). Its own module and template so the document page is left
as it is: the page is reached at /dokumen/<sha>/pengesahan (under /wilayah/<region>/ in a province), linked from
the reports' and the gap list's flags.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from pipeline.endorse.store import Endorsement, EndorsementStore

from .safety import csrf_ok

CHOICES = {"endorsed": Endorsement.ENDORSED, "unendorsed": Endorsement.UNENDORSED, "marks": None}


def add_endorsement_routes(app: FastAPI, ledger, page: Callable, document_or_404: Callable,
                           in_region_or_404: Callable, region_or_404: Callable, base: Callable[[str | None], str],
                           regional: bool) -> None:
    store = EndorsementStore(ledger)

    def show(request: Request, sha: str, region: str | None):
        document_or_404(sha)
        paths = in_region_or_404(sha, region)
        decided = store.of([sha], region=region or "")[sha]
        return page(request, "endorsement.html", region, sha=sha, paths=paths, decided=decided,
                    pages=store.pages_of(sha))

    def decide(request: Request, sha: str, region: str | None, csrf: str, reviewer: str, choice: str,
               note: str | None):
        if not csrf_ok(request, csrf):
            raise HTTPException(403, "Token formulir tidak sah / invalid form token (CSRF)")
        document_or_404(sha)
        in_region_or_404(sha, region)
        if choice not in CHOICES or not reviewer.strip():
            raise HTTPException(400, "pilih keputusan dan isi nama peninjau / choose a decision and name the reviewer")
        store.override(sha, CHOICES[choice], reviewer.strip()[:128], note=note, region=region or "")
        response = RedirectResponse(f"{base(region)}/dokumen/{sha}/pengesahan", status_code=303)
        response.set_cookie("bukti_reviewer", reviewer.strip()[:128], samesite="strict")
        return response

    @app.get("/dokumen/{sha}/pengesahan")
    def single_show(request: Request, sha: str):
        if regional:
            raise HTTPException(404)
        return show(request, sha, None)

    @app.post("/dokumen/{sha}/pengesahan")
    def single_decide(request: Request, sha: str, csrf: str = Form(""), reviewer: str = Form(""),
                      choice: str = Form(""), note: str | None = Form(None)):
        if regional:
            raise HTTPException(404)
        return decide(request, sha, None, csrf, reviewer, choice, note)

    @app.get("/wilayah/{region}/dokumen/{sha}/pengesahan")
    def region_show(request: Request, region: str, sha: str):
        return show(request, sha, region_or_404(region))

    @app.post("/wilayah/{region}/dokumen/{sha}/pengesahan")
    def region_decide(request: Request, region: str, sha: str, csrf: str = Form(""), reviewer: str = Form(""),
                      choice: str = Form(""), note: str | None = Form(None)):
        return decide(request, sha, region_or_404(region), csrf, reviewer, choice, note)
