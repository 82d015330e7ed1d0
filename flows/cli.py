"""The `bukti` command line. Prefect is imported only by the commands that run flows."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from pipeline.classify.persist import ModelError
from pipeline.config import Settings, load_settings
from pipeline.errors import BuktiError
from pipeline.status import QUIET

from .cli_common import UserError, _settings, _with_progress_bar
from .cli_gaps import _region_option, cmd_gaps, cmd_province, cmd_report
from .cli_maintenance import cmd_backup, cmd_doctor, cmd_restore
from .cli_model import cmd_eval, cmd_model_trust, cmd_train
from .cli_portal import add_portal_commands


def cmd_run(args: argparse.Namespace) -> int:
    accept_removal = bool(getattr(args, "accept_removal", False))
    settings = load_settings(inbox=args.inbox, max_gone_fraction=1.0 if accept_removal else None)
    if not settings.inbox.is_dir():
        raise UserError(f"Folder inbox {settings.inbox} tidak ada / inbox folder {settings.inbox} does not exist.")
    # Another pass running (PassInProgress, exit 3) or an emptied inbox (InboxVanished, exit 4) are BuktiErrors:
    # main() prints them and exits with their code.
    from pipeline.records import PassSummary
    if args.no_prefect or _nothing_new_without_a_server(settings):
        from pipeline.process import process_inbox
        summary = _with_progress_bar(lambda progress: process_inbox(settings, progress=progress))
    else:
        from flows.prefect_env import configure_prefect
        configure_prefect(settings)
        from flows import nightly
        result = _with_progress_bar(lambda progress: _run_flow(nightly, settings, progress, accept_removal))
        summary = PassSummary.from_json(result)  # the flow's result is JSON: read it back as the record
    from flows.output import documents_table, gaps_table, print_table
    from pipeline.ledger.ledger import Ledger
    if summary.new_documents or summary.failed_pages or set(summary.statuses) - QUIET:
        print_table(documents_table(Ledger(settings.database_url).entries()))
    else:
        # A night with nothing new and nothing wrong: a thousand unchanged rows in the log help nobody (and
        # listing them is a tenth of such a night's time); `bukti documents` lists them on demand.
        print(f"Tidak ada dokumen baru atau bermasalah; daftar lengkap: bukti documents / nothing new or wrong; "
              f"all {summary.files} files: bukti documents")
    if summary.gaps:
        print_table(gaps_table(summary.gaps))
    elif summary.classifier_error:
        print(f"Tanpa daftar celah / no gap list: {summary.classifier_error}")
    for failure in summary.mail_failed:  # reported, retried next pass; the run still succeeded
        print(f"E-mail gagal, dicoba lagi pada putaran berikutnya / e-mail failed, retried next pass: {failure}",
              file=sys.stderr)
    statuses = ", ".join(f"{k}: {v}" for k, v in summary.statuses.items())
    print(f"Selesai dalam {summary.seconds} detik: {summary.files} berkas, {summary.new_documents} dokumen "
          f"baru, {summary.ocr_pages} halaman OCR ({summary.failed_pages} gagal). Status: {statuses}.")
    return 0


def _nothing_new_without_a_server(settings: Settings) -> bool:
    """With no Prefect server configured, `bukti run` would start a temporary one (10-20 s, most of a quiet
    night's cost) only to learn that nothing changed: the same stages then run without it, and it says so."""
    if os.environ.get("PREFECT_API_URL"):
        return False  # a server is up (`bukti serve`): the run is recorded there, at little cost
    from pipeline.process import anything_new
    if anything_new(settings):
        return False
    print("Tidak ada berkas baru: putaran berjalan tanpa server Prefect sementara / nothing new: the pass runs "
          "without starting Prefect's temporary server", file=sys.stderr)
    return True


def _run_flow(nightly_module, settings: Settings, progress, accept_removal: bool = False) -> dict:
    listeners = nightly_module.progress_listeners
    if progress:
        listeners.append(progress)
    try:
        return nightly_module.flow_for(settings)(inbox=str(settings.inbox), accept_removal=accept_removal)  # on the Dask cluster when configured
    finally:
        if progress:
            listeners.remove(progress)


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from flows.prefect_env import configure_prefect
    configure_prefect(settings)
    if not os.environ.get("PREFECT_API_URL"):
        raise UserError("Jadwal malam butuh server Prefect: jalankan `prefect server start` dan set PREFECT_API_URL "
                        "(lihat README) / the nightly schedule needs a Prefect server: run `prefect server start` "
                        "and set PREFECT_API_URL (see the README).")
    from prefect.schedules import Cron

    from flows.nightly import flow_for
    cron = args.cron or settings.schedule_cron
    timezone = args.timezone or settings.schedule_timezone
    print(f"Menjadwalkan bukti-nightly: '{cron}' ({timezone}); Ctrl+C untuk berhenti.")
    flow_for(settings).serve(name="bukti-nightly", schedules=[Cron(cron, timezone=timezone)],
                             parameters={"inbox": str(settings.inbox.resolve())}, pause_on_shutdown=False)
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from flows.output import documents_table, entry_json, print_json, print_table
    from pipeline.ledger.ledger import Ledger
    ledger = Ledger(_settings(args).database_url)
    for decision, target in (("keep", args.keep), ("drop", args.drop), (None, args.by_rule)):
        if target:
            return _decide_evidence(ledger, target, decision, args.reviewer, _region_option(args, ledger))
    entries = ledger.entries(include_absent=args.all, region=_region_option(args, ledger))
    if args.format == "json":
        print_json([entry_json(e) for e in entries])
    else:
        print_table(documents_table(entries))
    return 0


def _decide_evidence(ledger, target: str, decision: str | None, reviewer: str | None, region: str | None) -> int:
    """The coordinator's override of what counts (README: what counts when files leave or change), within one
    region under the region/opd layout (`--region`, or the only one)."""
    import re
    if not (reviewer or "").strip():
        raise UserError("sebutkan nama peninjau dengan --reviewer / name the reviewer with --reviewer")
    if re.fullmatch(r"[0-9a-f]{64}", target):
        shas = {target} if ledger.document(target) is not None else set()
    else:
        shas = {e.sha256 for e in ledger.entries(include_absent=True, region=region)
                if e.path == target and e.sha256}
    if len(shas) != 1:
        problem = (f"isi mana? / which content? {', '.join(sorted(shas))}" if shas
                   else "tidak ada di ledger / not in the ledger")
        raise UserError(f"{target}: {problem} (give a path from `bukti documents --all`, or a sha256)")
    (sha,) = shas
    ledger.set_evidence_override(sha, decision, reviewer, region=region or "")
    state = ledger.evidence_state(region=region).get(sha)
    counts = state is not None and state.counts
    verdict = "dihitung sebagai bukti / counts as evidence" if counts else "tidak dihitung / does not count"
    print(f"{target}: {verdict} ({decision or 'aturan / by the rule'}, {reviewer})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from flows.output import entry_json, print_json
    from pipeline.ledger.ledger import Ledger
    settings = _settings(args)
    ledger = Ledger(settings.database_url)
    key = _inbox_relative(args.path, settings.inbox)
    entries = ledger.entries(include_absent=True, path=key)
    if not entries:
        raise UserError(f"Berkas {args.path} belum tercatat di ledger / {args.path} is not in the ledger "
                        "(run `bukti run` first; paths are relative to the inbox).")
    entry = entries[0]
    document = ledger.document(entry.sha256) if entry.sha256 else None
    text = document.text if document is not None and document.text is not None else ""
    from pipeline.endorse.show import endorsement_json, endorsement_lines
    if args.format == "json":
        print_json({**entry_json(entry), "endorsement": endorsement_json(ledger, entry.sha256), "text": text})
    else:
        print(f"# {entry.path}  [{entry.opd}] {entry.status}")
        if entry.reason:
            print(f"# {entry.reason}\n# {entry.reason_en}")
        for line in endorsement_lines(ledger, entry.sha256):
            print(f"# {line}")
        print(text)
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    import json

    from pipeline.classify.persist import load_model
    from pipeline.classify.stage import text_of_file
    from pipeline.reasons import Rejected

    settings = _settings(args)
    model = load_model(settings.model_dir, settings.trust_file)
    if args.jsonl:
        source = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")  # noqa: SIM115
        with source:
            rows = [json.loads(line) for line in source if line.strip()]
        if any("id" not in r or "text" not in r for r in rows):
            raise UserError("every --jsonl line needs \"id\" and \"text\"")
        for row, hits in zip(rows, model.classify([r["text"] for r in rows])):
            print(json.dumps({"id": row["id"], "criteria": [{"id": c, "confidence": round(p, 3)} for c, p in hits]},
                             ensure_ascii=False))
        return 0
    if not args.files:
        raise UserError("name one or more files, or --jsonl IN")
    results = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise UserError(f"{name} is not a file")
        try:
            text = text_of_file(path, settings.ocr_languages, settings.ocr_timeout)
        except Rejected as rejected:
            results.append({"file": name, "status": rejected.status, "reason": rejected.reason.id,
                            "reason_en": rejected.reason.en, "criteria": []})
            continue
        (hits,) = model.classify([text])
        results.append({"file": name, "status": "processed", "model": model.version, "criteria": [
            {"id": c, "confidence": round(p, 3), "why": model.explain(text, c)} for c, p in hits]})
    from flows.output import print_json
    print_json(results)
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    import uvicorn

    from review.app import create_app
    from review.safety import UnsafeBinding, check_binding

    settings = load_settings(inbox=args.inbox, ui_host=args.host, ui_port=args.port)
    try:
        check_binding(settings.ui_host, settings.ui_password)
    except UnsafeBinding as exc:
        raise UserError(str(exc)) from exc
    print(f"Halaman tinjauan / review page: http://{settings.ui_host}:{settings.ui_port}/")
    uvicorn.run(create_app(settings), host=settings.ui_host, port=settings.ui_port, log_level="warning")
    return 0


def _inbox_relative(path: str, inbox: Path) -> str:
    candidate = Path(path)
    if candidate.exists():
        try:
            return candidate.resolve().relative_to(inbox.resolve()).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix().removeprefix("./")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bukti", description="Bukti dukung KKP HAM: inbox → teks → celah bukti.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log lines of the core on stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--inbox", help="folder inbox (default BUKTI_INBOX or ./inbox)")

    run = sub.add_parser("run", parents=[common], help="satu putaran inbox sekarang / one pass over the inbox now")
    run.add_argument("--no-prefect", action="store_true", help="run the stages directly, without a Prefect flow")
    run.add_argument("--accept-removal", action="store_true",
                     help="accept that most files left the inbox (a real clean-up): this pass only, see "
                          "max_gone_fraction")
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser("serve", parents=[common],
                           help="jadwalkan putaran malam / schedule the nightly pass on a Prefect server")
    serve.add_argument("--cron", help="cron expression (default BUKTI_SCHEDULE_CRON, '0 1 * * *')")
    serve.add_argument("--timezone", help="IANA time zone (default BUKTI_SCHEDULE_TIMEZONE, Asia/Jakarta)")
    serve.set_defaults(func=cmd_serve)

    docs = sub.add_parser("documents", parents=[common], help="daftar berkas / list the files seen")
    docs.add_argument("--format", choices=("table", "json"), default="table")
    docs.add_argument("--all", action="store_true",
                      help="include files no longer in the inbox (withdrawn, moved) and replaced contents (superseded)")
    decide = docs.add_mutually_exclusive_group()
    decide.add_argument("--keep", metavar="PATH|SHA256", help="count this content as evidence whatever the rule says")
    decide.add_argument("--drop", metavar="PATH|SHA256", help="do not count this content as evidence")
    decide.add_argument("--by-rule", metavar="PATH|SHA256", help="undo --keep/--drop: the rule decides again")
    docs.add_argument("--reviewer", help="who decides (with --keep, --drop, --by-rule)")
    docs.add_argument("--region", help="only this region's files (BUKTI_INBOX_LAYOUT=region/opd)")
    docs.set_defaults(func=cmd_documents)

    show = sub.add_parser("show", parents=[common], help="satu dokumen beserta teksnya / one document with its text")
    show.add_argument("path", help="path relative to the inbox, as `bukti documents` lists it")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(func=cmd_show)

    train = sub.add_parser("train", parents=[common], help="latih ulang model kriteria / rebuild the classifier")
    train.add_argument("--corpus", help="corpus folder (default ../shared/corpus)")
    train.add_argument("--real", metavar="DIR", help="the development set of real documents the second stage also "
                                                     "learns from (default ../shared/testdata/real)")
    train.add_argument("--with-reviews", action="store_true",
                       help="add documents whose criteria a reviewer decided (from the ledger) to the training data")
    train.set_defaults(func=cmd_train)

    dr = sub.add_parser("doctor", parents=[common], help="periksa kesiapan mesin / check this machine is ready")
    dr.set_defaults(func=cmd_doctor)
    bk = sub.add_parser("backup", parents=[common], help="cadangkan ledger dan arsip / back up ledger and archive")
    bk.add_argument("-o", "--output", help="tar file to write (default BUKTI_HOME/backups/bukti-DATE.tar)")
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", parents=[common], help="pulihkan dari cadangan / restore from a backup")
    rs.add_argument("archive", help="a tar file written by bukti backup")
    rs.add_argument("--force", action="store_true", help="replace an existing ledger")
    rs.set_defaults(func=cmd_restore)

    md = sub.add_parser("model", parents=[common], help="model yang dipercaya / trust a model trained elsewhere")
    md_sub = md.add_subparsers(dest="model_command", required=True)
    trust = md_sub.add_parser("trust", parents=[common], help="trust the model in DIR (default BUKTI_MODEL_DIR)")
    trust.add_argument("model_dir", nargs="?", help="folder holding criteria.skops and its card")
    trust.set_defaults(func=cmd_model_trust)

    ev = sub.add_parser("eval", parents=[common], help="ukur model pada data dev / evaluate on the dev split")
    ev.add_argument("--corpus", help="corpus folder (default ../shared/corpus)")
    ev.add_argument("--real", metavar="DIR", help="a folder of real documents: DIR/inbox/ and DIR/expected.jsonl "
                                                  "(e.g. ../shared/testdata/real); read as the nightly run reads, "
                                                  "measured region-held-out with the project's real corpus")
    ev.add_argument("--folds", type=int, default=10, help="--real: grouped folds over the regions (0: one per "
                                                          "region)")
    ev.add_argument("--ablation", action="store_true", help="--real: also each part of the decision left out "
                                                            "(one region-held-out run each, minutes)")
    ev.add_argument("--format", choices=("table", "json"), default="table")
    ev.set_defaults(func=cmd_eval)

    cl = sub.add_parser("classify", parents=[common], help="klasifikasi berkas / classify files or JSON lines")
    cl.add_argument("files", nargs="*", help="files of any type the pipeline reads, or .txt")
    cl.add_argument("--jsonl", help='read lines {"id", "text"} from this file (- for stdin); write results as lines')
    cl.add_argument("--format", choices=("json",), default="json")
    cl.set_defaults(func=cmd_classify)

    gp = sub.add_parser("gaps", parents=[common], help="daftar celah bukti / the gap list")
    gp.add_argument("--format", choices=("table", "json", "md", "csv"), default="table")
    gp.add_argument("--year", type=int, help="assessment year (default BUKTI_ASSESSMENT_YEAR or last year)")
    gp.add_argument("--region", help="the region's gap list (BUKTI_INBOX_LAYOUT=region/opd)")
    gp.set_defaults(func=cmd_gaps)

    rp = sub.add_parser("report", parents=[common], help="laporan Excel atau HTML / Excel or HTML report")
    rp.add_argument("--format", choices=("xlsx", "html"), default="xlsx")
    rp.add_argument("--lang", choices=("id", "en"), default="id")
    rp.add_argument("-o", "--output", help="output file (default BUKTI_HOME/reports/bukti-kkp-ham-YEAR.FORMAT)")
    rp.add_argument("--year", type=int, help="assessment year (default BUKTI_ASSESSMENT_YEAR or last year)")
    rp.add_argument("--region", help="the region's report (BUKTI_INBOX_LAYOUT=region/opd)")
    rp.set_defaults(func=cmd_report)

    pv = sub.add_parser("province", parents=[common],
                        help="ringkasan provinsi / every region x criterion, regions at risk first")
    pv.add_argument("--format", choices=("table", "json", "md", "xlsx", "html"), default="table")
    pv.add_argument("--lang", choices=("id", "en"), default="id", help="language of xlsx and html")
    pv.add_argument("-o", "--output", help="output file for xlsx/html (default BUKTI_HOME/reports/...-provinsi.FORMAT)")
    pv.add_argument("--year", type=int, help="assessment year (default BUKTI_ASSESSMENT_YEAR or last year)")
    pv.set_defaults(func=cmd_province)

    ui = sub.add_parser("ui", parents=[common], help="halaman tinjauan / the review page")
    ui.add_argument("--host", help="address to listen on (default 127.0.0.1; others need BUKTI_UI_PASSWORD)")
    ui.add_argument("--port", type=int, help="port (default 8765)")
    ui.set_defaults(func=cmd_ui)
    add_portal_commands(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except BuktiError as exc:  # bukti's own errors carry their exit code (pipeline/errors.py)
        print(f"bukti {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except ModelError as exc:  # pipeline/classify keeps its own error type (a usage problem: exit 2)
        print(f"bukti: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bukti: dihentikan / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: one sentence, the traceback only on request
        if _debug():
            raise
        print(f"bukti: kesalahan tak terduga / unexpected error: {type(exc).__name__}: {exc} "
              "(set BUKTI_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


def _debug() -> bool:
    try:
        return load_settings().debug
    except BuktiError:  # the settings themselves are broken: no traceback wanted for that either
        return False


if __name__ == "__main__":
    sys.exit(main())
