"""The nightly Prefect flow: one pass over the inbox, each core stage run as a Prefect task.

Only sequencing, logging, retries and artifacts live here; the work is in pipeline/. Import this module
after flows.prefect_env.configure_prefect() so Prefect uses the project's home.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from prefect import Flow, flow, get_run_logger, task
from prefect.artifacts import (create_markdown_artifact, create_progress_artifact, create_table_artifact,
                               update_progress_artifact)
from prefect.cache_policies import NONE as NO_CACHE
from prefect.context import FlowRunContext

from pipeline.config import Settings, load_settings
from pipeline.gaps.build import gaps_markdown, gaps_table_rows
from pipeline.gaps.province import province_markdown, province_table_rows
from pipeline.i18n import headline
from pipeline.process import STAGES, PassSummary, process_inbox
from pipeline.stage import retries_of

# Extra progress listeners (the CLI's progress bar); each is called with (done, total).
progress_listeners: list[Callable[[int, int], None]] = []


def run_stage_as_task(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    # Arguments include the ledger and live objects: never hash them for caching. The sha256 ledger,
    # not Prefect's cache, decides what was already processed.
    # Retries come from the stage list (pipeline/process.py STAGES), never from a table kept here.
    stage = task(fn, name=name, retries=retries_of(STAGES, name), retry_delay_seconds=10, cache_policy=NO_CACHE)
    return stage(*args, **kwargs)


class ProgressReporter:
    """Publishes OCR progress as a Prefect progress artifact and log lines, at most every few seconds."""

    def __init__(self) -> None:
        self.artifact_id = None
        self.last_report = 0.0

    def __call__(self, done: int, total: int) -> None:
        for listener in progress_listeners:
            listener(done, total)
        now = time.monotonic()
        if done < total and now - self.last_report < 5:
            return
        self.last_report = now
        percent = 100.0 * done / total if total else 100.0
        if self.artifact_id is None:
            self.artifact_id = create_progress_artifact(percent, key="bukti-ocr-progress",
                                                        description="Halaman yang sudah di-OCR / pages OCR'd")
        else:
            update_progress_artifact(self.artifact_id, percent)
        get_run_logger().info("OCR: %d/%d halaman (%.0f%%)", done, total, percent)


def summary_markdown(summary: PassSummary) -> str:
    statuses = "\n".join(f"| {status} | {count} |" for status, count in summary.statuses.items())
    return (
        "# Ringkasan proses malam ini\n\n"
        f"- Berkas di inbox: **{summary.files}**\n- Dokumen baru dibaca: **{summary.new_documents}**\n"
        f"- Halaman dari lapisan teks: {summary.text_layer_pages}; halaman OCR: {summary.ocr_pages}; "
        f"halaman gagal: {summary.failed_pages}\n- Dokumen diklasifikasi: {summary.classified} "
        f"(model {summary.model_version or '-'})\n- Lama proses: {summary.seconds} detik\n\n"
        + (f"**Klasifikasi dilewati / classification skipped:** {summary.classifier_error}\n\n"
           if summary.classifier_error else "")
        + (f"- Surat permintaan ditulis / request letters written: {len(summary.letters) // 2}\n"
           if summary.letters else "")
        + (f"- E-mail terkirim / e-mail sent: {len(summary.mail_sent)}\n" if summary.mail_sent else "")
        + ("\n**E-mail gagal, dicoba lagi pada putaran berikutnya / e-mail failed, retried next pass:**\n"
           + "".join(f"- {failure}\n" for failure in summary.mail_failed) + "\n" if summary.mail_failed else "")
        + f"| status | berkas |\n|---|---|\n{statuses}\n"
    )


def flow_for(settings: Settings) -> Flow:
    """The nightly flow with the task runner the settings ask for: prefect-dask's DaskTaskRunner on the
    existing cluster at `dask_address` (docs/cluster.md), else the default one (pages are then read by the
    supervised local processes of pipeline.extract.workers, which alone bound a stalled page; issue 7)."""
    if not settings.dask_address:
        return nightly
    from prefect_dask import DaskTaskRunner

    return nightly.with_options(task_runner=DaskTaskRunner(address=settings.dask_address))


def page_executor(settings: Settings):
    """Where this flow run reads its pages: mapped `ocr-page` tasks when it runs on a Dask task runner,
    None (local processes) otherwise."""
    if not settings.dask_address:
        return None
    from prefect_dask import DaskTaskRunner

    from flows.ocr_tasks import TaskRunnerPageExecutor

    context = FlowRunContext.get()
    if context is None or not isinstance(context.task_runner, DaskTaskRunner):
        get_run_logger().warning("BUKTI_DASK_ADDRESS is set but this flow run has no Dask task runner (start it "
                                 "through flows.nightly.flow_for): pages are read by local processes")
        return None
    return TaskRunnerPageExecutor(settings.originals_dir, settings.worker_originals_dir)


@flow(name="bukti-nightly",
      description="Satu putaran inbox: pindai, baca teks (OCR bila perlu), klasifikasi, daftar celah bukti.")
def nightly(inbox: str | None = None, accept_removal: bool = False) -> dict[str, Any]:
    logger = get_run_logger()
    # `bukti run --accept-removal` is a flow parameter, for this run only, turned into the setting here
    settings = load_settings(inbox=inbox, max_gone_fraction=1.0 if accept_removal else None)
    logger.info("inbox %s, ledger %s", settings.inbox, settings.database_url)
    summary = process_inbox(settings, run_stage=run_stage_as_task, progress=ProgressReporter(),
                            page_executor=page_executor(settings))
    create_markdown_artifact(summary_markdown(summary), key="bukti-ringkasan",
                             description="Ringkasan putaran malam ini")
    if summary.gaps:
        create_table_artifact(gaps_table_rows(summary.gaps), key="bukti-celah-bukti",
                              description=f"Celah bukti KKP HAM — {headline(summary.gaps)}")
        create_markdown_artifact(gaps_markdown(summary.gaps), key="bukti-celah-bukti-ringkasan",
                                 description="Daftar celah bukti untuk koordinator (Bagian Hukum)")
    if summary.province:
        create_markdown_artifact(province_markdown(summary.province), key="bukti-provinsi",
                                 description="Ringkasan provinsi: wilayah × kriteria, yang berisiko lebih dulu")
        create_table_artifact(province_table_rows(summary.province), key="bukti-provinsi-tabel",
                              description="Kelengkapan bukti per wilayah dan kriteria")
    for failure in summary.mail_failed:  # in the flow run's log too: a failed e-mail is reported, not raised
        logger.warning("e-mail gagal / e-mail failed: %s", failure)
    logger.info("selesai: %d berkas, %d dokumen baru, %d halaman OCR, %d diklasifikasi",
                summary.files, summary.new_documents, summary.ocr_pages, summary.classified)
    if summary.gaps:
        logger.info("%s", headline(summary.gaps))
    return summary.as_dict()
