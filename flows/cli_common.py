"""What every `bukti` command shares: settings from the arguments, user errors, the OCR progress bar."""

from __future__ import annotations

import argparse
import sys

from pipeline.config import Settings, load_settings
from pipeline.errors import UsageError


class UserError(UsageError):
    """A problem the user can fix; printed as one sentence, no traceback."""


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(inbox=getattr(args, "inbox", None))


def _with_progress_bar(work):
    """Run work(progress) with a progress bar for OCR pages on a terminal; plain otherwise."""
    if not sys.stderr.isatty():
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    with Progress("OCR", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True) as bar:
        task_id = None

        def progress(done: int, total: int) -> None:
            nonlocal task_id
            if task_id is None:
                task_id = bar.add_task("ocr", total=total)
            bar.update(task_id, completed=done)

        return work(progress)
