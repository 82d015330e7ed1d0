"""Soak benchmark: many small files in one inbox, a first pass and a no-change pass, memory and time per file.

    .venv/bin/python benchmarks/soak.py [--files 10000]

A regency's inbox after a few years: thousands of small documents, a third each tiny text-layer PDFs, .txt and
.docx, spread over five OPD folders, every one unique (samples/texts with a file number on top). They are
generated fast (a hand-built one-page PDF, a minimal DOCX) into benchmarks/out/soak-N/inbox and reused by later
runs. Both passes go through pipeline.process.process_inbox (no Prefect) in a temporary BUKTI home.

Reports per pass: wall time per stage; for the stages that work file by file (scan, record, plan, store,
classify, describe) the time per 1,000 files over the first quarter, the second quarter and the second half of
the inbox (2,500 / 5,000 / 10,000 at the default size: equal figures mean linear time); and the process's
resident memory (VmRSS from /proc, no psutil) every N/20 files of each stage and once a second, with its peak
(getrusage). The figures are also written as JSON to benchmarks/out/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "out"
OPDS = ["dinkes", "disdik", "dinsos", "dp3a", "bappeda"]
KINDS = ("pdf", "txt", "docx")
# Stage -> (module or class, attribute) called once per file or document inside that stage: counted to time
# the stage per 1,000 files and to sample memory along it.
PER_ITEM = {
    "scan-inbox": ("pipeline.intake.scan", "_scan_one"),
    "record-files": ("pipeline.intake.record", "_take_in"),
    "plan-documents": ("pipeline.extract.plan", "plan_document"),
    "store-documents": ("pipeline.ledger.ledger:Ledger", "store_extraction"),
    "classify-documents": ("pipeline.ledger.ledger:Ledger", "store_classification"),
    "describe-documents": ("pipeline.ledger.ledger:Ledger", "store_facts"),
    "hashed": ("pipeline.intake.scan", "_hash_open"),  # files whose content was read to hash it (not a stage)
}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (Helvetica, WinAnsi): enough for pdfplumber, ~0.1 ms to make."""
    def esc(s: str) -> str:
        return s.encode("cp1252", "replace").decode("latin-1").replace("\\", "\\\\").replace("(", "\\(") \
            .replace(")", "\\)")
    text = "BT /F1 10 Tf 50 800 Td 12 TL " + " ".join(f"({esc(line[:95])}) '" for line in lines[:60]) + " ET"
    stream = text.encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_inbox(n: int) -> tuple[Path, float]:
    from tests.docx_maker import write_docx

    inbox = OUT / f"soak-{n}" / "inbox"
    done = inbox.parent / "complete"
    if done.exists():
        return inbox, 0.0
    started = time.monotonic()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "texts").glob("*.txt"))]
    for opd in OPDS:
        (inbox / opd).mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = f"Nomor arsip {i:05d}\n" + texts[i % len(texts)]
        kind = KINDS[i % len(KINDS)]
        path = inbox / OPDS[i % len(OPDS)] / f"dokumen-{i:05d}.{kind}"
        if kind == "pdf":
            path.write_bytes(_pdf(body.splitlines()))
        elif kind == "txt":
            path.write_text(body, encoding="utf-8")
        else:
            write_docx(path, body.splitlines())
    done.write_text(f"{n} files\n")
    return inbox, time.monotonic() - started


class Meter:
    """Counts the per-file calls of each stage; keeps time and memory at checkpoints, and a 1 s memory curve."""

    def __init__(self, n: int):
        self.n = n
        self.every = max(1, n // 20)
        self.marks = sorted({max(1, n // 4), max(1, n // 2), n})
        self.stage = "-"
        self.stage_started = time.monotonic()
        self.counts: dict[str, int] = {}
        self.points: dict[str, list[dict]] = {}
        self.curve: list[dict] = []
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(1.0):
            self.curve.append({"s": round(time.monotonic() - self.started, 1), "stage": self.stage,
                               "rss_mb": round(_rss_mb(), 1)})

    def tick(self, stage: str) -> None:
        count = self.counts[stage] = self.counts.get(stage, 0) + 1
        if count % self.every == 0 or count in self.marks:
            self.points.setdefault(stage, []).append({
                "files": count, "s": round(time.monotonic() - self.stage_started, 2), "rss_mb": round(_rss_mb(), 1)})

    def __enter__(self) -> Meter:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def instrument(meter_ref: list) -> None:
    """Wrap each per-file function once; the wrapper ticks whichever Meter is current."""
    import importlib

    for stage, (where, attr) in PER_ITEM.items():
        module_name, _, class_name = where.partition(":")
        owner = importlib.import_module(module_name)
        if class_name:
            owner = getattr(owner, class_name)
        real = getattr(owner, attr)

        def wrapped(*args, _real=real, _stage=stage, **kwargs):
            result = _real(*args, **kwargs)
            if meter_ref:
                meter_ref[0].tick(_stage)
            return result

        setattr(owner, attr, wrapped)


def run_pass(settings, meter: Meter) -> dict:
    from pipeline.process import process_inbox

    stages: dict[str, float] = {}

    def run_stage(name, fn, *args, **kwargs):
        meter.stage, meter.stage_started = name, time.monotonic()
        result = fn(*args, **kwargs)
        stages[name] = round(time.monotonic() - meter.stage_started, 2)
        meter.stage = "-"
        return result

    t = time.monotonic()
    summary = process_inbox(settings, run_stage=run_stage)
    return {"seconds": round(time.monotonic() - t, 1), "stages": stages, "counts": dict(meter.counts),
            "points": meter.points, "curve": meter.curve, "files": summary.files,
            "new_documents": summary.new_documents, "statuses": summary.statuses,
            "classifier_error": summary.classifier_error,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def per_thousand(points: list[dict], marks: list[int]) -> list[float | None]:
    """Seconds per 1,000 files between consecutive marks (0 → N/4 → N/2 → N)."""
    at = {p["files"]: p["s"] for p in points}
    out, prev_n, prev_s = [], 0, 0.0
    for m in marks:
        if m not in at:
            out.append(None)
            continue
        out.append(round((at[m] - prev_s) / (m - prev_n) * 1000, 2))
        prev_n, prev_s = m, at[m]
    return out


def report(result: dict, n: int) -> str:
    marks = sorted({max(1, n // 4), max(1, n // 2), n})
    lines = [f"| stage | pass 1 (s) | pass 2, no change (s) | s per 1,000 files, pass 1: to {marks[0]:,} / "
             f"{marks[1]:,} / {marks[2]:,} |", "|---|---|---|---|"]
    first, second = result["first"], result["second"]
    for stage, secs in first["stages"].items():
        per = per_thousand(first["points"].get(stage, []), marks) if stage in PER_ITEM else []
        cells = " / ".join("-" if x is None else f"{x:.2f}" for x in per) or "-"
        lines.append(f"| {stage} | {secs:.1f} | {second['stages'].get(stage, 0):.1f} | {cells} |")
    lines.append(f"| **whole pass** | **{first['seconds']:.0f}** | **{second['seconds']:.0f}** | |")
    lines += ["", "Resident memory (MB) along pass 1, every N/10 files of each per-file stage:", "",
              "| stage | " + " | ".join(f"{k * 10}%" for k in range(1, 11)) + " |",
              "|---|" + "---|" * 10]
    for stage in (s for s in PER_ITEM if s != "hashed"):
        pts = {p["files"]: p["rss_mb"] for p in first["points"].get(stage, [])}
        row = [pts.get(max(1, n * k // 10)) for k in range(1, 11)]
        if any(row):
            lines.append(f"| {stage} | " + " | ".join("-" if v is None else f"{v:.0f}" for v in row) + " |")
    for name, p in (("pass 1", first), ("pass 2", second)):
        curve = [c["rss_mb"] for c in p["curve"]] or [0]
        lines.append(f"\n{name}: peak RSS {p['peak_rss_mb']:.0f} MB (getrusage, whole process so far); sampled "
                     f"once a second: min {min(curve):.0f}, max {max(curve):.0f} MB over {len(curve)} samples; "
                     f"{p['files']} files ({p['counts'].get('hashed', 0)} hashed), {p['new_documents']} new "
                     f"documents, statuses {p['statuses']}")
    return "\n".join(lines)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal:"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gib": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform(), "load_before": os.getloadavg()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    info = machine()
    print(f"machine: {info['nproc']} cores ({info['cpu']}), {info['mem_gib']} GiB, {info['platform']}; "
          f"Python {info['python']}; load before {info['load_before']}", flush=True)
    inbox, made = make_inbox(args.files)
    print(f"inbox: {args.files} files in {inbox} ({'generated in %.0f s' % made if made else 'reused'})", flush=True)

    from pipeline.config import load_settings

    meter_ref: list[Meter] = []
    instrument(meter_ref)
    result: dict = {"machine": info, "files": args.files, "date": dt.datetime.now().isoformat(timespec="seconds")}
    with tempfile.TemporaryDirectory(prefix="bukti-soak-") as home:
        settings = load_settings(env={}, home=Path(home), inbox=inbox, stable_seconds=0, ocr_workers=2)
        for name in ("first", "second"):
            with Meter(args.files) as meter:
                meter_ref[:] = [meter]
                result[name] = run_pass(settings, meter)
            print(f"{name} pass: {result[name]['seconds']} s, stages {result[name]['stages']}, "
                  f"peak RSS {result[name]['peak_rss_mb']} MB", flush=True)
        result["ledger_mb"] = round(sum(p.stat().st_size for p in Path(home).glob("bukti.sqlite3*")) / 1e6, 1)
    out = OUT / f"soak-{args.files}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=1))
    print("\n" + report(result, args.files))
    print(f"\nledger {result['ledger_mb']} MB; figures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
