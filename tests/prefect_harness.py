"""One temporary Prefect server for the whole test session, shared by every module's `prefect` fixture.

Prefect reads its home at import, and a second harness in the same session would start a second server
(15 s on 2 cores): modules call `acquire`/`release` around their session fixture instead.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

_stack: ExitStack | None = None
_users = 0


def acquire(home: Path) -> None:
    global _stack, _users
    _users += 1
    if _stack is not None:
        return
    os.environ["PREFECT_HOME"] = str(home)  # before the first import of prefect
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    stack = ExitStack()
    stack.enter_context(prefect_test_harness(server_startup_timeout=180))
    _stack = stack


def release() -> None:
    global _stack, _users
    _users -= 1
    if _users == 0 and _stack is not None:
        stack, _stack = _stack, None
        stack.close()
