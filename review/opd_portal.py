"""The OPD upload page: `/unggah/<token>`, one per OPD (pipeline/portal/links.py). The link's OPD sees its own
open requests, sends files (several at once, by drag and drop, with a progress bar; a plain form without
JavaScript), and sees what became of each file it sent. Nothing on it names another OPD's files.

Files go into the inbox (pipeline/portal/store.py) and every one is logged (OPD, time, name, sha256, address).
"""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse

from pipeline.config import Settings
from pipeline.gaps.review import overrides
from pipeline.ledger.ledger import Ledger
from pipeline.ledger.records import OpdLink
from pipeline.opd import opd_table_for
from pipeline.portal.deadlines import calendar, opd_deadline
from pipeline.portal.links import link_of
from pipeline.portal.store import ACCEPTED_SUFFIXES, UploadRefused, store_upload
from pipeline.portal.view import opd_view

from .safety import csrf_ok

MAX_FILES = 20  # per post


def add_upload_routes(app: FastAPI, settings: Settings, ledger: Ledger, gaps, page) -> None:
    """`gaps(region)` judges a region's gap list as the review page does; `page(...)` renders a template."""

    def link_or_404(token: str) -> OpdLink:
        link = link_of(ledger, token)
        if link is None:
            raise HTTPException(404)
        return link

    def folder_of(link: OpdLink) -> str:
        opd = opd_table_for(settings, link.region or None).by_id(link.opd)
        folder = opd.folder if opd else link.opd
        return f"{link.region}/{folder}" if link.region else folder

    def render(request: Request, token: str, link: OpdLink, refused: list[UploadRefused] = (), stored=()):
        current = gaps(link.region or None)
        region = link.region
        # By name and content: a path whose content was later replaced in the share lists both.
        entries = {(e.path, e.sha256): e for e in ledger.entries(include_absent=True, region=region)}
        view = opd_view(link.opd, current, ledger.uploads_of(link.opd, region), entries,
                        overrides(ledger, region))
        table = opd_table_for(settings, region or None)
        today = dt.date.today()
        due = opd_deadline(calendar(settings), today)
        return page(request, "upload.html", opd=table.by_id(link.opd), opd_id=link.opd, view=view, token=token,
                    gaps=current, due=due, days=due.days_left(today) if due else None, refused=refused,
                    stored=stored, accept=",".join(ACCEPTED_SUFFIXES), max_mb=settings.upload_max_bytes // 1_000_000,
                    portal=True)

    @app.get("/unggah/{token}", response_class=HTMLResponse)
    def upload_page(request: Request, token: str):
        return render(request, token, link_or_404(token))

    @app.post("/unggah/{token}")
    def upload(request: Request, token: str, csrf: str = Form(""), permintaan: str = Form(""),
               berkas: list[UploadFile] = File(default=[])):
        link = link_or_404(token)
        if not csrf_ok(request, csrf):
            raise HTTPException(403, "Token formulir tidak sah / invalid form token (CSRF)")
        if len(berkas) > MAX_FILES:
            raise HTTPException(413, f"paling banyak {MAX_FILES} berkas sekali kirim / at most {MAX_FILES} files")
        criterion, _, evidence_type = permintaan.partition(":")
        asked = {(r.criterion, r.evidence_type)
                 for r in gaps(link.region or None).requests_by_opd().get(link.opd, ())}
        if permintaan and (criterion, evidence_type) not in asked:
            criterion = evidence_type = ""  # not one of its open requests: stored, but answering none
        address = request.client.host if request.client else "?"
        stored, refused, logged = [], [], []
        for item in berkas:
            name = item.filename or ""
            try:
                size = item.size if item.size is not None else 0
                if size > settings.upload_max_bytes:  # known before a byte reaches the inbox folder
                    raise UploadRefused(f"berkas terlalu besar: {name}", f"file too large: {name}")
                saved = store_upload(settings.inbox, folder_of(link), name, item.file, settings.upload_max_bytes)
            except UploadRefused as exc:
                refused.append(exc)
                continue
            logged.append(ledger.add_upload(link, name, saved.relative, saved.sha256, saved.size, address,
                                            criterion or None, evidence_type or None))
            stored.append(saved.relative.rsplit("/", 1)[-1])
        if criterion and evidence_type:  # a new answer to a request supersedes the earlier ones (kept as history)
            ledger.supersede(link, criterion, evidence_type, logged)
        if "application/json" in request.headers.get("accept", ""):  # the page's own script
            return JSONResponse({"stored": stored, "refused": [{"id": r.id, "en": r.en} for r in refused]})
        return render(request, token, link, refused, stored)
