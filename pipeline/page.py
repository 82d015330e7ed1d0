"""What was read from one page. Kept apart from the ledger so OCR workers need not import SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageRecord:
    number: int
    source: str
    raw_text: str
    ocr_confidence: float | None = None
    rotation: int | None = None
    skew: float | None = None
    error: str | None = None
    worker_peak_mb: float | None = None  # peak memory of the process that read it (measured, not stored)

    @property
    def chars(self) -> int:
        return len(self.raw_text.strip())
