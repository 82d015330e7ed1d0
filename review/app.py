"""The review page. Server-rendered: a dashboard with the matrix, a page per criterion, a page per document with
its text, preview, criteria, type and dates, and the reviewer's actions.

Files are found only by their ledger id (sha256); no path from a request reaches the file system.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from pipeline.classify.model import load_model
from pipeline.config import Settings
from pipeline.criteria import IDS, load_criteria
from pipeline.describe.dates import Dates
from pipeline.describe.evidence import TYPES, in_period, period_of
from pipeline.i18n import CRITERION_STATUSES, headline, labels
from pipeline.reports.html import matrix_svg
from pipeline.ledger.ledger import Ledger
from pipeline.process import judge_documents
from pipeline.intake.record import archive_path
from pipeline.gaps.review import ACTIONS, ReviewError, overrides, record_review

from .previews import preview_png
from .safety import GuardMiddleware, allowed_hosts, csrf_ok

SHA = re.compile(r"[0-9a-f]{64}")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="bukti", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(GuardMiddleware, password=settings.ui_password,
                       hosts=allowed_hosts(settings.ui_host, settings.ui_allowed_hosts))
    ledger = Ledger(settings.database_url)
    model = load_model(settings.model_dir, settings.trust_file)
    criteria = {c.id: c for c in load_criteria()}
    L = labels("id")

    def gaps() -> dict:
        # The same judging stages as the nightly run: a document no pass has classified yet is judged here too.
        return judge_documents(ledger, model, settings.assessment_year)[1]

    def page(request: Request, name: str, **context) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, name, {"L": L, "types": TYPES, "year": settings.assessment_year,
                                                         "csrf": request.state.csrf, **context})

    def document_or_404(sha: str):
        if not SHA.fullmatch(sha):
            raise HTTPException(404)
        row = ledger.document(sha)
        if row is None:
            raise HTTPException(404)
        return row

    @app.get("/", response_class=HTMLResponse)
    def dashboard(request: Request):
        current = gaps()  # the same completeness matrix as the HTML report
        return page(request, "dashboard.html", gaps=current, headline=headline(current), matrix=matrix_svg(current),
                    statuses=CRITERION_STATUSES)

    @app.get("/kriteria/{criterion}", response_class=HTMLResponse)
    def criterion_page(request: Request, criterion: str):
        if criterion not in criteria:
            raise HTTPException(404)
        entry = next(c for c in gaps()["criteria"] if c["id"] == criterion)
        return page(request, "criterion.html", c=entry)

    @app.get("/dokumen/{sha}", response_class=HTMLResponse)
    def document_page(request: Request, sha: str, error: str | None = None):
        doc = document_or_404(sha)
        paths = ledger.entries(include_absent=True, sha256=sha)
        scores = ledger.classifications_of(sha)
        decided = overrides(ledger).get(sha)
        facts = ledger.facts_of(sha)
        rows = []
        for cid in IDS:
            r = scores.get(cid)
            decision = decided.criteria.get(cid) if decided else None
            rows.append({"id": cid, "name": criteria[cid].name,
                         "confidence": r.confidence if r else None,
                         "threshold": model.thresholds[cid],
                         "assigned": bool(r and r.confidence >= model.thresholds[cid]),
                         "decision": decision,
                         "why": json.loads(r.explanation) if r and r.explanation else None})
        # What the gap list will use: the reviewer's type and dates when given, else the rules' (one place).
        period = None
        if facts or (decided and (decided.evidence_type or decided.years is not None)):
            kind = (decided.evidence_type if decided and decided.evidence_type else None) or \
                (facts.evidence_type if facts else "proses")
            if decided and decided.years is not None:
                dates = Dates(decided.date, decided.years, None)
            elif facts:
                dates = Dates(facts.doc_date, tuple(json.loads(facts.years or "[]")), facts.own_number_year)
            else:  # a reviewer typed a document the rules never described (no model at the time, or quarantined)
                dates = Dates(None, (), None)
            period = {"years": period_of(kind, dates),
                      "reason": in_period(kind, dates, settings.assessment_year)[1]}
        return page(request, "document.html", doc=doc, sha=sha, paths=paths, rows=rows, facts=facts, period=period,
                    override=decided, reviews=ledger.reviews_of(sha), actions=ACTIONS, error=error)

    @app.get("/dokumen/{sha}/pratinjau.png")
    def preview(sha: str):
        doc = document_or_404(sha)
        png = preview_png(settings.originals_dir, settings.home / "previews", sha, doc.kind)
        if png is None:
            raise HTTPException(404)
        return FileResponse(png, media_type="image/png")

    @app.get("/dokumen/{sha}/asli")
    def original(sha: str):
        document_or_404(sha)
        source = archive_path(settings.originals_dir, sha)
        if not source.exists():
            raise HTTPException(404)
        name = next((e.path.rsplit("/", 1)[-1] for e in ledger.entries(include_absent=True, sha256=sha)), sha)
        return FileResponse(source, filename=name)

    @app.post("/dokumen/{sha}/tinjau")
    def review(request: Request, sha: str, csrf: str = Form(""), reviewer: str = Form(""),
               action: str = Form(...), decide: str | None = Form(None), criterion: str | None = Form(None),
               criteria_: list[str] = Form([], alias="criteria"), evidence_type: str | None = Form(None),
               date: str | None = Form(None), years: str | None = Form(None), note: str | None = Form(None)):
        if not csrf_ok(request, csrf):
            raise HTTPException(403, "Token formulir tidak sah / invalid form token (CSRF)")
        document_or_404(sha)
        if action == "decide":  # the confirm/reject buttons of the criteria table: "reject:kesehatan"
            action, _, criterion = (decide or "").partition(":")
        try:
            year_list = [int(y) for y in re.findall(r"\d{4}", years or "")]
            record_review(ledger, sha, action, reviewer, criterion=criterion, criteria=criteria_,
                          evidence_type=evidence_type, date=date or None, years=year_list, note=note)
        except ReviewError as exc:
            return page(request, "error.html", message=str(exc), sha=sha)
        response = RedirectResponse(f"/dokumen/{sha}", status_code=303)
        response.set_cookie("bukti_reviewer", reviewer.strip()[:128], samesite="strict")
        return response

    return app
