"""Run the pipeline over any folder, as if it were the inbox, and print the outcome per file.

    .venv/bin/python scripts/edge_cases.py ../shared/testdata/edge-cases [--json]

The folder is only read. The ledger and archive go to a temporary BUKTI_HOME that is removed afterwards.
Reports wall time and the peak memory of the run and of its OCR workers.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from pipeline.config import load_settings
from pipeline.ledger.ledger import Ledger
from pipeline.process import process_inbox


def describe(entry) -> str:
    if entry.status in ("processed", "duplicate") and entry.pages:
        sources = {}
        for p in entry.pages:
            sources[p["source"]] = sources.get(p["source"], 0) + 1
        chars = sum(p["chars"] for p in entry.pages)
        failed = [p for p in entry.pages if p.get("error")]
        conf = [p["ocr_confidence"] for p in entry.pages if p["ocr_confidence"] is not None]
        parts = [", ".join(f"{n} {s}" for s, n in sources.items()), f"{chars} chars"]
        if conf:
            parts.append(f"OCR conf {sum(conf) / len(conf):.0f}")
        if failed:
            parts.append(f"{len(failed)} failed: {failed[0]['error'][:60]}")
        return "; ".join(parts)
    return entry.reason_en or ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"edge_cases: {args.folder} is not a folder", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bukti-edge-") as home:
        settings = load_settings(home=home, inbox=args.folder, stable_seconds=0)
        started = time.monotonic()
        summary = process_inbox(settings)
        seconds = time.monotonic() - started
        ledger = Ledger(settings.database_url)
        entries = ledger.entries()
        ledger.close()
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps([{"path": e.path, "status": e.status, "outcome": describe(e)} for e in entries],
                         ensure_ascii=False, indent=2))
    else:
        width = max(len(e.path) for e in entries) if entries else 10
        for e in entries:
            print(f"{e.path:<{width}}  {e.status:<11}  {describe(e)}")
        print(f"\n{summary.files} files in {seconds:.1f} s; statuses {summary.statuses}; "
              f"{summary.ocr_pages} OCR pages, {summary.text_layer_pages} text-layer pages, "
              f"{summary.failed_pages} failed; peak memory {peak_self:.0f} MB (main), "
              f"{summary.worker_peak_mb:.0f} MB (largest OCR worker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
