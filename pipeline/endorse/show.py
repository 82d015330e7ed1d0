"""A document's endorsement as `bukti show` prints it: the decision, then each looked-at page's marks."""

from __future__ import annotations

from pipeline.endorse.store import EndorsementStore
from pipeline.i18n import LABELS


def endorsement_json(ledger, sha256: str | None) -> dict | None:
    if not sha256:
        return None
    store = EndorsementStore(ledger)
    found = store.of([sha256])[sha256]
    return {**found.as_json(), "pages": [
        {"page": r.page, "mark": r.mark, "present": r.present, "confidence": r.confidence, "text": r.text}
        for r in store.pages_of(sha256)]}


def endorsement_lines(ledger, sha256: str | None) -> list[str]:
    data = endorsement_json(ledger, sha256)
    if data is None:
        return []
    status = data["status"]
    lines = [f"pengesahan / endorsement: {LABELS['id'][f'end_{status}']} / {LABELS['en'][f'end_{status}']}"
             + (f" (peninjau / reviewer {data['reviewed_by']})" if data["reviewed_by"] else "")]
    pages: dict[int, list[str]] = {}
    for p in data["pages"]:
        if p["present"]:
            text = f" {p['text']}" if p["text"] else ""
            pages.setdefault(p["page"], []).append(f"{p['mark']} {p['confidence']:.2f}{text}")
        else:
            pages.setdefault(p["page"], [])
    for page, marks in sorted(pages.items()):
        lines.append(f"  halaman / page {page}: {', '.join(marks) or '-'}")
    return lines
