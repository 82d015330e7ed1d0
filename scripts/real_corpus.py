#!/usr/bin/env python3
"""Build the real-document corpus (corpus/) from public git snapshots of regional-government web sites.

Steps, each rerunnable (the working folder, default /work/gather, is outside the repository: originals are
never committed, only the text bukti reads and the metadata):

  pool      list candidate files of each kept repository (candidates/*.jsonl: repo, gitdir, doc_dirs,
            exclude), dropping what the reserved list names (repository or file sha256), the dev set's own
            files, duplicates and files outside the size limits
  extract   copy a chosen set of files into WORK/inbox/<source>/... and read them with bukti's own stages
            (pipeline.process.extract_inbox: text layer, OCR), writing WORK/texts.jsonl
  check     check corpus/documents.jsonl.gz against ../shared/testdata/reserved-sources.txt (also a test)

Privacy: folders holding citizens' personal data (ID cards, NIK lists, diplomas, whistle-blower reports) are
excluded in the candidates' `exclude` patterns and in PERSONAL below.
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import hashlib
import json
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
RESERVED = SHARED / "testdata" / "reserved-sources.txt"
DEV_EXPECTED = SHARED / "testdata" / "real" / "expected.jsonl"
CORPUS = ROOT / "corpus" / "documents.jsonl.gz"
DOC_EXT = {".pdf": 5_000, ".docx": 5_000, ".xlsx": 5_000, ".jpg": 30_000, ".jpeg": 30_000, ".png": 30_000}
MAX_BYTES = 4_000_000  # snapshots omit larger files
# Paths never taken, whatever a candidate says: personal data, vendor and theme files.
PERSONAL = ("*pencaker*", "*/wbs/*", "*ktp*", "*kartu_keluarga*", "*ijazah*", "*password*", "*akun*",
            "*dpt*", "*pemilih*")
NOT_DOCS = ("*node_modules/*", "*vendor/*", "*/fonts/*", "*logo*", "*icon*", "*favicon*", "*slider*",
            "*banner*", "*/theme*/*img*", "*/css/*", "*/js/*")


# Decided while gathering: the Tanjung Jabung Timur sites share a download/ folder with a sibling site that is
# reserved for evaluation (three of its files are on the reserved list), so the whole folder is left out, not
# only the listed files.
EXTRA_EXCLUDE = {"muh-ramadhan/bpbd.tanjabtimkab.go.id": ["download"],
                 "muh-ramadhan/litbang.tanjabtimkab.go.id": ["download"]}


def reserved_lists(path: Path = RESERVED) -> tuple[set[str], set[str]]:
    repos, files = set(), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "repo":
            repos.add(parts[1])
        elif len(parts) >= 2 and parts[0] == "file":
            files.add(parts[1])
    return repos, files


def repo_hash(repo: str) -> str:
    return hashlib.sha256(repo.lower().encode()).hexdigest()


def _git(gitdir: str, *args: str) -> bytes:
    return subprocess.run(["git", "-C", gitdir, *args], check=True, capture_output=True).stdout


def _listing(gitdir: str) -> list[tuple[str, int, str]]:
    out = []
    for line in _git(gitdir, "ls-tree", "-r", "-l", "-z", "HEAD").split(b"\0"):
        if not line:
            continue
        meta, path = line.split(b"\t", 1)
        mode, kind, blob, size = meta.split()
        if kind == b"blob" and size.isdigit():  # "BAD": a blob the snapshot lacks (4 MiB and more)
            out.append((blob.decode(), int(size), path.decode("utf-8", "surrogateescape")))
    return out


def _patterns(entries) -> list[str]:
    """Path patterns from the discovery readers' notes: the leading path of each entry ("simpeg_dinsos/ (staff
    SK scans)" -> "simpeg_dinsos/"), shell braces expanded ("img/{about,header}" -> two patterns)."""
    out = []
    for entry in entries:
        for piece in re.split(r",\s+(?=[\w./*-]+[/.*])", entry.split(" (")[0].split(" except")[0]):
            piece = piece.strip().rstrip(",")
            braces = re.search(r"\{([^}]*)\}", piece)
            if braces:
                out += [piece[:braces.start()] + alt + piece[braces.end():] for alt in braces.group(1).split(",")]
            elif piece:
                out.append(piece)
    return out


def _matches(path: str, patterns) -> bool:
    low = path.lower()
    return any(fnmatch.fnmatch(low, p.lower()) or low.startswith(p.lower().rstrip("/") + "/")
               for p in _patterns(patterns))


def candidates(folder: Path) -> dict[str, dict]:
    """One entry per repository (the union of what the discovery readers wrote about it)."""
    merged: dict[str, dict] = {}
    for f in sorted(folder.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            entry = merged.setdefault(row["repo"], {"repo": row["repo"], "gitdir": row["gitdir"], "doc_dirs": [],
                                                    "exclude": [], "region": row.get("region", "")})
            entry["doc_dirs"] += [d for d in row.get("doc_dirs") or [] if d not in entry["doc_dirs"]]
            entry["exclude"] += [d for d in row.get("exclude") or [] if d not in entry["exclude"]]
            # A reader who listed the very files (folders that mix documents with photos) narrows it to them.
            if row.get("doc_files"):
                entry["doc_files"] = sorted(set(entry.get("doc_files", [])) | set(row["doc_files"]))
    return merged


def pool(work: Path, extra_exclude: dict[str, list[str]]) -> None:
    repos_reserved, files_reserved = reserved_lists()
    dev = {json.loads(line)["sha256"] for line in DEV_EXPECTED.read_text(encoding="utf-8").splitlines() if line}
    seen: dict[str, str] = {}
    rows, dropped = [], Counter()
    for repo, entry in sorted(candidates(work / "candidates").items()):
        if repo_hash(repo) in repos_reserved:
            dropped["reserved repository"] += 1
            continue
        gitdir = entry["gitdir"]
        commit = _git(gitdir, "rev-parse", "HEAD").decode().strip()
        excl = entry["exclude"] + extra_exclude.get(repo, [])
        for blob, size, path in _listing(gitdir):
            ext = Path(path).suffix.lower()
            if ext not in DOC_EXT or not DOC_EXT[ext] <= size <= MAX_BYTES:
                continue
            if entry.get("doc_files"):
                if path not in entry["doc_files"]:
                    continue
            elif entry["doc_dirs"] and not _matches(path, entry["doc_dirs"]):
                continue
            if _matches(path, excl) or _matches(path, PERSONAL) or _matches(path, NOT_DOCS):
                dropped["excluded path"] += 1
                continue
            data = _git(gitdir, "cat-file", "blob", blob)
            sha = hashlib.sha256(data).hexdigest()
            if sha in files_reserved:
                dropped["reserved file"] += 1
                continue
            if sha in dev:
                dropped["in the dev set"] += 1
                continue
            if sha in seen:
                dropped["duplicate content"] += 1
                continue
            seen[sha] = repo
            rows.append({"source_repository": repo, "source_path": path, "commit": commit, "sha256": sha,
                         "size": size, "blob": blob, "gitdir": gitdir, "region": entry["region"]})
    with (work / "pool.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    per = Counter(r["source_repository"] for r in rows)
    for repo, n in per.most_common():
        print(f"{n:5d} {repo}")
    print(f"{len(rows)} files from {len(per)} repositories; dropped: {dict(dropped)}")


def _slug(repo: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", repo.lower()).strip("-")


def inbox_name(row: dict) -> str:
    """WORK/inbox/<source>/<file>: the source's folder stands for the OPD folder; the file keeps its own name
    (with a short hash when two files of a source share a name)."""
    name = Path(row["source_path"]).name
    return f"{_slug(row['source_repository'])}/{row['sha256'][:8]}-{name}"


def extract(work: Path, chosen: Path) -> None:
    import os

    from pipeline.config import load_settings
    from pipeline.ledger.ledger import Ledger
    from pipeline.process import extract_inbox

    rows = [json.loads(line) for line in chosen.read_text(encoding="utf-8").splitlines() if line.strip()]
    inbox = work / "inbox"
    for row in rows:
        target = inbox / inbox_name(row)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git(row["gitdir"], "cat-file", "blob", row["blob"]))
            os.utime(target, (0, 0))
    settings = load_settings(home=work / "home", inbox=inbox, db_url="", stable_seconds=0)
    settings.home.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(settings.database_url)
    try:
        extract_inbox(ledger, settings, progress=None)
        by_path = {}
        for entry in ledger.entries():
            doc = ledger.document(entry.sha256) if entry.sha256 else None
            by_path[entry.path] = (entry, doc)
        with ledger.begin() as conn:
            pages = ledger.pages_of(conn, [e.sha256 for e, _ in by_path.values() if e.sha256])
        with (work / "texts.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                entry, doc = by_path.get(inbox_name(row), (None, None))
                out = dict(row, inbox_path=inbox_name(row), status=entry.status if entry else "missing",
                           reason=(doc.reason_en if doc is not None else None),
                           text=(doc.text or "") if doc is not None else "",
                           pages=len(pages.get(doc.sha256, [])) if doc is not None else 0,
                           ocr_pages=sum(p["source"].startswith("ocr") for p in pages.get(doc.sha256, []))
                           if doc is not None else 0)
                fh.write(json.dumps(out, ensure_ascii=False) + "\n")
    finally:
        ledger.close()


PACKET_CHARS = 3000  # what a reader sees: the title and first pages, as READING.md says


def packets(work: Path, chosen: Path, parts: int) -> None:
    """Reading packets for the labellers: file name, where it came from, and the text bukti read; nothing else
    (no model output). Split into `parts` files of about equal size, WORK/packets/part-<k>.jsonl."""
    texts = {json.loads(line)["sha256"]: json.loads(line)
             for line in (work / "texts.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    ids = [json.loads(line)["sha256"] for line in chosen.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [texts[s] for s in ids]
    folder = work / "packets"
    folder.mkdir(exist_ok=True)
    for k in range(parts):
        with (folder / f"part-{k + 1}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows[k::parts]:
                fh.write(json.dumps({"id": row["sha256"][:12], "file": Path(row["source_path"]).name,
                                     "folder": f"{row['source_repository']}:{str(Path(row['source_path']).parent)}",
                                     "pages": row.get("pages"),
                                     "text": row["text"][:PACKET_CHARS]}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} documents in {parts} packets under {folder}")


TEXT_KEPT = 20_000  # characters of each document's text committed: more than any stage reads (4,000-6,000)


def _readings(folder: Path, prefix: str) -> dict[str, dict]:
    out = {}
    for f in sorted(folder.glob(prefix + "*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out[row["id"]] = dict(row, reader=f.stem)
    return out


def _same(a: dict, b: dict) -> bool:
    return (bool(a.get("not_a_document")) == bool(b.get("not_a_document"))
            and sorted(a["criteria"]) == sorted(b["criteria"]))


def final_reading(i: str, first: dict, second: dict, third: dict) -> tuple[dict, list[str], str]:
    """The label of document `i`: the readers' common answer, else the third reader's (READING.md). A document
    either reader doubted is unsure."""
    a, b = first[i], second[i]
    if i in third:
        return third[i], [a["reader"], b["reader"], third[i]["reader"]], third[i]["reader"]
    if not _same(a, b):
        raise ValueError(f"{i}: the two readings disagree and no third reading decided")
    return (dict(a, unsure=bool(a.get("unsure")) or bool(b.get("unsure"))), [a["reader"], b["reader"]],
            "agreement")


def assemble(work: Path, chosen: Path) -> None:
    """corpus/documents.jsonl.gz from the chosen documents, their texts and their readings. Documents of the
    kinds READING.md's conventions are about were read again (D, then E where D1 and D2 disagreed): those
    readings replace the first ones (A, B, then C)."""
    from pipeline.extract.store import EXTRACTOR_VERSION

    readings = work / "readings"
    A, B, C = _readings(readings, "A"), _readings(readings, "B"), _readings(readings, "C")
    D1, D2, E = _readings(readings, "D1"), _readings(readings, "D2"), _readings(readings, "E")
    texts = {json.loads(line)["sha256"]: json.loads(line)
             for line in (work / "texts.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    order = [json.loads(line)["sha256"] for line in chosen.read_text(encoding="utf-8").splitlines() if line]
    rows, left_out = [], Counter()
    for sha in order:
        i = sha[:12]
        label, readers, decided = final_reading(i, D1, D2, E) if i in D1 else final_reading(i, A, B, C)
        if label.get("not_a_document"):
            left_out["not a document"] += 1
            continue
        t = texts[sha]
        ext = Path(t["source_path"]).suffix.lower()
        rows.append({
            "id": i, "sha256": sha, "source_repository": t["source_repository"], "source_path": t["source_path"],
            "commit": t["commit"], "path": t["inbox_path"],
            "kind": {".pdf": "pdf", ".docx": "office", ".xlsx": "office"}.get(ext, "image"),
            "pages": t.get("pages"), "ocr_pages": t.get("ocr_pages"), "extractor_version": EXTRACTOR_VERSION,
            "text": t["text"][:TEXT_KEPT], "text_chars": len(t["text"]),
            "criteria": sorted(label["criteria"]), "types": list(label.get("types") or []),
            "years": [int(y) for y in label.get("years") or []], "unsure": bool(label.get("unsure")),
            "note": label.get("note", ""), "readers": readers, "decided_by": decided})
    CORPUS.parent.mkdir(exist_ok=True)
    with gzip.open(CORPUS, "wt", encoding="utf-8", compresslevel=9) as fh:
        for row in sorted(rows, key=lambda r: (r["source_repository"], r["source_path"])):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    per = Counter(r["source_repository"] for r in rows)
    print(f"{len(rows)} documents from {len(per)} repositories (largest: {per.most_common(1)[0]}); "
          f"left out: {dict(left_out)}; unsure: {sum(r['unsure'] for r in rows)}; "
          f"none: {sum(not r['criteria'] for r in rows)}")


def check(corpus: Path = CORPUS) -> list[str]:
    """Problems of the committed corpus against the reserved list: [] when it is clean."""
    repos_reserved, files_reserved = reserved_lists()
    problems = []
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if repo_hash(row["source_repository"]) in repos_reserved:
                problems.append(f"{row['id']}: its repository is reserved for evaluation")
            if row["sha256"] in files_reserved:
                problems.append(f"{row['id']}: the file is reserved for evaluation")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("pool", "extract", "packets", "assemble", "check"))
    ap.add_argument("--work", type=Path, default=Path("/work/gather"))
    ap.add_argument("--chosen", type=Path, help="extract, packets: JSON lines of pool rows")
    ap.add_argument("--parts", type=int, default=4, help="packets: how many packets")
    args = ap.parse_args(argv)
    if args.step == "pool":
        pool(args.work, EXTRA_EXCLUDE)
    elif args.step == "extract":
        extract(args.work, args.chosen)
    elif args.step == "packets":
        packets(args.work, args.chosen, args.parts)
    elif args.step == "assemble":
        assemble(args.work, args.chosen)
    else:
        problems = check()
        print("\n".join(problems) or f"{CORPUS.relative_to(ROOT)}: no reserved repository or file")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
