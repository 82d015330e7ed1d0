"""One pass over the inbox: the list of stages, `STAGES`, and the few functions that run parts of it.

Read this file to follow one document: each stage below names the function that does its work (one module per
stage), what it reads and writes in the ledger, when it has work, and its retries. The Prefect flow
(flows/nightly.py) passes a `run_stage` that wraps each stage in a task with the retries given here; without
Prefect each stage is simply called (pipeline/stage.py). `anything_new` asks each stage's `pending`.

Parts: "read" (inbox to text in the ledger; also what `bukti eval --real` runs), "look" (the archived pages
themselves: endorsement marks), "judge" (text to criteria, types, dates, the gap list; what `bukti gaps` and the
review page run), "publish" (the reports).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from pipeline.classify.persist import ModelError, load_model
from pipeline.classify.stage import classify_documents
from pipeline.config import Settings
from pipeline.describe.stage import RULES_VERSION, describe_documents
from pipeline.followup import FollowUp, follow_up
from pipeline.endorse.stage import endorse_documents, has_work
from pipeline.endorse.store import EndorsementStore
from pipeline.extract.plan import OcrOptions, plan_documents
from pipeline.extract.store import store_documents
from pipeline.extract.workers import PageExecutor, Progress, ocr_pages
from pipeline.gaps.build import build_gaps
from pipeline.gaps.province import Province, build_province
from pipeline.gaps.records import GapList
from pipeline.intake.record import check_disappearance, record_files
from pipeline.intake.scan import scan_inbox
from pipeline.ledger.claims import new_run_id
from pipeline.ledger.ledger import Ledger
from pipeline.ledger.runlock import pass_lock
from pipeline.opd import OpdTable, opd_table_for
from pipeline.records import Extraction, PassContext, PassSummary
from pipeline.reports.province import write_province_reports
from pipeline.reports.write import write_reports
from pipeline.stage import Probe, Stage, StageRunner, call_stage, never, run_stages
from pipeline.status import Status

log = logging.getLogger(__name__)

__all__ = ["STAGES", "PassSummary", "Extraction", "StageRunner", "call_stage", "process_inbox", "extract_inbox",
           "judge_documents", "judge_province", "anything_new"]


def ocr_options(settings: Settings) -> OcrOptions:
    return OcrOptions(languages=settings.ocr_languages, timeout=settings.ocr_timeout,
                      default_dpi=float(settings.ocr_dpi), max_render_pixels=settings.max_render_pixels,
                      max_image_pixels=settings.max_image_pixels, max_file_bytes=settings.max_file_bytes)


# -- each stage's work on the pass's context (the functions they call are the stage's module) -------------------

def _scan(ctx: PassContext) -> int:
    s = ctx.settings
    ctx.found = scan_inbox(s.inbox, s.stable_seconds, ctx.ledger.known_files(), layout=s.inbox_layout)
    return len(ctx.found)


def _check(ctx: PassContext) -> None:
    # An emptied inbox (an unmounted share) must not turn covered criteria into missing ones: stop here, before
    # the ledger, the gap list or the reports change (InboxVanished; `bukti run` exits 4). Its own stage, with no
    # retries: a vanished inbox is a decision to report, not a failure to try again.
    check_disappearance(ctx.ledger.present_paths(), ctx.found, ctx.settings.max_gone_fraction, ctx.settings.inbox)


def _record(ctx: PassContext) -> int:
    new = record_files(ctx.ledger, ctx.settings.inbox, ctx.found, ctx.settings.originals_dir)
    # Claim what this run reads: another run on another machine against the same PostgreSQL ledger (another
    # region's pass, another driver) skips it and never reads it twice. Stored or rejected documents release
    # their claim (extract_inbox's finally); a crashed run's claims expire.
    ctx.run_id = ctx.run_id or new_run_id()
    mine = ctx.ledger.claim_documents(ctx.run_id, [d.sha256 for d in new])
    ctx.new = [d for d in new if d.sha256 in mine]
    return len(ctx.new)


def _plan(ctx: PassContext) -> int:
    ctx.plans = plan_documents(ctx.ledger, ctx.new, ocr_options(ctx.settings))
    ctx.jobs = [job for plan in ctx.plans for job in plan.jobs]
    return len(ctx.jobs)


def _ocr(ctx: PassContext) -> int:
    # page_executor: where pages are read (None: supervised local processes; the flow passes a Dask one)
    ctx.results = ocr_pages(ctx.jobs, ctx.settings.ocr_workers, ctx.progress, executor=ctx.page_executor)
    return len(ctx.results)


def _store(ctx: PassContext) -> int:
    store_documents(ctx.ledger, ctx.plans, ctx.results)
    return len(ctx.plans)


def _classify(ctx: PassContext) -> int:
    # Per document, not per region: a content filed in two regions is judged once and counted in each.
    return classify_documents(ctx.ledger, ctx.model)


def _describe(ctx: PassContext) -> int:
    return describe_documents(ctx.ledger)


def _endorse(ctx: PassContext) -> int:
    return endorse_documents(EndorsementStore(ctx.ledger), ctx.settings.originals_dir,
                             max_pixels=ctx.settings.max_render_pixels)


def _gaps(ctx: PassContext) -> None:
    if ctx.opds_of is not None:  # a province inbox (region/opd): one gap list per region, regions at risk first
        ctx.province = build_province(ctx.ledger, ctx.model.thresholds, ctx.assessment_year, opds_of=ctx.opds_of)
    else:
        ctx.gaps = build_gaps(ctx.ledger, ctx.model.thresholds, ctx.assessment_year, region=ctx.region,
                              opds=ctx.opds)


def _follow_up(ctx: PassContext) -> int:
    # Letters and e-mails to the OPDs from the gap lists just built (pipeline/followup.py): a letter that cannot
    # be written or a mail server that fails is recorded in the summary, never fails the pass.
    gap_lists = [ctx.gaps] if ctx.gaps else list(ctx.province.regions if ctx.province else ())
    ctx.followed = follow_up(ctx.settings, ctx.ledger, gap_lists)
    return len(ctx.followed.letters) + len(ctx.followed.mail_sent)


def _reports(ctx: PassContext) -> int:
    s = ctx.settings
    if ctx.province is not None:
        paths = write_province_reports(ctx.ledger, ctx.province, s.reports_dir, s.link_base)
    else:
        paths = write_reports(ctx.ledger, ctx.gaps, s.reports_dir, s.link_base)
    ctx.reports = [str(p) for p in paths]
    return len(paths)


# -- when each stage has work, from the ledger alone ---------------------------------------------------------

def _inbox_changed(probe: Probe) -> bool:
    """Does the inbox hold anything other than what the ledger recorded? (A scan by file metadata.)"""
    s, ledger = probe.settings, probe.ledger
    known = ledger.known_files()
    found = scan_inbox(s.inbox, s.stable_seconds, known, layout=s.inbox_layout)
    if {f.path for f in found} != ledger.present_paths():
        return True
    return any(f.error or f.sha256 is None or known.get(f.path) is None or known[f.path].sha256 != f.sha256
               for f in found)


def _still_pending(probe: Probe) -> bool:
    return Status.PENDING in probe.ledger.document_statuses().values()


def _unclassified(probe: Probe) -> bool:
    return bool(probe.ledger.texts_to_classify(probe.model_version()))


def _undescribed(probe: Probe) -> bool:
    return bool(probe.ledger.documents_without_facts(RULES_VERSION))


# -- the pass ------------------------------------------------------------------------------------------------

# Retries only where a stage reads the ledger or the inbox and writes idempotently; OCR is not retried (a failed
# page is already recorded), nor the inbox check (its answer is a decision).
STAGES: tuple[Stage, ...] = (
    Stage("scan-inbox", _scan, reads=("files",), writes=(), pending=_inbox_changed, retries=2),
    Stage("check-inbox", _check, reads=("files",), writes=(), pending=never),
    Stage("record-files", _record, reads=("files", "documents"), writes=("files", "file_history", "documents"),
          pending=_still_pending, retries=2),
    # plan, OCR and store work on what record-files found new this pass: no work of their own to find
    Stage("plan-documents", _plan, reads=("documents",), writes=("documents",), pending=never),
    Stage("ocr-pages", _ocr, reads=(), writes=(), pending=never, as_task=False),
    Stage("store-documents", _store, reads=(), writes=("documents", "pages"), pending=never, retries=2),
    Stage("classify-documents", _classify, reads=("documents", "classifications"), writes=("classifications",),
          pending=_unclassified, retries=1, part="judge"),
    Stage("describe-documents", _describe, reads=("documents", "document_facts"), writes=("document_facts",),
          pending=_undescribed, part="judge"),
    Stage("endorse-documents", _endorse, reads=("documents", "classifications", "endorsements"),
          writes=("endorsements",), pending=lambda probe: has_work(EndorsementStore(probe.ledger)), retries=1,
          part="look"),
    # derived from the stages above: work exactly when one of them had some
    Stage("build-gaps", _gaps, reads=("files", "documents", "classifications", "document_facts", "reviews",
                                     "endorsements"),
          writes=(), pending=never, retries=2, part="judge"),
    Stage("write-reports", _reports, reads=("files", "documents", "classifications", "document_facts"),
          writes=(), pending=never, part="publish"),
    # letters and e-mails: what they say is derived from the gap list; sent mail is remembered per state
    Stage("follow-up", _follow_up, reads=("reviews", "uploads", "notices"), writes=("notices",),
          pending=never, part="publish"),
)


def stages_of(part: str) -> tuple[Stage, ...]:
    return tuple(s for s in STAGES if s.part == part)


def extract_inbox(ledger: Ledger, settings: Settings, run_stage: StageRunner = call_stage,
                  progress: Progress | None = None, page_executor: PageExecutor | None = None) -> Extraction:
    """The reading half of a pass (scan → record → plan → OCR → store): every new file's text in the ledger.
    Also used by `bukti eval --real`, which reads a labelled folder exactly as the nightly run would."""
    ctx = PassContext(settings, ledger, progress, page_executor)
    _read(ctx, run_stage)
    return Extraction(ctx.found, ctx.new, ctx.plans, ctx.jobs, ctx.results)


def _read(ctx: PassContext, run_stage: StageRunner) -> None:
    try:
        run_stages(stages_of("read"), ctx, run_stage)
    finally:
        if ctx.run_id:
            ctx.ledger.release_claims(ctx.run_id)


def judge_documents(ledger: Ledger, model, assessment_year: int, run_stage: StageRunner = call_stage,
                    region: str | None = None, opds: OpdTable | None = None) -> tuple[int, GapList]:
    """The judging part of a pass (classify → describe → gaps), from the text in the ledger (no OCR): what the
    nightly run, `bukti gaps`/`report` and the review page all show. Documents a new model or new rules have not
    seen are classified and described first; the rest cost one query each stage. Returns (classified, gaps);
    `region` limits the gap list to one region of a province inbox; `opds` is that region's OPD table
    (`opd_table_for(settings, region)`; None: the shipped one)."""
    ctx = PassContext(None, ledger)
    ctx.model, ctx.assessment_year, ctx.region, ctx.opds = model, assessment_year, region, opds
    run_stages(stages_of("judge"), ctx, run_stage)
    return ctx.counts.get("classify-documents", 0), ctx.gaps


def judge_province(ledger: Ledger, model, assessment_year: int, run_stage: StageRunner = call_stage,
                   opds_of: Callable[[str], OpdTable] | None = None) -> tuple[int, Province]:
    """judge_documents for a province inbox (region/opd): one gap list per region, regions at risk first;
    `opds_of(region)` gives each region's OPD table."""
    ctx = PassContext(None, ledger)
    ctx.model, ctx.assessment_year = model, assessment_year
    ctx.opds_of = opds_of or (lambda _region: None)
    run_stages(stages_of("judge"), ctx, run_stage)
    return ctx.counts.get("classify-documents", 0), ctx.province


class _LedgerProbe:
    def __init__(self, settings: Settings, ledger: Ledger) -> None:
        self.settings, self.ledger, self._version = settings, ledger, None

    def model_version(self) -> str:
        if self._version is None:
            from pipeline.classify.judgement_version import judgement_version

            self._version = judgement_version(load_model(self.settings.model_dir, self.settings.trust_file,
                                                         deferred=True))
        return self._version


def anything_new(settings: Settings) -> bool:
    """Would a pass now have anything to do? Asks every stage's `pending`, in the pass's order (the scan first,
    the cheapest decisive question). Cheap (a scan by file metadata, a few queries): `bukti run` uses it to skip
    starting a temporary Prefect server (10-20 s) on a night with nothing new; the pass itself runs either way,
    so a wrong answer costs only the flow run's record, never work. Errors answer True (the pass will say what is
    wrong)."""
    try:
        ledger = Ledger(settings.database_url)
        try:
            probe = _LedgerProbe(settings, ledger)
            return any(stage.pending(probe) for stage in STAGES)
        finally:
            ledger.close()
    except Exception as exc:  # noqa: BLE001 - any doubt means "run the full flow"
        log.info("anything_new: %s: %s", type(exc).__name__, exc)
        return True


def process_inbox(settings: Settings, run_stage: StageRunner = call_stage,
                  progress: Progress | None = None, page_executor: PageExecutor | None = None) -> PassSummary:
    started = time.monotonic()
    with pass_lock(settings.database_url, settings.home):
        ledger = Ledger(settings.database_url)
        try:
            ctx = PassContext(settings, ledger, progress, page_executor)
            summary = _process(ctx, run_stage)
        finally:
            ledger.close()
    summary.seconds = round(time.monotonic() - started, 1)
    log.info("pass done: %d files, %d new, %d OCR pages, %d classified", summary.files, summary.new_documents,
             summary.ocr_pages, summary.classified)
    return summary


def _process(ctx: PassContext, run_stage: StageRunner) -> PassSummary:
    s = ctx.settings
    _read(ctx, run_stage)
    model_version, classifier_error = None, None
    try:
        # Deferred: the version and thresholds now, scikit-learn and the model's weights only if something is
        # left to classify (a night with nothing new needs neither: 2-5 s saved).
        ctx.model = load_model(s.model_dir, s.trust_file, deferred=True)
        model_version = ctx.model_version()
        ctx.assessment_year = s.assessment_year
        if s.inbox_layout == "region/opd":
            ctx.opds_of = lambda r: opd_table_for(s, r)
        else:
            ctx.opds = opd_table_for(s)
        run_stages([st for st in STAGES if st.part != "read"], ctx, run_stage)
    except ModelError as exc:  # at load, or at first use of a deferred model: extraction still counts, and
        classifier_error = str(exc)  # the coordinator is told why there is no gap list
        log.error("classification skipped: %s", exc)
    results = ctx.results.values()
    return PassSummary(
        files=len(ctx.found), new_documents=len(ctx.new), ocr_pages=len(ctx.jobs),
        text_layer_pages=sum(len(p.done) for p in ctx.plans),
        failed_pages=sum(1 for r in results if r.error), classified=ctx.counts.get("classify-documents", 0),
        worker_peak_mb=round(max((r.worker_peak_mb or 0.0 for r in results), default=0.0), 1),
        model_version=model_version, classifier_error=classifier_error, gaps=ctx.gaps, province=ctx.province,
        reports=ctx.reports, letters=ctx.followed.letters if ctx.followed else [],
        mail_sent=ctx.followed.mail_sent if ctx.followed else [],
        mail_failed=ctx.followed.mail_failed if ctx.followed else [],
        statuses=dict(sorted(ctx.ledger.status_counts().items())), counts=dict(ctx.counts))
