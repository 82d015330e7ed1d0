"""One pass over the inbox, stage by stage: scan → record → plan → OCR → store → classify → describe → gaps →
reports.

The sequence lives here once. The Prefect flow (flows/nightly.py) passes a `run_stage` that wraps each stage
in a task (logging, retries, timing); without Prefect each stage is simply called.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.classify.judgement_version import judgement_version
from pipeline.classify.model import CriteriaModel
from pipeline.classify.persist import ModelError, load_model
from pipeline.classify.stage import classify_documents
from pipeline.config import Settings
from pipeline.describe.stage import RULES_VERSION, describe_documents
from pipeline.followup import FollowUp, follow_up
from pipeline.gaps.build import build_gaps
from pipeline.gaps.province import Province, build_province
from pipeline.gaps.records import GapList
from pipeline.ledger.claims import new_run_id
from pipeline.ledger.ledger import Ledger
from pipeline.extract.plan import OcrOptions, plan_documents
from pipeline.intake.record import check_disappearance, record_files
from pipeline.ledger.runlock import pass_lock
from pipeline.opd import OpdTable, opd_table_for
from pipeline.reports.province import write_province_reports
from pipeline.reports.write import write_reports
from pipeline.intake.scan import scan_inbox
from pipeline.extract.store import store_documents
from pipeline.extract.workers import PageExecutor, Progress, ocr_pages

log = logging.getLogger(__name__)

StageRunner = Callable[..., Any]


def call_stage(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


@dataclass
class PassSummary:
    files: int = 0  # files present in the inbox
    new_documents: int = 0  # contents read for the first time in this pass
    ocr_pages: int = 0
    text_layer_pages: int = 0
    failed_pages: int = 0
    worker_peak_mb: float = 0.0  # the largest peak memory of an OCR worker process in this pass
    classified: int = 0  # documents (re)classified in this pass
    model_version: str | None = None
    classifier_error: str | None = None  # why classification was skipped, if it was
    gaps: GapList | None = None  # a single-region inbox's gap list
    province: Province | None = None  # under the region/opd layout: every region's gap list
    reports: list[str] = field(default_factory=list)
    # Request letters written and e-mails sent or failed after the gap list (pipeline/followup.py).
    letters: list[str] = field(default_factory=list)
    mail_sent: list[str] = field(default_factory=list)
    mail_failed: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)  # over all present files
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)  # plain data for the flow's result; the gap lists in their JSON shape
        data["gaps"] = self.gaps.as_json() if self.gaps else None
        data["province"] = self.province.as_json() if self.province else None
        return data


def ocr_options(settings: Settings) -> OcrOptions:
    return OcrOptions(languages=settings.ocr_languages, timeout=settings.ocr_timeout,
                      default_dpi=float(settings.ocr_dpi), max_render_pixels=settings.max_render_pixels,
                      max_image_pixels=settings.max_image_pixels, max_file_bytes=settings.max_file_bytes)


def extract_inbox(ledger: Ledger, settings: Settings, run_stage: StageRunner = call_stage,
                  progress: Progress | None = None, page_executor: PageExecutor | None = None
                  ) -> tuple[list, list, list, list, dict]:
    """The reading half of a pass (scan → record → plan → OCR → store): every new file's text in the ledger.
    Also used by `bukti eval --real`, which reads a labelled folder exactly as the nightly run would."""
    found = run_stage("scan-inbox", scan_inbox, settings.inbox, settings.stable_seconds, ledger.known_files(),
                      layout=settings.inbox_layout)
    # An emptied inbox (an unmounted share) must not turn covered criteria into missing ones: stop here, before
    # the ledger, the gap list or the reports change (InboxVanished; `bukti run` exits 4).
    check_disappearance(ledger.present_paths(), found, settings.max_gone_fraction, settings.inbox)
    new = run_stage("record-files", record_files, ledger, settings.inbox, found, settings.originals_dir)
    # Claim what this run reads: another run on another machine against the same PostgreSQL ledger (another
    # region's pass, another driver) skips it and never reads it twice. Stored or rejected documents release
    # their claim; a crashed run's claims expire.
    run_id = new_run_id()
    mine = ledger.claim_documents(run_id, [d.sha256 for d in new])
    new = [d for d in new if d.sha256 in mine]
    try:
        plans = run_stage("plan-documents", plan_documents, ledger, new, ocr_options(settings))
        jobs = [job for plan in plans for job in plan.jobs]
        # page_executor: where pages are read (None: supervised local processes; the flow passes a Dask one)
        results = run_stage("ocr-pages", ocr_pages, jobs, settings.ocr_workers, progress, executor=page_executor)
        run_stage("store-documents", store_documents, ledger, plans, results)
    finally:
        ledger.release_claims(run_id)
    return found, new, plans, jobs, results


def judge_documents(ledger: Ledger, model: CriteriaModel, assessment_year: int,
                    run_stage: StageRunner = call_stage, region: str | None = None,
                    opds: OpdTable | None = None) -> tuple[int, GapList]:
    """The judging half of a pass (classify → describe → gaps), from the text in the ledger (no OCR): what the
    nightly run, `bukti gaps`/`report` and the review page all show. Documents a new model or new rules have not
    seen are classified and described first; the rest cost one query each stage. Returns (classified, gaps);
    `region` limits the gap list to one region of a province inbox; `opds` is that region's OPD table
    (`opd_table_for(settings, region)`; None: the shipped one)."""
    classified = _classify_and_describe(ledger, model, run_stage)
    gaps = run_stage("build-gaps", build_gaps, ledger, model.thresholds, assessment_year, region=region,
                     opds=opds)
    return classified, gaps


def judge_province(ledger: Ledger, model: CriteriaModel, assessment_year: int,
                   run_stage: StageRunner = call_stage, opds_of: Callable[[str], OpdTable] | None = None
                   ) -> tuple[int, Province]:
    """judge_documents for a province inbox (region/opd): one gap list per region, regions at risk first;
    `opds_of(region)` gives each region's OPD table."""
    classified = _classify_and_describe(ledger, model, run_stage)
    province = run_stage("build-gaps", build_province, ledger, model.thresholds, assessment_year, opds_of=opds_of)
    return classified, province


def _classify_and_describe(ledger: Ledger, model: CriteriaModel, run_stage: StageRunner) -> int:
    # Per document, not per region: a content filed in two regions is judged once and counted in each.
    classified = run_stage("classify-documents", classify_documents, ledger, model)
    run_stage("describe-documents", describe_documents, ledger)
    return classified


def anything_new(settings: Settings) -> bool:
    """Would a pass now have anything to read or to judge? False only when the inbox holds exactly what the
    ledger recorded, every document is read, and every one is classified by the current model and decision rules
    and described by the current rules. Cheap (a scan by file metadata, a few queries): `bukti run` uses it to
    skip starting a temporary Prefect server (10-20 s) on a night with nothing new; the pass itself runs either
    way, so a wrong answer costs only the flow run's record, never work. Errors answer True (the pass will say
    what is wrong)."""
    try:
        ledger = Ledger(settings.database_url)
        try:
            known = ledger.known_files()
            found = scan_inbox(settings.inbox, settings.stable_seconds, known, layout=settings.inbox_layout)
            if {f.path for f in found} != ledger.present_paths():
                return True
            for f in found:
                before = known.get(f.path)
                if f.error or f.sha256 is None or before is None or before.sha256 != f.sha256:
                    return True
            if "pending" in ledger.document_statuses().values():
                return True
            model = load_model(settings.model_dir, settings.trust_file, deferred=True)
            return bool(ledger.texts_to_classify(judgement_version(model))
                        or ledger.documents_without_facts(RULES_VERSION))
        finally:
            ledger.close()
    except Exception as exc:  # noqa: BLE001 - any doubt means "run the full flow"
        log.info("anything_new: %s: %s", type(exc).__name__, exc)
        return True


def process_inbox(settings: Settings, run_stage: StageRunner = call_stage,
                  progress: Progress | None = None, page_executor: PageExecutor | None = None) -> PassSummary:
    started = time.monotonic()
    with pass_lock(settings.database_url, settings.home):
        return _process_locked(settings, run_stage, progress, started, page_executor)


def _process_locked(settings: Settings, run_stage: StageRunner, progress: Progress | None,
                    started: float, page_executor: PageExecutor | None = None) -> PassSummary:
    ledger = Ledger(settings.database_url)
    try:
        found, new, plans, jobs, results = extract_inbox(ledger, settings, run_stage, progress, page_executor)
        classified, model_version, classifier_error, gaps, province, reports = 0, None, None, None, None, []
        followed = FollowUp()
        try:
            # Deferred: the version and thresholds now, scikit-learn and the model's weights only if something is
            # left to classify (a night with nothing new needs neither: 2-5 s saved).
            model = load_model(settings.model_dir, settings.trust_file, deferred=True)
            model_version = judgement_version(model)
            if settings.inbox_layout == "region/opd":
                classified, province = judge_province(ledger, model, settings.assessment_year, run_stage,
                                                      opds_of=lambda r: opd_table_for(settings, r))
                reports = run_stage("write-reports", write_province_reports, ledger, province,
                                    settings.reports_dir, settings.link_base)
            else:
                classified, gaps = judge_documents(ledger, model, settings.assessment_year, run_stage,
                                                   opds=opd_table_for(settings))
                reports = run_stage("write-reports", write_reports, ledger, gaps, settings.reports_dir,
                                    settings.link_base)
            followed = run_stage("follow-up", follow_up, settings, ledger,
                                 [gaps] if gaps else list(province.regions if province else ()))
        except ModelError as exc:  # at load, or at first use of a deferred model: extraction still counts, and
            classifier_error = str(exc)  # the coordinator is told why there is no gap list
            log.error("classification skipped: %s", exc)
        statuses = ledger.status_counts()
    finally:
        ledger.close()
    summary = PassSummary(
        files=len(found), new_documents=len(new), ocr_pages=len(jobs),
        text_layer_pages=sum(len(p.done) for p in plans),
        failed_pages=sum(1 for r in results.values() if r.error), classified=classified,
        worker_peak_mb=round(max((r.worker_peak_mb or 0.0 for r in results.values()), default=0.0), 1),
        model_version=model_version, classifier_error=classifier_error, gaps=gaps, province=province,
        reports=[str(p) for p in reports], letters=followed.letters, mail_sent=followed.mail_sent,
        mail_failed=followed.mail_failed,
        statuses=dict(sorted(statuses.items())), seconds=round(time.monotonic() - started, 1))
    log.info("pass done: %d files, %d new, %d OCR pages, %d classified", summary.files, summary.new_documents,
             summary.ocr_pages, summary.classified)
    return summary
