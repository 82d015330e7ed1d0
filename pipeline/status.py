"""Every status a file or a document can have, named once.

`StrEnum`: a member *is* its string ("quarantined"), so the values stored in the ledger, the JSON the command
line prints and every comparison with a plain string keep working; code names the member so a typo is an
AttributeError at import, not a status nobody counts.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    # A document's status (documents.status), and a present file's
    PENDING = "pending"  # still being written: read on the next pass
    PROCESSED = "processed"
    QUARANTINED = "quarantined"  # a bad file: empty, damaged, encrypted, misnamed, too large to decode safely
    UNSUPPORTED = "unsupported"  # a kind of file we do not read
    # A file's status only, derived when listing
    DUPLICATE = "duplicate"  # same content as an earlier file, read once
    WITHDRAWN = "withdrawn"  # the file left the inbox
    MOVED = "moved"  # its content is in the inbox under another name
    SUPERSEDED = "superseded"  # replaced by new content under the same name


# Statuses that need nobody's attention: with only these and nothing new, `bukti run` prints no documents table.
QUIET = frozenset({Status.PROCESSED, Status.DUPLICATE})
# Statuses of a file that could not be taken in (files.error_status)
REJECTED = frozenset({Status.QUARANTINED, Status.UNSUPPORTED})
