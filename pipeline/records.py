"""The records that cross stages of a pass, in one module: what a stage hands the next (`PassContext`, OCRmyPDF's
job context is the pattern), what the reading half returns (`Extraction`) and what a pass returns
(`PassSummary`, with the one JSON round trip the flow's result takes to `bukti run`).

The gap list's own records are in pipeline/gaps/records.py, the ledger's in pipeline/ledger/records.py; the
statuses in pipeline/status.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pipeline.config import Settings

if TYPE_CHECKING:  # only for annotations: the ledger and the stages import this module
    from pipeline.extract.page import PageRecord
    from pipeline.extract.plan import PageJob, Plan
    from pipeline.extract.workers import PageExecutor, Progress
    from pipeline.gaps.province import Province
    from pipeline.gaps.records import GapList
    from pipeline.intake.record import NewDocument
    from pipeline import reasons
    from pipeline.ledger.ledger import Ledger
    from pipeline.opd import OpdTable


class Known(NamedTuple):
    """What the ledger remembers of a path, to decide whether its content must be hashed again."""
    size: int
    mtime_ns: int
    ctime_ns: int | None
    inode: int | None
    hashed_ns: int | None  # wall clock when its content was last read
    sha256: str | None


@dataclass(frozen=True)
class InboxFile:
    path: str  # relative to the inbox, POSIX separators; exactly as named when that is printable UTF-8
    opd: str  # the OPD's folder (first level, or second under `region/opd`), or "unknown" at the top
    size: int
    mtime_ns: int
    sha256: str | None  # None while the file is still being written, or when it could not be read
    ctime_ns: int | None = None
    inode: int | None = None
    hashed_ns: int | None = None  # when the hash was computed (or the time carried over when it was reused)
    raw_name: bytes | None = None  # the name's bytes when `path` is an escaped form of them
    error: reasons.Rejected | None = None  # a file that cannot be taken in at all, and why
    is_folder: bool = False  # the entry is an unreadable folder (`path` ends with "/")
    region: str = ""  # the region's folder under the `region/opd` inbox layout; "" for a single-region inbox

    def location(self, inbox: Path) -> Path:
        """Where the file is, from its raw bytes when the key is an escaped form of them."""
        return inbox / os.fsdecode(self.raw_name) if self.raw_name is not None else inbox / self.path


class PassContext:
    """What the stages of one pass share. A plain class, not a dataclass, on purpose: Prefect walks dataclass
    arguments of a task (and may rebuild them), and the stages write their outputs here for the next ones."""

    def __init__(self, settings: Settings | None, ledger: Ledger, progress: Progress | None = None,
                 page_executor: PageExecutor | None = None) -> None:
        self.settings, self.ledger = settings, ledger
        self.progress, self.page_executor = progress, page_executor
        self.run_id: str | None = None  # the claim on what this run reads (pipeline/ledger/claims.py)
        self.found: list[InboxFile] = []  # scan-inbox
        self.new: list[NewDocument] = []  # record-files: contents read for the first time, claimed by this run
        self.plans: list[Plan] = []  # plan-documents
        self.jobs: list[PageJob] = []
        self.results: dict[tuple[str, int], PageRecord] = {}  # ocr-pages
        self.model: Any = None  # the criteria model, loaded before the judging stages
        # What the gap list is built for: the assessment year, and one region's OPD table (`region`, `opds`) or,
        # for a province inbox, every region's (`opds_of(region)`).
        self.assessment_year: int = settings.assessment_year if settings else 0
        self.region: str | None = None
        self.opds: OpdTable | None = None
        self.opds_of: Callable[[str], OpdTable | None] | None = None
        self.gaps: GapList | None = None  # build-gaps, single-region inbox
        self.province: Province | None = None  # build-gaps, region/opd inbox
        self.reports: list[str] = []  # write-reports
        self.followed: Any = None  # follow-up: pipeline.followup.FollowUp (letters written, e-mails sent or failed)
        self.counts: dict[str, int] = {}  # per stage name: items it handled (pipeline.stage.run_stages)

    def model_version(self) -> str:
        from pipeline.classify.judgement_version import judgement_version

        return judgement_version(self.model)


@dataclass(frozen=True)
class Extraction:
    """The reading half of a pass (scan → record → plan → OCR → store)."""
    found: Sequence[InboxFile]
    new: Sequence[NewDocument]
    plans: Sequence[Plan]
    jobs: Sequence[PageJob]
    results: Mapping[tuple[str, int], PageRecord]


@dataclass
class PassSummary:
    files: int = 0  # files present in the inbox
    new_documents: int = 0  # contents read for the first time in this pass
    ocr_pages: int = 0
    text_layer_pages: int = 0
    failed_pages: int = 0
    worker_peak_mb: float = 0.0  # the largest peak memory of an OCR worker process in this pass
    classified: int = 0  # documents (re)classified in this pass
    model_version: str | None = None
    classifier_error: str | None = None  # why classification was skipped, if it was
    gaps: GapList | None = None  # a single-region inbox's gap list
    province: Province | None = None  # under the region/opd layout: every region's gap list
    reports: list[str] = field(default_factory=list)
    # Request letters written and e-mails sent or failed after the gap list (pipeline/followup.py).
    letters: list[str] = field(default_factory=list)
    mail_sent: list[str] = field(default_factory=list)
    mail_failed: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)  # over all present files
    counts: dict[str, int] = field(default_factory=dict)  # per stage: items handled (a new stage needs no field)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)  # plain data for the flow's result; the gap lists in their JSON shape
        data["gaps"] = self.gaps.as_json() if self.gaps else None
        data["province"] = self.province.as_json() if self.province else None
        data["statuses"] = {str(k): v for k, v in self.statuses.items()}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PassSummary:
        """The summary back from the flow's result. The province part stays out: its JSON is the short province
        table (statuses only) the artifacts show, not the gap lists, and nothing reads it back."""
        from pipeline.gaps.records import GapList

        plain = {f.name: data[f.name] for f in fields(cls) if f.name in data and f.name not in ("gaps", "province")}
        return cls(**plain, gaps=GapList.from_json(data["gaps"]) if data.get("gaps") else None)
