"""Run the same piece of ledger code in several real processes that start at the same instant (tests of locks and
claims). Each process imports what it needs, prints "ready", waits for a go file, runs, and prints one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT

_PRELUDE = """
import json, os, sys, time
from pathlib import Path
go, url = Path(sys.argv[1]), sys.argv[2]
args = json.loads(sys.argv[3])
{imports}
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
{body}
"""


def run_together(tmp_path: Path, url: str, imports: str, body: str, args: list, timeout: float = 120) -> list:
    """Start one process per item of `args` (the item is `args` inside the body), release them together, and
    return what each printed last as JSON (the body prints `json.dumps(...)`)."""
    go = tmp_path / f"go-{time.monotonic_ns()}"
    code = _PRELUDE.format(imports=imports, body=body)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(go), url, json.dumps(a)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for a in args]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        go.touch()
        out = []
        for p in procs:
            stdout, stderr = p.communicate(timeout=timeout)
            assert p.returncode == 0, stderr
            out.append(json.loads(stdout.strip().splitlines()[-1]))
        return out
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
