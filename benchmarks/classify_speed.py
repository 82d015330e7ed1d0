"""Classification speed once the text is in hand: documents per second of stage 6 (classify_documents), with the
per-criterion explanations it stores for likely criteria.

    .venv/bin/python benchmarks/classify_speed.py [--docs 1000] [--repeats 3]
    .venv/bin/python benchmarks/classify_speed.py --save-reference benchmarks/out/classify-ref.json.gz
    .venv/bin/python benchmarks/classify_speed.py --check benchmarks/out/classify-ref.json.gz

The texts (`texts(n)`, reproducible, seed 11): a third regulations as the corpus's national texts read
(../shared/corpus/national.jsonl.gz, full text up to 40,000 characters, OCR noise included) when the corpus is
there; a third regional regulations and decrees (kop, "NOMOR ... TENTANG" + a title from the corpus's regional
titles, then a body); a third letters, reports and forms from samples/texts. Bodies are sample texts run
together to 2,000-20,000 characters (an evidence file of 1-8 pages). Without the corpus, titles come from
samples/texts and the national third is replaced by long regulation-shaped texts from the samples.

Timed: `pipeline.classify.stage.classify_documents` against an in-memory ledger (what is timed is the model,
the title blocks, the explanations and building the rows, not the database), median of `--repeats` runs after
one warm-up on 50 other texts; then the same stage against a real SQLite ledger (`--sqlite`), whose writes are
the ledger's. The model is loaded once, before timing (its load time is printed apart).

`--save-reference` writes every stored row (criterion, confidence, assigned, explanation) of every text;
`--check` classifies the same texts and compares row for row: the decisions, confidences and explanations
must be identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
REGIONS = ["DONGGALA", "SIGI", "POSO", "BANGGAI", "MOROWALI", "TOLITOLI", "BUOL", "PARIGI MOUTONG"]
KINDS = ["PERATURAN BUPATI", "PERATURAN DAERAH", "KEPUTUSAN BUPATI", "PERATURAN WALI KOTA", "SURAT EDARAN"]


def _samples() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "texts").glob("*.txt"))]


def _body(rng: random.Random, samples: list[str], chars: int) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < chars:
        parts.append(rng.choice(samples))
    return "\n\n".join(parts)[:chars]


def texts(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    samples = _samples()
    national: list[str] = []
    titles: list[str] = []
    if (CORPUS / "national.jsonl.gz").is_file():
        with gzip.open(CORPUS / "national.jsonl.gz", "rt", encoding="utf-8") as fh:
            national = [json.loads(line).get("text") or "" for line in fh]
        national = [t for t in national if t]
        with gzip.open(CORPUS / "local_titles.jsonl.gz", "rt", encoding="utf-8") as fh:
            titles = [json.loads(line)["title"] for _, line in zip(range(20000), fh)]
    if not titles:
        titles = [s.splitlines()[0] for s in samples]
    out = []
    for i in range(n):
        kind = i % 3
        if kind == 0 and national:
            out.append(rng.choice(national))
        elif kind in (0, 1):
            region = rng.choice(REGIONS)
            title = rng.choice(titles)
            head = (f"PEMERINTAH KABUPATEN {region}\n{rng.choice(KINDS)} {region}\n"
                    f"NOMOR {rng.randint(1, 60)} TAHUN {rng.randint(2015, 2026)}\nTENTANG\n{title.upper()}\n\n"
                    f"DENGAN RAHMAT TUHAN YANG MAHA ESA\nBUPATI {region},\n\n")
            out.append(head + _body(rng, samples, rng.randint(2000, 20000 if kind == 1 else 40000)))
        else:
            out.append(f"Nomor arsip {i:05d}\n" + _body(rng, samples, rng.randint(2000, 20000)))
    return out


class MemoryLedger:
    """What classify_documents needs of a ledger, in memory: the texts to classify and the rows stored."""

    def __init__(self, todo: list[tuple[str, str]]):
        self.todo = todo
        self.stored: dict[str, list[dict]] = {}

    def texts_to_classify(self, model_version: str) -> list[tuple[str, str]]:
        return list(self.todo)

    def store_classification(self, sha256: str, rows: list[dict], model_version: str) -> None:
        self.stored[sha256] = rows

    def store_classifications(self, batch: list[tuple[str, list[dict]]], model_version: str) -> None:
        for sha256, rows in batch:
            self.stored[sha256] = rows


def _todo(docs: list[str]) -> list[tuple[str, str]]:
    return [(f"{i:064x}", t) for i, t in enumerate(docs)]


def forget(model) -> None:
    """Empty the word caches (textprep's chunks, the n-gram indices), as in a fresh nightly process."""
    from pipeline.classify import textprep

    for cache in (getattr(textprep, "_CHUNKS", None), getattr(model.__dict__.get("_char_grams"), "words", None)):
        if cache is not None:
            cache.clear()


def run_memory(model, docs: list[str], timer=time.perf_counter) -> tuple[float, dict[str, list[dict]]]:
    from pipeline.classify.stage import classify_documents

    forget(model)
    ledger = MemoryLedger(_todo(docs))
    t = timer()
    classify_documents(ledger, model)
    return timer() - t, ledger.stored


def store_classifications(ledger, batch: list[tuple[str, list[dict]]], model_version: str) -> None:
    """The ledger method proposed for pipeline/ledger/judgements.py (--batched-writes): a batch of documents'
    classifications in one transaction, one DELETE ... IN and one multi-row INSERT."""
    from pipeline.ledger.records import now
    from pipeline.ledger.schema import classifications

    if not batch:
        return
    with ledger.begin() as conn:
        stamp = now()
        conn.execute(classifications.delete().where(classifications.c.sha256.in_([sha for sha, _ in batch])))
        conn.execute(classifications.insert(), [
            dict(sha256=sha, model_version=model_version, classified_at=stamp, **row)
            for sha, rows in batch for row in rows])


def run_sqlite(model, docs: list[str], batched: bool = False) -> float:
    """The stage against a real SQLite ledger: the texts stored as processed documents beforehand (untimed),
    then read back (texts_to_classify) and classified, the rows written by the ledger (timed)."""
    from pipeline.classify.stage import classify_documents
    from pipeline.ledger.ledger import Ledger
    from pipeline.ledger.schema import documents

    with tempfile.TemporaryDirectory(prefix="bukti-classify-") as home:
        ledger = Ledger(f"sqlite:///{home}/ledger.sqlite3")
        if batched and not hasattr(ledger, "store_classifications"):
            ledger.store_classifications = lambda batch, version: store_classifications(ledger, batch, version)
        try:
            stamp = dt.datetime.now()
            with ledger.begin() as conn:
                conn.execute(documents.insert(), [
                    dict(sha256=sha, kind="txt", size=len(text), status="processed", text=text, created_at=stamp)
                    for sha, text in _todo(docs)])
            t = time.perf_counter()
            classify_documents(ledger, model)
            return time.perf_counter() - t
        finally:
            ledger.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="also time the stage with SQLite ledger writes")
    parser.add_argument("--batched-writes", action="store_true",
                        help="with --sqlite: also with the proposed Ledger.store_classifications (one transaction "
                             "per batch of 64)")
    parser.add_argument("--save-reference", type=Path)
    parser.add_argument("--check", type=Path)
    args = parser.parse_args()

    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load {open('/proc/loadavg').read().split()[:3]}",
          flush=True)
    from pipeline.config import load_settings
    from pipeline.classify.persist import load_model

    settings = load_settings(env={})
    t = time.perf_counter()
    model = load_model(settings.model_dir, settings.trust_file)
    print(f"model {model.version} loaded in {time.perf_counter() - t:.2f} s", flush=True)
    docs = texts(args.docs)
    print(f"{len(docs)} texts, median {statistics.median(map(len, docs)):.0f} characters, "
          f"mean {statistics.mean(map(len, docs)):.0f}", flush=True)
    run_memory(model, texts(50, seed=99))  # warm-up: spaCy, the word-feature names, caches

    if args.save_reference or args.check:
        _, stored = run_memory(model, docs)
        probs = model.probabilities(docs).tolist()  # unrounded, as float64
        if args.save_reference:
            with gzip.open(args.save_reference, "wt", encoding="utf-8") as fh:
                json.dump({"model": model.version, "rows": stored, "probs": probs}, fh)
            print(f"reference: {len(stored)} documents written to {args.save_reference}")
        if args.check:
            with gzip.open(args.check, "rt", encoding="utf-8") as fh:
                ref = json.load(fh)
            bad = [sha for sha in ref["rows"] if ref["rows"][sha] != stored.get(sha)]
            assigned = sum(r["assigned"] for rows in stored.values() for r in rows)
            explained = sum(r["explanation"] is not None for rows in stored.values() for r in rows)
            print(f"check: {len(ref['rows']) - len(bad)} of {len(ref['rows'])} documents identical "
                  f"({assigned} assigned criteria, {explained} explanations)")
            for sha in bad[:5]:
                for a, b in zip(ref["rows"][sha], stored.get(sha) or []):
                    if a != b:
                        print("  differs:", sha[-6:], a, b)
            same_probs = ref.get("probs") == probs
            print(f"unrounded probabilities identical: {same_probs}")
            if bad or set(stored) != set(ref["rows"]) or not same_probs:
                return 1
        return 0

    times, cpus = [], []
    for k in range(args.repeats):
        cpu = time.process_time()
        secs, _ = run_memory(model, docs)
        cpus.append(time.process_time() - cpu)
        times.append(secs)
        print(f"run {k + 1}: {secs:.2f} s, {len(docs) / secs:.0f} docs/s (CPU {cpus[-1]:.2f} s); "
              f"load {os.getloadavg()[0]:.2f}", flush=True)
    med = statistics.median(times)
    print(f"classify_documents (in-memory ledger, caches emptied before each run): median {med:.2f} s = "
          f"{len(docs) / med:.0f} docs/s over {args.repeats} runs; CPU median {statistics.median(cpus):.2f} s = "
          f"{len(docs) / statistics.median(cpus):.0f} docs per CPU-second")
    if args.sqlite:
        times = []
        for _ in range(args.repeats):
            forget(model)
            times.append(run_sqlite(model, docs))
        med = statistics.median(times)
        print(f"classify_documents (SQLite ledger): median {med:.2f} s = {len(docs) / med:.0f} docs/s "
              f"(runs {', '.join(f'{x:.2f}' for x in times)})")
        if args.batched_writes:
            times = []
            for _ in range(args.repeats):
                forget(model)
                times.append(run_sqlite(model, docs, batched=True))
            med = statistics.median(times)
            print(f"classify_documents (SQLite ledger, one transaction per batch): median {med:.2f} s = "
                  f"{len(docs) / med:.0f} docs/s (runs {', '.join(f'{x:.2f}' for x in times)})")
    print(f"load after: {open('/proc/loadavg').read().split()[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
