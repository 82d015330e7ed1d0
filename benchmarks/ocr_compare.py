"""OCR benchmark: bukti's extraction against plain Tesseract and OCRmyPDF on the same generated scans.

    .venv/bin/python benchmarks/ocr_compare.py [--pages 10] [--pages-per-pdf 5] [--repeats 3] [--workers N]

Five sets of full A4 pages of known text (samples/texts, 44 lines a page): straight scans at 200 and 300 dpi,
scans 4-5 degrees off square, phone photos (turned, blurred, darker at one side) and a 96 dpi scan. Each set
is saved once as image-only PDFs of --pages-per-pdf pages (what bukti and OCRmyPDF read) and as one PNG per
page (what plain Tesseract reads), and given to four sides, each using --workers cores:
- bukti: its extraction, `pipeline.process.extract_inbox` (scan, record, plan, OCR on its worker pool, store),
  in a fresh BUKTI home, with the OCR engine BUKTI_OCR_ENGINE picks (auto: tesserocr); the classifier and the
  reports are not part of it;
- tesseract: `tesseract PAGE.png stdout -l ind+eng --dpi D`, one process per core, OMP_THREAD_LIMIT=1;
- ocrmypdf: the `ocrmypdf` command (OCRMYPDF_ARGS below), one file per core at a time with --jobs 1;
- ocrmypdf-nodeskew: the same without --deskew;
and, not by default, bukti-command: bukti with BUKTI_OCR_ENGINE=command (benchmarks/ocr_engines.py).
Every run of a side on a set is a process of its own; each repeat runs every set, the sides in a rotating
order (paired: the runs of a set in a repeat follow each other). Reported per set and side, median over
repeats: pages/minute (wall time of the work, each side's start-up inside it except importing bukti in the
run's own process), CPU seconds per page (user + system of the whole process tree, less what the run's own
process spent before the work: this script is a child subreaper, so workers, forkservers and Tesseract
processes are all reaped here and counted by getrusage(RUSAGE_CHILDREN)), peak memory of the process tree (RSS and PSS summed over all its processes,
sampled every 0.1 s), and the character error rate (Levenshtein distance over the reference length on
whitespace-collapsed text, mean over documents). Ratios are medians of the paired per-repeat ratios.
Scans are generated once into benchmarks/out/ and reused; the figures are also written there as JSON.

    .venv/bin/python benchmarks/ocr_compare.py --where

instead shows where bukti's time goes on each set: its extraction in one process, each page read in-process
under cProfile, Tesseract apart (in the process with the library, its processes' CPU with the command: run it
with BUKTI_OCR_ENGINE=command to see those), and what starting the worker pool costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ocr_engines import BUKTI_SIDES, use_engine  # noqa: E402 - light (os only)
from ocr_engines import describe as describe_engines  # noqa: E402
from _process_tree import PeakSampler, become_subreaper, reap_orphans  # noqa: E402 - light (stdlib only)
from ocr_scans import SETS, make_sets  # noqa: E402 - light (stdlib only at the top)
from ocr_where import print_where, where_bukti  # noqa: E402 - light (stdlib only at the top)

# Nothing heavy at the top: bukti's OCR workers import this script again.
OUT = ROOT / "benchmarks" / "out"
OCRMYPDF = Path(sys.executable).parent / "ocrmypdf"
CLEAN = ("200-straight", "300-straight")
# ocrmypdf-nodeskew: OCRmyPDF at its fastest, the same without --deskew (it then reads skewed pages and photos
# as garbage): the speed a user gets who knows all scans are straight.
SIDES = ("bukti", "tesseract", "ocrmypdf", "ocrmypdf-nodeskew")
# Not run by default, to see what the choices below cost: OCRmyPDF with its default renderer (fpdf2), and with
# only --output-type pdf (its defaults otherwise).
# bukti-command: bukti with BUKTI_OCR_ENGINE=command, what the engine alone buys (benchmarks/ocr_engines.py).
EXTRA_SIDES = ("ocrmypdf-fpdf2", "ocrmypdf-defaults", "bukti-command")
LANGUAGES = "ind+eng"
# OCRmyPDF tuned for throughput (see benchmarks/README.md for what each costs): a plain PDF, not PDF/A; no
# optimisation and no linearisation of the output; Tesseract's own text-only PDF under the page image
# (sandwich) instead of the default fpdf2 renderer, which costs about a second of CPU per page here; deskew
# kept, since a page 4 degrees off square reads as garbage without it (lines run into each other).
OCRMYPDF_ARGS = ["--output-type", "pdf", "--optimize", "0", "--fast-web-view", "1000000",
                 "--pdf-renderer", "sandwich", "--deskew", "-l", LANGUAGES, "--quiet"]


def ocrmypdf_args(side: str) -> list[str]:
    if side == "ocrmypdf-nodeskew":
        return [a for a in OCRMYPDF_ARGS if a != "--deskew"]
    if side == "ocrmypdf-fpdf2":
        return [a for a in OCRMYPDF_ARGS if a not in ("--pdf-renderer", "sandwich")]
    if side == "ocrmypdf-defaults":
        return ["--output-type", "pdf", "-l", LANGUAGES, "--quiet"]
    return OCRMYPDF_ARGS


# ------------------------------------------------------------------------- one side on one set (a child)

def run_bukti(set_dir: Path, workers: int, scratch: Path) -> dict:
    from _common import stage_timer
    from pipeline.config import load_settings
    from pipeline.ledger.ledger import Ledger
    from pipeline.process import extract_inbox

    settings = load_settings(env={}, home=scratch / "home", inbox=set_dir / "pdf", stable_seconds=0,
                             ocr_workers=workers)
    ledger = Ledger(settings.database_url)
    run_stage, stages = stage_timer()

    cpu_before, started = _self_cpu(), time.monotonic()
    extraction = extract_inbox(ledger, settings, run_stage=run_stage)
    jobs, results = extraction.jobs, extraction.results
    seconds = time.monotonic() - started
    texts = {}
    for entry in ledger.entries():
        doc = ledger.document(entry.sha256)
        texts[Path(entry.path).stem] = (doc.raw_text or "").replace("\f", "\n") if doc else ""
    ledger.close()
    records = list(results.values())
    return {"seconds": seconds, "cpu_before": cpu_before, "texts": texts,
            "stages": {name: round(s, 3) for name, s in stages.items()},
            "pages": len(jobs), "failed": sum(1 for r in records if r.error),
            "turned": sum(1 for r in records if r.rotation), "deskewed": sum(1 for r in records if r.skew),
            "worker_peak_mb": max((r.worker_peak_mb or 0.0 for r in records), default=0.0),
            "main_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_tesseract(set_dir: Path, workers: int, scratch: Path) -> dict:
    dpi = json.loads((set_dir / "reference.json").read_text())["dpi"]
    pngs = sorted((set_dir / "png").glob("*.png"))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def run(png: Path) -> str:
        return subprocess.run(["tesseract", str(png), "stdout", "-l", LANGUAGES, "--dpi", str(dpi)],
                              capture_output=True, text=True, env=env, check=True).stdout

    cpu_before, started = _self_cpu(), time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        pages = list(pool.map(run, pngs))
    seconds = time.monotonic() - started
    texts: dict[str, list[str]] = {}
    for png, text in zip(pngs, pages):  # doc-01-p1.png ... sorted: p10 before p2, so order by page number
        doc, page = png.stem.rsplit("-p", 1)
        texts.setdefault(doc, []).append((int(page), text))
    return {"seconds": seconds, "cpu_before": cpu_before, "pages": len(pngs),
            "texts": {doc: "\n".join(t for _, t in sorted(parts)) for doc, parts in texts.items()}}


def run_ocrmypdf(set_dir: Path, workers: int, scratch: Path, mode: str = "files", side: str = "ocrmypdf") -> dict:
    pdfs = sorted((set_dir / "pdf").glob("*.pdf"))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    options = ocrmypdf_args(side)

    def run(pdf: Path, jobs: int) -> None:
        subprocess.run([str(OCRMYPDF), *options, "--jobs", str(jobs), "--sidecar",
                        str(scratch / f"{pdf.stem}.txt"), str(pdf), str(scratch / pdf.name)],
                       capture_output=True, text=True, env=env, check=True)

    cpu_before, started = _self_cpu(), time.monotonic()
    if mode == "files":  # one file per core, each with one job: no core waits for a file's start or end
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda pdf: run(pdf, 1), pdfs))
    else:  # one file at a time, its pages on all cores
        for pdf in pdfs:
            run(pdf, workers)
    seconds = time.monotonic() - started
    return {"seconds": seconds, "cpu_before": cpu_before,
            "texts": {pdf.stem: (scratch / f"{pdf.stem}.txt").read_text(encoding="utf-8").replace("\f", "\n")
                      for pdf in pdfs}}


def _self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child_main(side: str, set_dir: Path, workers: int, result: Path, ocrmypdf_mode: str) -> int:
    with tempfile.TemporaryDirectory(prefix=f"bukti-ocr-compare-{side}-") as tmp:
        if side in BUKTI_SIDES:
            use_engine(side)
            out = run_bukti(set_dir, workers, Path(tmp))
        elif side == "tesseract":
            out = run_tesseract(set_dir, workers, Path(tmp))
        else:
            out = run_ocrmypdf(set_dir, workers, Path(tmp), ocrmypdf_mode, side)
    result.write_text(json.dumps(out, ensure_ascii=False))
    return 0


# -------------------------------------------------------------------------------- measuring a child's tree

def measure(side: str, set_dir: Path, workers: int, ocrmypdf_mode: str) -> dict:
    """Run one side on one set in a child process; its figures, texts and those of its whole tree."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result = Path(f.name)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, __file__, "--child", side, "--set-dir", str(set_dir),
                             "--workers", str(workers), "--result", str(result),
                             "--ocrmypdf-mode", ocrmypdf_mode])
    sampler = PeakSampler(proc.pid).start()
    _, status, _ = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    lifetime = time.monotonic() - started
    peak = sampler.stop()
    orphans = reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{side} on {set_dir.name} failed (exit {proc.returncode})")
    out = json.loads(result.read_text())
    result.unlink()
    reference = json.loads((set_dir / "reference.json").read_text())["documents"]
    out["ocr_jobs"] = out.pop("pages", None)
    out["pages"] = sum(len(pages) for pages in reference.values())
    tree_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    out.update({"side": side, "set": set_dir.name, "cpu": tree_cpu - out.pop("cpu_before"), "tree_cpu": tree_cpu,
                "lifetime": lifetime, "peak_rss_mb": peak["rss"], "peak_pss_mb": peak["pss"],
                "processes": peak["processes"], "orphans_reaped": orphans, "load_before": load})
    return out


# --------------------------------------------------------------------------------------------- reporting

def cer(set_dir: Path, texts: dict[str, str]) -> float:
    from pipeline.training import synth

    docs = json.loads((set_dir / "reference.json").read_text())["documents"]
    return statistics.mean(synth.char_error_rate("\n".join(pages), texts.get(doc, "")) for doc, pages in docs.items())


def summarise(runs: list[dict], sets: list[str], sides: list[str], repeats: int) -> dict:
    """Per set and side (and the groups `clean` and `all`): median over repeats, and paired ratios."""
    by = {(r["set"], r["side"], r["repeat"]): r for r in runs}
    groups = {name: [name] for name in sets}
    if all(name in sets for name in CLEAN):
        groups["clean"] = list(CLEAN)
    groups["all"] = sets
    table: dict = {}
    for group, members in groups.items():
        table[group] = {}
        per_repeat: dict[str, list[dict]] = {}
        for side in sides:
            rows = []
            for rep in range(repeats):
                chosen = [by[(name, side, rep)] for name in members]
                pages = sum(r["pages"] for r in chosen)
                seconds = sum(r["seconds"] for r in chosen)
                rows.append({"ppm": 60 * pages / seconds, "cpu_per_page": sum(r["cpu"] for r in chosen) / pages,
                             "peak_rss_mb": max(r["peak_rss_mb"] for r in chosen),
                             "peak_pss_mb": max(r["peak_pss_mb"] for r in chosen),
                             "cer": statistics.mean(r["cer"] for r in chosen), "pages": pages})
            per_repeat[side] = rows
            table[group][side] = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
            table[group][side]["ppm_all"] = [round(row["ppm"], 1) for row in rows]
        if "bukti" in sides:
            for other in (s for s in sides if s != "bukti"):
                ratios = [b["ppm"] / o["ppm"] for b, o in zip(per_repeat["bukti"], per_repeat[other])]
                table[group][f"bukti/{other}"] = {"median": statistics.median(ratios), "min": min(ratios),
                                                  "max": max(ratios)}
    return table


def print_table(table: dict, sides: list[str]) -> None:
    print(f"\n{'set':<13} {'side':<18} {'pages/min':>9} {'(each repeat)':<20} {'CPU s/page':>10} "
          f"{'peak RSS MB':>11} {'peak PSS MB':>11} {'CER %':>7}")
    for group, rows in table.items():
        for side in sides:
            r = rows[side]
            each = " ".join(f"{v:.0f}" for v in r["ppm_all"])
            print(f"{group:<13} {side:<18} {r['ppm']:>9.1f} {'(' + each + ')':<20} {r['cpu_per_page']:>10.2f} "
                  f"{r['peak_rss_mb']:>11.0f} {r['peak_pss_mb']:>11.0f} {100 * r['cer']:>7.2f}")
    others = [s for s in sides if s != "bukti"]
    if "bukti" in sides and others:
        print(f"\n{'set':<13} " + " ".join(f"{'bukti/' + o + ' pages/min (min-max)':>36}" for o in others))
        for group, rows in table.items():
            cells = []
            for o in others:
                q = rows[f"bukti/{o}"]
                cells.append(f"{q['median']:>20.2f} ({q['min']:.2f}-{q['max']:.2f})".rjust(36))
            print(f"{group:<13} " + " ".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10, help="pages per set")
    parser.add_argument("--pages-per-pdf", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated, of: " + ", ".join(SETS))
    parser.add_argument("--sides", default=",".join(SIDES), help="comma-separated, of: "
                        + ", ".join(SIDES + EXTRA_SIDES))
    parser.add_argument("--ocrmypdf-mode", choices=("files", "pages"), default="files",
                        help="files: one file per core, --jobs 1 (default); pages: one file at a time, --jobs N")
    parser.add_argument("--where", action="store_true",
                        help="instead: where bukti's time goes on each set, page by page in one process")
    parser.add_argument("--child", choices=SIDES + EXTRA_SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--set-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(args.child, args.set_dir, args.workers, args.result, args.ocrmypdf_mode)

    from first_pass import machine

    sets, sides = args.sets.split(","), args.sides.split(",")
    unknown = [x for x in sets if x not in SETS] + [x for x in sides if x not in SIDES + EXTRA_SIDES]
    if unknown:
        parser.error(f"unknown set or side: {', '.join(unknown)}")
    # Orphans of the children (a forkserver outlives the bukti run that started it) are re-parented to this
    # process, reaped here, and so counted in RUSAGE_CHILDREN.
    become_subreaper()
    info = machine()
    engines = describe_engines(["bukti"] if args.where else sides)
    ocrmypdf_version = subprocess.run([str(OCRMYPDF), "--version"], capture_output=True, text=True).stdout.strip()
    started_at = dt.datetime.now(dt.timezone.utc)
    print(f"{started_at:%Y-%m-%d %H:%M} UTC; {platform.machine()}, {info['nproc']} cores ({info['cpu']}), "
          f"{info['mem_gib']} GiB, {info['platform']}; {info['tesseract']}; OCRmyPDF {ocrmypdf_version}; "
          f"Python {info['python']}; load average before {' '.join(f'{v:.2f}' for v in info['load_before'])}; "
          + "; ".join(f"{side}: {name}" for side, name in engines.items()), flush=True)
    base, made_s = make_sets(OUT, sets, args.pages, args.pages_per_pdf, args.workers)
    if args.where:
        for name in sets:
            with tempfile.TemporaryDirectory(prefix="bukti-ocr-compare-where-") as tmp:
                print_where(name, where_bukti(base / name, Path(tmp)), args.workers)
        return 0
    print(f"scans: {len(sets)} sets of {args.pages} pages in PDFs of {args.pages_per_pdf}, {base} "
          f"({'generated in %.0f s' % made_s if made_s else 'reused'}); {args.workers} workers per side; "
          f"{args.repeats} repeats; OCRmyPDF: {' '.join(OCRMYPDF_ARGS)} --jobs "
          f"{1 if args.ocrmypdf_mode == 'files' else args.workers} ({args.ocrmypdf_mode})", flush=True)

    runs = []
    for rep in range(args.repeats):
        for s, name in enumerate(sets):
            shift = (rep + s) % len(sides)
            for side in sides[shift:] + sides[:shift]:
                r = measure(side, base / name, args.workers, args.ocrmypdf_mode)
                r["repeat"] = rep
                r["cer"] = cer(base / name, r.pop("texts"))
                runs.append(r)
                print(f"repeat {rep + 1} {name:<13} {side:<10} {r['pages']:>3} pages {r['seconds']:6.1f} s "
                      f"{60 * r['pages'] / r['seconds']:6.1f} pages/min  CPU {r['cpu'] / r['pages']:5.2f} s/page  "
                      f"peak {r['peak_rss_mb']:5.0f} MB RSS {r['peak_pss_mb']:5.0f} MB PSS  "
                      f"CER {100 * r['cer']:5.2f}%  load {r['load_before']:.2f}"
                      + (f"  stages {r['stages']}" if "stages" in r else ""), flush=True)
    table = summarise(runs, sets, sides, args.repeats)
    print_table(table, sides)
    load_after = os.getloadavg()
    print(f"\nload average after {' '.join(f'{v:.2f}' for v in load_after)}; "
          f"{(dt.datetime.now(dt.timezone.utc) - started_at).total_seconds() / 60:.1f} min in all")
    for other in (side for side in sides if side.startswith("ocrmypdf")):
        if f"bukti/{other}" not in table["all"]:
            continue
        q, b, o = table["all"][f"bukti/{other}"], table["all"]["bukti"], table["all"][other]
        print(f"target bukti >= 1.25x {other} pages/min at CER no worse: {q['median']:.2f}x "
              f"({'met' if q['median'] >= 1.25 else 'NOT met'}); CER {100 * b['cer']:.2f}% against "
              f"{100 * o['cer']:.2f}% ({'no worse' if b['cer'] <= o['cer'] else 'WORSE'} by the letter, "
              f"{100 * (b['cer'] - o['cer']):+.2f} points)")
    if "clean" in table and "bukti/tesseract" in table["clean"]:
        q, b, o = table["clean"]["bukti/tesseract"], table["clean"]["bukti"], table["clean"]["tesseract"]
        print(f"target bukti >= 1.0x plain Tesseract pages/min on clean pages: {q['median']:.2f}x -> "
              f"{'met' if q['median'] >= 1.0 else 'NOT met'}; CER {100 * b['cer']:.2f}% against {100 * o['cer']:.2f}%")
    if "bukti/bukti-command" in table["all"]:
        q = table["all"]["bukti/bukti-command"]
        print(f"the engine alone: bukti ({engines['bukti']}) / bukti-command: {q['median']:.2f}x pages/min over all "
              f"sets" + (f", {table['clean']['bukti/bukti-command']['median']:.2f}x on clean pages"
                         if "clean" in table else ""))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"ocr-compare-{started_at:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({"date": started_at.isoformat(), "machine": {**info, "arch": platform.machine()},
                                "engines": engines, "ocrmypdf": ocrmypdf_version, "ocrmypdf_args": OCRMYPDF_ARGS,
                                "ocrmypdf_mode": args.ocrmypdf_mode, "args": vars(args), "load_after": load_after,
                                "table": table, "runs": runs}, indent=1, default=str))
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
