"""`bukti doctor`, `bukti backup`, `bukti restore`: keeping a machine and its ledger healthy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_common import _settings


def cmd_doctor(args: argparse.Namespace) -> int:
    from pipeline.doctor import run_checks

    checks = run_checks(_settings(args))
    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        print(f"{mark} {check.name:9} {check.detail}" + (f"\n               → {check.fix}" if check.fix else ""))
    failed = [c.name for c in checks if not c.ok]
    print("Siap / ready." if not failed else f"Perlu diperbaiki / to fix: {', '.join(failed)}.")
    return 1 if failed else 0


def cmd_backup(args: argparse.Namespace) -> int:
    import datetime as dt

    from pipeline.ledger.backup import BackupError, backup

    settings = _settings(args)
    out = Path(args.output) if args.output else \
        settings.home / "backups" / f"bukti-{dt.datetime.now():%Y%m%d-%H%M%S}.tar"
    try:
        manifest = backup(settings, out)
    except BackupError as exc:
        print(f"bukti backup: {exc}", file=sys.stderr)
        return 2
    print(f"backup written to {out}: ledger and {manifest['originals']} archived originals")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pipeline.ledger.backup import BackupError, restore

    try:
        manifest = restore(_settings(args), Path(args.archive), force=args.force)
    except BackupError as exc:
        print(f"bukti restore: {exc}", file=sys.stderr)
        return 2
    print(f"restored the backup of {manifest['created']}: ledger and {manifest['originals']} archived originals")
    return 0
