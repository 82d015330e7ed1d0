"""Point Prefect at the project's data directory before it is imported (it reads its settings at import)."""

from __future__ import annotations

import os

from pipeline.config import Settings


def configure_prefect(settings: Settings) -> None:
    # Prefect fails to import if its home is not writable; keep its state beside the ledger, not in ~.
    if "PREFECT_HOME" not in os.environ:
        settings.prefect_home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(settings.prefect_home.resolve())
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network here: no telemetry errors
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "pipeline")  # the core's logs reach the Prefect UI
    # The temporary server takes 10-15 s to start on 2 cores; give it room before Prefect gives up.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
