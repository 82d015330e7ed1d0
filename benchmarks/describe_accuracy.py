"""Accuracy of the evidence-type and period rules (pipeline/describe/evidence.py, pipeline/describe/dates.py) on labelled documents.

    .venv/bin/python benchmarks/describe_accuracy.py [--real DIR] [--home DIR] [--errors] [--json]

Sets, measured separately:
- generated: tests/describe_set.py, realistic documents written for the project with their true type and period
  (deterministic; the test suite asserts the targets on it);
- national regulations: the corpus's dev split (../shared/corpus, beside the real folder), all struktur, with the
  year the corpus gives; a check of the regulation rules on texts they were not written from;
- real: the documents of ../shared/testdata/real (or --real DIR), labelled by hand in
  benchmarks/describe_labels_real.jsonl (type and period only, keyed by sha256 and path; the texts stay where
  they are). Their texts are read the way the nightly run reads them: the pipeline processes DIR/inbox into the
  ledger under --home (default data/describe-eval/x<extractor version>; the first run OCRs every scan, later
  runs reuse the ledger).
  When the folder is absent the script says so and measures the generated set only.

Type is correct when it equals the label. Period is correct when the years are exactly the labelled ones: for
struktur the year of enactment; for proses and hasil the years the document is about (see pipeline/describe/dates.py).
"Decision" is the in-period decision for the assessment years around the labelled ones (each labelled year,
the year before the first and the year after the last): what the gap list does with the period. Labels marked
unsure are counted apart.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.describe.dates import Dates  # noqa: E402
from pipeline.describe.evidence import describe, in_period  # noqa: E402

LABELS = ROOT / "benchmarks" / "describe_labels_real.jsonl"
DEFAULT_REAL = Path(os.environ.get("BUKTI_SHARED", ROOT.parent / "shared")) / "testdata" / "real"
TARGETS = {"type": 0.95, "period": 0.95}


def _assessment_years(period: tuple[int, ...]) -> list[int]:
    return sorted({*period, min(period) - 1, max(period) + 1}) if period else []


def _truth_dates(period: tuple[int, ...]) -> Dates:
    """The labelled period in the form in_period reads (for struktur, its only year is the enactment)."""
    return Dates(None, period, None)


def measure(cases: list[dict]) -> dict:
    """cases: {"id", "text", "kind", "type", "period", "unsure_type"?, "unsure_period"?, "family"?}."""
    rows = []
    for case in cases:
        found = describe(case["text"], case["kind"])
        period = tuple(case["period"])
        decisions = [(in_period(found.type, found.dates, n)[0], in_period(case["type"], _truth_dates(period), n)[0])
                     for n in _assessment_years(period)]
        rows.append({"id": case["id"], "family": case.get("family", ""), "type": case["type"], "found": found.type,
                     "period": list(period), "found_period": list(found.period), "reason": found.reason,
                     "type_ok": found.type == case["type"], "period_ok": tuple(found.period) == period,
                     "decisions_ok": sum(a == b for a, b in decisions), "decisions": len(decisions),
                     "unsure_type": bool(case.get("unsure_type")), "unsure_period": bool(case.get("unsure_period"))})

    def share(ok: str, subset: list[dict]) -> dict:
        n = len(subset)
        return {"n": n, "correct": sum(r[ok] for r in subset), "accuracy": round(sum(r[ok] for r in subset) / n, 4)
                if n else None}

    sure_type = [r for r in rows if not r["unsure_type"]]
    sure_period = [r for r in rows if not r["unsure_period"]]
    decided = sum(r["decisions"] for r in sure_period)
    return {
        "documents": len(rows),
        "type": share("type_ok", sure_type), "type_unsure": share("type_ok", [r for r in rows if r["unsure_type"]]),
        "period": share("period_ok", sure_period),
        "period_unsure": share("period_ok", [r for r in rows if r["unsure_period"]]),
        "decision": {"n": decided, "accuracy": round(sum(r["decisions_ok"] for r in sure_period) / decided, 4)
                     if decided else None},
        "by_type": {t: share("type_ok", [r for r in sure_type if r["type"] == t]) for t in ("struktur", "proses", "hasil")},
        "confusion": dict(Counter(f"{r['type']}->{r['found']}" for r in sure_type if not r["type_ok"])),
        "errors": [r for r in rows if not r["type_ok"] or not r["period_ok"]],
    }


def generated_cases() -> list[dict]:
    from tests.describe_set import generated_documents

    return [{"id": d.id, "text": d.text, "kind": d.kind, "type": d.type, "period": d.period, "family": d.family}
            for d in generated_documents()]


def corpus_cases(corpus: Path) -> list[dict]:
    """National regulations of the corpus's dev split: all struktur, their year known; texts as the corpus holds
    them (OCR'd, some cut short before the signature)."""
    import gzip

    with gzip.open(corpus / "national.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [{"id": r["id"], "text": r["text"], "kind": "pdf", "type": "struktur", "period": (r["year"],),
             "family": "national"} for r in rows if r["split"] == "dev"]


def real_cases(folder: Path, home: Path) -> tuple[list[dict], str]:
    """The labelled real documents with their texts as the pipeline extracted them; and a note on what was done."""
    from pipeline.config import load_settings
    from pipeline.ledger.ledger import Ledger

    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    settings = load_settings(env={}, home=home, inbox=folder / "inbox", stable_seconds=0)
    ledger = Ledger(settings.database_url)
    try:
        missing = [lab for lab in labels if not _text_of(ledger, lab["sha256"])]
        note = f"texts from the ledger in {home}"
        if missing:
            from pipeline.process import process_inbox

            print(f"reading {folder / 'inbox'} with the pipeline into {home} ({len(missing)} labelled documents "
                  "have no text yet; scans are OCR'd, this takes several minutes the first time)", file=sys.stderr)
            process_inbox(settings)
            note = f"texts extracted now by the pipeline into {home}"
        cases, absent = [], []
        for lab in labels:
            found = _text_of(ledger, lab["sha256"])
            if not found:
                absent.append(lab["path"])
                continue
            kind, text = found
            cases.append({"id": lab["path"], "text": text, "kind": kind, "type": lab["type"],
                          "period": tuple(lab["period"]), "unsure_type": lab.get("unsure_type", False),
                          "unsure_period": lab.get("unsure_period", False), "family": "real"})
        if absent:
            note += f"; {len(absent)} labelled files not found in the folder: {', '.join(absent)}"
        return cases, note
    finally:
        ledger.close()


def _text_of(ledger, sha256: str) -> tuple[str, str] | None:
    doc = ledger.document(sha256)
    if doc is None or doc.status != "processed" or not (doc.text or "").strip():
        return None
    return doc.kind, doc.text


def _line(name: str, part: dict) -> str:
    if not part["n"]:
        return f"  {name}: -"
    return f"  {name}: {part['accuracy']:.1%} ({part['correct']}/{part['n']})"


def print_report(name: str, report: dict, errors: bool) -> None:
    print(f"\n{name}: {report['documents']} documents")
    print(_line("type", report["type"]) + f"   [target {TARGETS['type']:.0%}]")
    for t, part in report["by_type"].items():
        print("  " + _line(t, part))
    if report["type_unsure"]["n"]:
        print(_line("type, labels marked unsure", report["type_unsure"]))
    print(_line("period (years match)", report["period"]) + f"   [target {TARGETS['period']:.0%}]")
    if report["period_unsure"]["n"]:
        print(_line("period, labels marked unsure", report["period_unsure"]))
    if report["decision"]["n"]:
        print(f"  in-period decision, years around the labelled ones: {report['decision']['accuracy']:.1%} "
              f"({report['decision']['n']} decisions)")
    if report["confusion"]:
        print("  type errors (label->found): " + ", ".join(f"{k} {v}" for k, v in sorted(report["confusion"].items())))
    if errors:
        for r in report["errors"]:
            marks = ("" if r["type_ok"] else f" type {r['type']}->{r['found']}") + \
                    ("" if r["period_ok"] else f" period {r['period']}->{r['found_period']}")
            unsure = " (unsure label)" if r["unsure_type"] or r["unsure_period"] else ""
            print(f"    {r['id']} [{r['family']}]{marks}{unsure} — {r['reason']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="folder with inbox/ (default ../shared/testdata/real)")
    from pipeline.extract.store import EXTRACTOR_VERSION

    # One ledger per extractor version: when extraction changes, the real texts are read again as the nightly run
    # would now read them.
    parser.add_argument("--home", type=Path, default=ROOT / "data" / "describe-eval" / f"x{EXTRACTOR_VERSION}",
                        help="ledger the real texts are read into and reused from")
    parser.add_argument("--errors", action="store_true", help="list every document the rules get wrong")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    reports = {"generated": measure(generated_cases())}
    notes = {}
    if (args.real / "inbox").is_dir():
        cases, notes["real"] = real_cases(args.real, args.home)
        reports["real"] = measure(cases)
        reports["all"] = measure(generated_cases() + cases)
    else:
        notes["real"] = f"{args.real} is absent: the real documents were not measured (only the generated set)"
    corpus = args.real.parent.parent / "corpus"
    if (corpus / "national.jsonl.gz").is_file():
        reports["national regulations (corpus dev split)"] = measure(corpus_cases(corpus))
    else:
        notes["corpus"] = f"{corpus} is absent: national regulations were not measured"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if args.json:
        print(json.dumps({"machine": machine, "notes": notes, **reports}, ensure_ascii=False, indent=2))
        return 0
    print(f"Evidence type and period rules — {machine}")
    for name, note in notes.items():
        print(f"{name}: {note}")
    for name, report in reports.items():
        print_report(name, report, args.errors and name not in ("all", "national regulations (corpus dev split)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
