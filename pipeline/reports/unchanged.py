"""Reports are rewritten only when what they show changed: a no-change night leaves them (and their timestamps,
which say when the evidence last changed) as they are, and costs no workbook rendering.

The fingerprint covers what a report shows (minus the time it was generated), its language, the address its links
point to, and the code that renders it (the templates and the package version), so an upgrade rewrites them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")


@lru_cache(maxsize=1)
def _renderer_digest() -> str:
    digest = hashlib.sha256()
    try:
        digest.update(version("bukti").encode())
    except PackageNotFoundError:  # run from a checkout that is not installed
        pass
    for path in sorted(TEMPLATES.glob("*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def fingerprint(content: Any, **context: Any) -> str:
    """sha256 of the content (JSON-serialisable; anything else by its str), the context and the renderer."""
    payload = json.dumps({"content": content, "context": {k: str(v) for k, v in context.items()},
                          "renderer": _renderer_digest()}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def write_if_changed(paths: list[Path], digest: str, write: Callable[[], list[Path]]) -> list[Path]:
    """Call `write` unless every path exists and was written from the same fingerprint. The fingerprint is
    stored beside the first path only after all of them were written, so an interrupted write is redone."""
    stamp = paths[0].with_name(f".{paths[0].stem}.fingerprint")
    if all(p.exists() for p in paths) and stamp.exists() and stamp.read_text().strip() == digest:
        return paths
    written = write()
    stamp.write_text(digest + "\n")
    return written
