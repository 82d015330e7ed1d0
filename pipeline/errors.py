"""The one base of bukti's own errors, carrying the exit code the command line returns for it (OCRmyPDF's
ExitCodeException is the model): the CLI catches `BuktiError` once and exits `exc.exit_code`, so a new error
that must stop a run with its own code needs no new `except` clause anywhere.

Codes: 1 unexpected, 2 a usage or configuration problem (the message says what to change), 3 another pass is
running, 4 the inbox looks emptied (nothing was changed).
"""

from __future__ import annotations


class BuktiError(Exception):
    exit_code: int = 1


class UsageError(BuktiError):
    """A command used wrongly, or a setting that cannot be used; the message says what to do."""

    exit_code = 2
