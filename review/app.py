"""The review page. Server-rendered: a dashboard with the matrix, a page per criterion, a page per document with
its text, preview, criteria, type and dates, and the reviewer's actions. Under the region/opd layout the first
page is the province (regions x criteria, at risk first) and each region's pages live under /wilayah/<region>/:
a reviewer acts within the region the page shows, and the decision is recorded for that region only.

Files are found only by their ledger id (sha256); no path from a request reaches the file system.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from pipeline.classify.persist import load_model
from pipeline.config import Settings
from pipeline.criteria import IDS, load_criteria
from pipeline.describe.dates import Dates
from pipeline.describe.evidence import TYPES, in_period, period_of
from pipeline.i18n import CRITERION_STATUSES, headline, labels
from pipeline.reports.html import matrix_svg
from pipeline.ledger.ledger import Ledger
from pipeline.process import judge_documents, judge_province
from pipeline.intake.record import archive_path
from pipeline.gaps.province import region_label, region_risk
from pipeline.gaps.records import GapList
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

    regional = settings.inbox_layout == "region/opd"

    def gaps(region: str | None) -> GapList:
        # The same judging stages as the nightly run: a document no pass has classified yet is judged here too.
        return judge_documents(ledger, model, settings.assessment_year, region=region)[1]

    def region_or_404(region: str) -> str:
        if not regional or region not in ledger.regions():
            raise HTTPException(404)
        return region

    def base(region: str | None) -> str:
        # Pages of a province act within the region they show: every link and form carries it.
        return "" if region is None else f"/wilayah/{quote(region, safe='')}"

    def page(request: Request, name: str, region: str | None = None, **context) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, name, {"L": L, "types": TYPES, "year": settings.assessment_year,
                                                         "csrf": request.state.csrf, "region": region,
                                                         "base": base(region), **context})

    def document_or_404(sha: str):
        if not SHA.fullmatch(sha):
            raise HTTPException(404)
        row = ledger.document(sha)
        if row is None:
            raise HTTPException(404)
        return row

    def dashboard(request: Request, region: str | None):
        current = gaps(region)  # the same completeness matrix as the HTML report
        return page(request, "dashboard.html", region, gaps=current, headline=headline(current),
                    matrix=matrix_svg(current), statuses=CRITERION_STATUSES)

    def criterion_page(request: Request, criterion: str, region: str | None):
        if criterion not in criteria:
            raise HTTPException(404)
        return page(request, "criterion.html", region, c=gaps(region).criterion(criterion))

    def document_page(request: Request, sha: str, region: str | None, error: str | None = None):
        doc = document_or_404(sha)
        paths = ledger.entries(include_absent=True, sha256=sha, region=region)
        if region is not None and not paths:
            raise HTTPException(404)  # not filed in this region
        scores = ledger.classifications_of(sha)
        decided = overrides(ledger, region).get(sha)
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
        reviews = ledger.reviews_of(sha) if region is None else ledger.reviews_of(sha, region=region)
        return page(request, "document.html", region, doc=doc, sha=sha, paths=paths, rows=rows, facts=facts,
                    period=period, override=decided, reviews=reviews, actions=ACTIONS, error=error)

    def review(request: Request, sha: str, region: str | None, csrf: str, reviewer: str, action: str,
               decide: str | None, criterion: str | None, criteria_: list[str], evidence_type: str | None,
               date: str | None, years: str | None, note: str | None):
        if not csrf_ok(request, csrf):
            raise HTTPException(403, "Token formulir tidak sah / invalid form token (CSRF)")
        document_or_404(sha)
        if region is not None and not ledger.entries(include_absent=True, sha256=sha, region=region):
            raise HTTPException(404)
        if action == "decide":  # the confirm/reject buttons of the criteria table: "reject:kesehatan"
            action, _, criterion = (decide or "").partition(":")
        try:
            year_list = [int(y) for y in re.findall(r"\d{4}", years or "")]
            record_review(ledger, sha, action, reviewer, criterion=criterion, criteria=criteria_,
                          evidence_type=evidence_type, date=date or None, years=year_list, note=note,
                          region=region or "")
        except ReviewError as exc:
            return page(request, "error.html", region, message=str(exc), sha=sha)
        response = RedirectResponse(f"{base(region)}/dokumen/{sha}", status_code=303)
        response.set_cookie("bukti_reviewer", reviewer.strip()[:128], samesite="strict")
        return response

    # -- routes: one region (the default layout), or a province page and each region under /wilayah/<region>

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        if not regional:
            return dashboard(request, None)
        province = judge_province(ledger, model, settings.assessment_year)[1]
        rows = [{"region": g.region, "label": region_label(g.region), "risk": region_risk(g), "gaps": g,
                 "href": base(g.region) + "/"} for g in province.regions]
        return page(request, "province.html", province=province, rows=rows, statuses=CRITERION_STATUSES)

    @app.get("/kriteria/{criterion}", response_class=HTMLResponse)
    def single_criterion(request: Request, criterion: str):
        if regional:
            raise HTTPException(404)
        return criterion_page(request, criterion, None)

    @app.get("/dokumen/{sha}", response_class=HTMLResponse)
    def single_document(request: Request, sha: str, error: str | None = None):
        if regional:
            raise HTTPException(404)
        return document_page(request, sha, None, error)

    @app.get("/wilayah/{region}/", response_class=HTMLResponse)
    def region_dashboard(request: Request, region: str):
        return dashboard(request, region_or_404(region))

    @app.get("/wilayah/{region}/kriteria/{criterion}", response_class=HTMLResponse)
    def region_criterion(request: Request, region: str, criterion: str):
        return criterion_page(request, criterion, region_or_404(region))

    @app.get("/wilayah/{region}/dokumen/{sha}", response_class=HTMLResponse)
    def region_document(request: Request, region: str, sha: str, error: str | None = None):
        return document_page(request, sha, region_or_404(region), error)

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
    def single_review(request: Request, sha: str, csrf: str = Form(""), reviewer: str = Form(""),
                      action: str = Form(...), decide: str | None = Form(None), criterion: str | None = Form(None),
                      criteria_: list[str] = Form([], alias="criteria"), evidence_type: str | None = Form(None),
                      date: str | None = Form(None), years: str | None = Form(None), note: str | None = Form(None)):
        if regional:
            raise HTTPException(404)
        return review(request, sha, None, csrf, reviewer, action, decide, criterion, criteria_, evidence_type,
                      date, years, note)

    @app.post("/wilayah/{region}/dokumen/{sha}/tinjau")
    def region_review(request: Request, region: str, sha: str, csrf: str = Form(""), reviewer: str = Form(""),
                      action: str = Form(...), decide: str | None = Form(None), criterion: str | None = Form(None),
                      criteria_: list[str] = Form([], alias="criteria"), evidence_type: str | None = Form(None),
                      date: str | None = Form(None), years: str | None = Form(None), note: str | None = Form(None)):
        return review(request, sha, region_or_404(region), csrf, reviewer, action, decide, criterion, criteria_,
                      evidence_type, date, years, note)

    return app
