"""A fake OCR engine for tests of the stages after OCR: a PageExecutor (pipeline/extract/workers.py) that "reads"
each page in this process from a table of texts, without Tesseract or worker processes. Pass it to the pass as
`process_inbox(settings, page_executor=FakeOcr(...))`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.extract.page import OCR, PageRecord
from pipeline.extract.plan import PageJob


class FakeOcr:
    def __init__(self, texts: dict[str, str], default: str = "") -> None:
        self.texts = texts  # archived original's file name (its sha256) -> the text of each of its pages
        self.default = default
        self.jobs: list[PageJob] = []

    def map(self, jobs: Sequence[PageJob], progress=None) -> Iterator[tuple[PageJob, PageRecord]]:
        for done, job in enumerate(jobs, 1):
            self.jobs.append(job)
            text = self.texts.get(Path(job.source).name, self.default)
            yield job, PageRecord(job.number, OCR, text, ocr_confidence=91.0)
            if progress:
                progress(done, len(jobs))
