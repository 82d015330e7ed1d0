"""The review page. Server-rendered, one language per page (Indonesian; `?lang=en` switches and a cookie keeps
it): the completeness matrix, a page per criterion, the document list with the "perlu ditinjau" queue first, a
page per document with its text, preview, criteria, types and dates and the reviewer's form, the requests to
each OPD. Under the region/opd layout the first page is the province (regions x criteria, at risk first) and
each region's pages live under /wilayah/<region>/: a reviewer acts within the region the page shows, and the
decision is recorded for that region only.

Files are found only by their ledger id (sha256); no path from a request reaches the file system.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from pipeline.classify.persist import load_model
from pipeline.config import Settings
from pipeline.criteria import load_criteria
from pipeline.describe.evidence import TYPES
from pipeline.gaps.province import region_label
from pipeline.gaps.records import GapList
from pipeline.gaps.review import ReviewError, overrides, record_review
from pipeline.i18n import CRITERION_STATUSES, headline, labels, status_css
from pipeline.intake.record import archive_path
from pipeline.ledger.ledger import Ledger
from pipeline.opd import opd_table_for
from pipeline.portal.deadlines import calendar, next_deadline, opd_deadline
from pipeline.portal.view import progress as opd_progress
from pipeline.process import judge_documents, judge_province
from pipeline.words import confidence_words, local_time, long_date, next_reading, say, why_words

from . import lang as page_lang
from .endorsement_page import add_endorsement_routes
from .document_page import criterion_rows, current_values, form_changes, periods
from .opd_portal import MAX_FILES, add_upload_routes
from .listing import Filters, apply_filters, document_rows, weak_band_queue
from .previews import preview_png
from .province_page import province_rows
from .safety import GuardMiddleware, allowed_hosts, csrf_ok

SHA = re.compile(r"[0-9a-f]{64}")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
# Where a confirmation made from a list goes back to (never a URL from the request: no open redirect).
RETURN_TO = {"daftar": "/dokumen", "kriteria": "/kriteria"}
FORM_FIELDS = ("csrf", "reviewer", "action", "criterion", "criteria", "types", "date", "years", "note", "confirm",
               "back")


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="bukti", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(GuardMiddleware, password=settings.ui_password,
                       hosts=allowed_hosts(settings.ui_host, settings.ui_allowed_hosts),
                       upload_rate=settings.upload_rate_per_minute,
                       upload_max_request=settings.upload_max_bytes * MAX_FILES)
    ledger = Ledger(settings.database_url)
    model = load_model(settings.model_dir, settings.trust_file)
    criteria = {c.id: c for c in load_criteria()}
    regional = settings.inbox_layout == "region/opd"
    zone = settings.schedule_timezone

    def gaps(region: str | None) -> GapList:
        # The same judging stages as the nightly run: a document no pass has classified yet is judged here too.
        return judge_documents(ledger, model, settings.assessment_year, region=region,
                               opds=opd_table_for(settings, region))[1]

    def region_or_404(region: str) -> str:
        if not regional or region not in ledger.regions():
            raise HTTPException(404)
        return region

    def base(region: str | None) -> str:
        # Pages of a province act within the region they show: every link and form carries it.
        return "" if region is None else f"/wilayah/{quote(region, safe='')}"

    def page(request: Request, name: str, region: str | None = None, **context) -> HTMLResponse:
        lang, switched = page_lang.chosen(request)
        L = labels(lang)
        response = TEMPLATES.TemplateResponse(request, name, {
            "L": L, "lang": lang, "types": TYPES, "year": settings.assessment_year, "csrf": request.state.csrf,
            "region": region, "region_name": region_label(region) if region is not None else "",
            "base": base(region), "css": status_css(), "say": lambda text: say(text, lang),
            "when": lambda value: local_time(value, lang, zone), "day": lambda value: long_date(value, lang),
            "cname": lambda cid: criteria[cid].name if lang == "id" else criteria[cid].name_en,
            "status_word": lambda s: L["statuses"].get(s, s), **context})
        if switched:
            response.set_cookie(page_lang.COOKIE, lang, samesite="strict")
        return response

    def document_or_404(sha: str):
        if not SHA.fullmatch(sha):
            raise HTTPException(404)
        row = ledger.document(sha)
        if row is None:
            raise HTTPException(404)
        return row

    def in_region_or_404(sha: str, region: str | None):
        paths = ledger.entries(include_absent=True, sha256=sha, region=region)
        if region is not None and not paths:
            raise HTTPException(404)  # not filed in this region
        return paths

    def dashboard(request: Request, region: str | None):
        current = gaps(region)
        queue = weak_band_queue(current, model.thresholds)
        today = dt.date.today()
        return page(request, "dashboard.html", region, gaps=current, statuses=CRITERION_STATUSES,
                    headline=headline(current, page_lang.chosen(request)[0]), queued=len(queue),
                    stages=calendar(settings), today=today, next_due=next_deadline(calendar(settings), today),
                    progress=opd_progress(current, ledger.uploads_of(None, region or "")))

    def criterion_page(request: Request, criterion: str, region: str | None):
        if criterion not in criteria:
            raise HTTPException(404)
        lang = page_lang.chosen(request)[0]
        current = gaps(region)
        c = criteria[criterion]
        words = {e.sha256: confidence_words(e.confidence, model.thresholds[criterion], c.review_band, lang,
                                            None if e.reviewed is None else e.reviewed == "confirmed")
                 for e in current.criterion(criterion).evidence}
        return page(request, "criterion.html", region, gaps=current, c=current.criterion(criterion), words=words,
                    why=lambda e: why_words(e.why, lang))

    def documents_page(request: Request, region: str | None):
        lang = page_lang.chosen(request)[0]
        current = gaps(region)
        filters = Filters.of(request.query_params)
        rows = document_rows(ledger, current, model.thresholds, region)
        found = ledger.search_texts(filters.q) if filters.q else None
        shown = apply_filters(rows, filters, found)
        queue = weak_band_queue(current, model.thresholds) if not filters.active() else []
        return page(request, "documents.html", region, gaps=current, rows=shown, total=len(rows), filters=filters,
                    queue=queue, opds=sorted({r.entry.opd for r in rows}),
                    statuses=sorted({r.entry.status for r in rows}),
                    why=lambda e: why_words(e.why, lang), next_pass=next_reading(settings.schedule_cron, zone, lang),
                    words=lambda q: confidence_words(q.entry.confidence, q.threshold,
                                                     criteria[q.criterion].review_band, lang))

    def document_page(request: Request, sha: str, region: str | None, error: str | None = None):
        lang = page_lang.chosen(request)[0]
        doc = document_or_404(sha)
        paths = in_region_or_404(sha, region)
        scores = ledger.classifications_of(sha)
        decided = overrides(ledger, region).get(sha)
        facts = ledger.facts_of(sha)
        current = current_values(scores, model.thresholds, facts, decided)
        reviews = ledger.reviews_of(sha) if region is None else ledger.reviews_of(sha, region=region)
        return page(request, "document.html", region, doc=doc, sha=sha, paths=paths, current=current,
                    rows=criterion_rows(criteria, scores, model.thresholds, decided, lang),
                    periods=periods(current, settings.assessment_year, lang), reviews=reviews, error=error,
                    opd_label=opd_table_for(settings, region).folder_label,
                    next_pass=next_reading(settings.schedule_cron, zone, lang))

    def reject_page(request: Request, sha: str, region: str | None, criterion: str):
        doc = document_or_404(sha)
        paths = in_region_or_404(sha, region)
        if criterion not in criteria:
            raise HTTPException(404)
        return page(request, "reject.html", region, doc=doc, sha=sha, paths=paths, criterion=criterion)

    def requests_page(request: Request, region: str | None):
        # Which OPDs have an upload link (never the link itself: only its hash is stored).
        linked = {link.opd: link for link in ledger.links(region or "") if link.active}
        return page(request, "requests.html", region, gaps=gaps(region), linked=linked,
                    due=opd_deadline(calendar(settings), dt.date.today()))

    def review(request: Request, sha: str, region: str | None, form: dict):
        if not csrf_ok(request, form["csrf"]):
            raise HTTPException(403, "Token formulir tidak sah / invalid form token (CSRF)")
        document_or_404(sha)
        in_region_or_404(sha, region)
        lang = page_lang.chosen(request)[0]
        reviewer, action = form["reviewer"], form["action"]
        try:
            if action == "save":  # the review form: record only what differs from the current values
                current = current_values(ledger.classifications_of(sha), model.thresholds, ledger.facts_of(sha),
                                         overrides(ledger, region).get(sha))
                for change in form_changes(current, form["criteria"], form["types"], form["date"] or "",
                                           form["years"] or "", form["note"] or ""):
                    record_review(ledger, sha, change.action, reviewer, region=region or "", **change.values)
            elif action in ("confirm", "reject"):
                if action == "reject" and form["confirm"] != "ya":
                    raise ReviewError("penolakan belum dikonfirmasi / the rejection was not confirmed")
                record_review(ledger, sha, action, reviewer, criterion=form["criterion"], note=form["note"],
                              region=region or "")
            else:
                raise ReviewError(f"tindakan tidak dikenal / unknown action {action!r}")
        except ReviewError as exc:
            return page(request, "error.html", region, message=say(str(exc), lang), sha=sha)
        target = RETURN_TO.get(form["back"] or "")
        if target == "/kriteria" and form["criterion"] in criteria:
            target += f"/{form['criterion']}"
        response = RedirectResponse(f"{base(region)}{target or '/dokumen/' + sha}", status_code=303)
        response.set_cookie("bukti_reviewer", reviewer.strip()[:128], samesite="strict")
        return response

    def form_fields(*values) -> dict:
        return dict(zip(FORM_FIELDS, values))

    add_upload_routes(app, settings, ledger, gaps, page)

    # -- routes: one region (the default layout), or a province page and each region under /wilayah/<region>

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        if not regional:
            return dashboard(request, None)
        lang = page_lang.chosen(request)[0]
        province = judge_province(ledger, model, settings.assessment_year,
                                  opds_of=lambda r: opd_table_for(settings, r))[1]
        uploads = ledger.last_uploads()
        rows = province_rows(province, {r: local_time(t, lang, zone) for r, t in uploads.items()}, base)
        return page(request, "province.html", province=province, rows=rows, statuses=CRITERION_STATUSES)

    def single(view):
        def route(request: Request, **kwargs):
            if regional:
                raise HTTPException(404)
            return view(request, region=None, **kwargs)
        return route

    def regional_view(view):
        def route(request: Request, region: str, **kwargs):
            return view(request, region=region_or_404(region), **kwargs)
        return route

    @app.get("/kriteria/{criterion}", response_class=HTMLResponse)
    def single_criterion(request: Request, criterion: str):
        return single(criterion_page)(request, criterion=criterion)

    @app.get("/dokumen", response_class=HTMLResponse)
    def single_documents(request: Request):
        return single(documents_page)(request)

    @app.get("/permintaan", response_class=HTMLResponse)
    def single_requests(request: Request):
        return single(requests_page)(request)

    @app.get("/dokumen/{sha}", response_class=HTMLResponse)
    def single_document(request: Request, sha: str):
        return single(document_page)(request, sha=sha)

    @app.get("/dokumen/{sha}/tolak", response_class=HTMLResponse)
    def single_reject(request: Request, sha: str, kriteria: str = ""):
        return single(reject_page)(request, sha=sha, criterion=kriteria)

    @app.get("/wilayah/{region}/", response_class=HTMLResponse)
    def region_dashboard(request: Request, region: str):
        return regional_view(dashboard)(request, region)

    @app.get("/wilayah/{region}/kriteria/{criterion}", response_class=HTMLResponse)
    def region_criterion(request: Request, region: str, criterion: str):
        return regional_view(criterion_page)(request, region, criterion=criterion)

    @app.get("/wilayah/{region}/dokumen", response_class=HTMLResponse)
    def region_documents(request: Request, region: str):
        return regional_view(documents_page)(request, region)

    @app.get("/wilayah/{region}/permintaan", response_class=HTMLResponse)
    def region_requests(request: Request, region: str):
        return regional_view(requests_page)(request, region)

    @app.get("/wilayah/{region}/dokumen/{sha}", response_class=HTMLResponse)
    def region_document(request: Request, region: str, sha: str):
        return regional_view(document_page)(request, region, sha=sha)

    @app.get("/wilayah/{region}/dokumen/{sha}/tolak", response_class=HTMLResponse)
    def region_reject(request: Request, region: str, sha: str, kriteria: str = ""):
        return regional_view(reject_page)(request, region, sha=sha, criterion=kriteria)

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
                      action: str = Form(...), criterion: str | None = Form(None),
                      criteria_: list[str] = Form([], alias="criteria"), types: list[str] = Form([]),
                      date: str | None = Form(None), years: str | None = Form(None), note: str | None = Form(None),
                      confirm: str | None = Form(None), back: str | None = Form(None)):
        if regional:
            raise HTTPException(404)
        return review(request, sha, None, form_fields(csrf, reviewer, action, criterion, criteria_, types, date,
                                                      years, note, confirm, back))

    @app.post("/wilayah/{region}/dokumen/{sha}/tinjau")
    def region_review(request: Request, region: str, sha: str, csrf: str = Form(""), reviewer: str = Form(""),
                      action: str = Form(...), criterion: str | None = Form(None),
                      criteria_: list[str] = Form([], alias="criteria"), types: list[str] = Form([]),
                      date: str | None = Form(None), years: str | None = Form(None), note: str | None = Form(None),
                      confirm: str | None = Form(None), back: str | None = Form(None)):
        return review(request, sha, region_or_404(region), form_fields(
            csrf, reviewer, action, criterion, criteria_, types, date, years, note, confirm, back))

    add_endorsement_routes(app, ledger, page, document_or_404, in_region_or_404, region_or_404, base, regional)
    return app
