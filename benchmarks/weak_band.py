"""How many one-click confirmations a coordinator needs before the gap list reaches the targets (issue 15 item 5).

The review page lists, per criterion, the documents just below the threshold first (the weak band: within the
criterion's `review_band` of pipeline/criteria.toml), closest first. Here every real document (the project's
corpus and, where it is, the development set) is judged region-held-out (pipeline/training/second_stage.py), and
the coordinator of each region works down that queue: a document that is evidence for the criterion is
confirmed (it counts at once), one that is not is left as it is. After k reviews per region the figures are
computed again, for k = 0, 1, 2, ...; the reviews and confirmations it took to reach each target are printed.

    .venv/bin/python benchmarks/weak_band.py [--folds 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.classify.persist import load_model  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.criteria import IDS, load_criteria  # noqa: E402
from pipeline.training.corpus import find_corpus  # noqa: E402
from pipeline.training.corpus_rows import rows_for  # noqa: E402
from pipeline.training.realdocs import real_documents  # noqa: E402
from pipeline.training.second_stage import heldout_report, real_set, summary  # noqa: E402

TARGETS = {"macro_f1": 0.85, "precision": 0.90, "recall": 0.85, "false_evidence": 0.05}


def queues(probs: np.ndarray, limits: np.ndarray, bands: np.ndarray, groups: list[str]) -> dict[str, list]:
    """Per region, the weak-band (document, criterion) pairs in the order the review page lists them."""
    out: dict[str, list] = {}
    gap = limits - probs
    weak = (gap > 0) & (gap <= bands)
    for i, j in zip(*np.nonzero(weak)):
        out.setdefault(groups[i], []).append((float(gap[i, j]), int(i), int(j)))
    return {g: [(i, j) for _, i, j in sorted(items)] for g, items in out.items()}


def meets(m: dict) -> dict[str, bool]:
    fe = m["false_evidence_documents"] / max(1, m["none_rows"])
    return {"macro_f1": m["macro_f1"] >= TARGETS["macro_f1"], "precision": m["precision"] >= TARGETS["precision"],
            "recall": m["recall"] >= TARGETS["recall"], "false_evidence": fe <= TARGETS["false_evidence"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    started = time.monotonic()
    settings = load_settings()
    model = load_model(settings.model_dir, settings.trust_file)
    s = real_set(model, real_documents(settings))
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731
    extra = rows_for(settings.home, find_corpus(None), say)  # as `bukti train` learns (needs ../shared/corpus)
    _, probs, limits = heldout_report(s, folds=args.folds, extra=extra, progress=say)
    bands = np.array([{c.id: c.review_band for c in load_criteria()}[c] for c in IDS])
    queue = queues(probs, limits, bands, s.groups)
    decided = probs >= limits
    rows, reached = [], {}
    depth = max((len(q) for q in queue.values()), default=0)
    for k in range(depth + 1):
        if k:
            for q in queue.values():
                if k <= len(q):
                    i, j = q[k - 1]
                    if s.Y[i, j]:
                        decided[i, j] = True  # confirmed: it counts at once
        m = summary(s.Y, decided)
        reviews = sum(min(k, len(q)) for q in queue.values())
        confirmed = int(sum(s.Y[i, j] for q in queue.values() for i, j in q[:k]))
        rows.append({"per_region": k, "reviews": reviews, "confirmations": confirmed,
                     **{key: m[key] for key in ("macro_f1", "precision", "recall", "false_evidence_documents")}})
        for target, ok in meets(m).items():
            if ok and target not in reached:
                reached[target] = rows[-1]
    report = {"documents": len(s.docs), "regions": len(set(s.groups)), "none_rows": int((s.Y.sum(1) == 0).sum()),
              "weak_band_pairs": sum(len(q) for q in queue.values()),
              "weak_band_evidence": int(sum(s.Y[i, j] for q in queue.values() for i, j in q)),
              "curve": rows, "targets_reached_at": reached,
              "machine": f"{platform.machine()}, {platform.python_version()}",
              "seconds": round(time.monotonic() - started, 1)}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['documents']} documents, {report['regions']} regions; weak band: {report['weak_band_pairs']} "
          f"(document, criterion) pairs, {report['weak_band_evidence']} of them evidence")
    print("reviews/region  reviews  confirmed  macro-F1  precision  recall  false evidence")
    for r in rows:
        print(f"{r['per_region']:>14}  {r['reviews']:>7}  {r['confirmations']:>9}  {r['macro_f1']:>8}  "
              f"{r['precision']:>9}  {r['recall']:>6}  {r['false_evidence_documents']}/{report['none_rows']}")
    for target in TARGETS:
        at = reached.get(target)
        print(f"{target}: " + (f"reached after {at['reviews']} reviews ({at['confirmations']} confirmations)"
                               if at else "not reached by confirming the weak band"))
    print(f"({report['machine']}, {report['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
