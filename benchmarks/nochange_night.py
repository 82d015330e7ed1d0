"""A night with nothing new against the first night of the same inbox: 1,000 documents, as `bukti run` runs them.

    .venv/bin/python benchmarks/nochange_night.py [--docs 1000] [--modes prefect,no-prefect] [--repeats 1]

The inbox (generated once into benchmarks/out/night-N/inbox, reused): 50% digital PDFs of 1-4 pages (reportlab,
DejaVu, a real text layer), 25% DOCX, 23% plain text, 2% scanned one-page PDFs (200 dpi, light scanner noise:
OCR'd). Texts from benchmarks/classify_speed.py `texts()`: regulations and decrees with a title block, letters
and reports; every file unique (an archive number on top); five OPD folders.

For each mode (`prefect`: `bukti run`, the Prefect flow with its temporary server; `no-prefect`: `bukti run
--no-prefect`) in a fresh BUKTI_HOME: the first run, then `--repeats` runs with nothing new. Each run is one
child process (`python benchmarks/nochange_night.py --child ...`) that imports the CLI, times each stage of
pipeline.process (through the stage runner, so a Prefect task's own overhead counts in its stage), the model
load, and calls `flows.cli.main(["run", ...])` as the `bukti` script would. The parent times the whole process
from spawn to exit and samples the resident memory of the process and all its children (OCR workers, the Prefect
server) with psutil every 0.1 s; the child adds its own exact peak (getrusage). What changed in BUKTI_HOME
(reports, ledger, archive) is listed per run. The inbox's files were written more than a minute before the first
run (the scan's ctime rule: otherwise the second run hashes everything again, which a real night does not).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"
OPDS = ["dinkes", "disdik", "dinsos", "dp3a", "bappeda"]
MIX = (("pdf", 0.50), ("docx", 0.25), ("txt", 0.23), ("scan", 0.02))


# -- the inbox ----------------------------------------------------------------------------------------------

def make_inbox(n: int) -> tuple[Path, float]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from classify_speed import texts
    from tests.docx_maker import write_docx
    from tests.makers import scanned_pdf
    from pipeline.training import synth

    inbox = OUT / f"night-{n}" / "inbox"
    done = inbox.parent / "complete"
    if done.exists():
        return inbox, 0.0
    if inbox.exists():
        shutil.rmtree(inbox)
    started = time.monotonic()
    rng = random.Random(5)
    kinds = [kind for kind, share in MIX for _ in range(round(share * n))][:n]
    kinds += ["txt"] * (n - len(kinds))
    rng.shuffle(kinds)
    for opd in OPDS:
        (inbox / opd).mkdir(parents=True, exist_ok=True)
    for i, (kind, text) in enumerate(zip(kinds, texts(n, seed=23))):
        body = f"Nomor arsip {i:05d}\n" + text
        folder = inbox / OPDS[i % len(OPDS)]
        if kind == "pdf":
            (folder / f"dok-{i:05d}.pdf").write_bytes(synth.digital_pdf_bytes(body[:rng.choice((3000, 6000, 12000, 18000))]))
        elif kind == "docx":
            write_docx(folder / f"dok-{i:05d}.docx", body[:15000].splitlines())
        elif kind == "txt":
            (folder / f"dok-{i:05d}.txt").write_text(body, encoding="utf-8")
        else:
            scanned_pdf(folder / f"scan-{i:05d}.pdf", body[:1800], noise=6, blur=0.3, seed=i)
    done.write_text(json.dumps({"files": n, "mix": dict(MIX)}) + "\n")
    return inbox, time.monotonic() - started


# -- the child: one `bukti run` -------------------------------------------------------------------------------

def child(mode: str, inbox: str, out: str) -> int:
    t0 = time.perf_counter()
    mode, _, proposed = mode.partition("+")
    marks: dict[str, float] = {"child_start_unix": time.time()}
    stages: dict[str, float] = {}
    import flows.cli as cli
    from pipeline import process
    marks["import_cli"] = time.perf_counter() - t0
    if mode in ("prefect", "prefect-server"):
        from pipeline.config import load_settings
        from flows.prefect_env import configure_prefect
        configure_prefect(load_settings())
        t = time.perf_counter()
        importlib.import_module("flows.nightly")  # prefect and the flow, as cmd_run imports them
        marks["import_prefect_flow"] = time.perf_counter() - t

    real_locked, real_load = process._process_locked, process.load_model

    def locked(settings, run_stage, *rest, **kwargs):
        marks["pass_start"] = time.perf_counter() - t0

        def timed(name, fn, *args, **kwargs):
            t = time.perf_counter()
            try:
                return run_stage(name, fn, *args, **kwargs)
            finally:
                stages[name] = stages.get(name, 0.0) + time.perf_counter() - t

        try:
            return real_locked(settings, timed, *rest, **kwargs)
        finally:
            marks["pass_end"] = time.perf_counter() - t0

    def load_model(*args, **kwargs):
        t = time.perf_counter()
        if proposed:
            kwargs["deferred"] = True
        try:
            return real_load(*args, **kwargs)
        finally:
            stages["load-model"] = time.perf_counter() - t

    process._process_locked, process.load_model = locked, load_model
    argv = ["run", "--inbox", inbox] + (["--no-prefect"] if mode == "no-prefect" else [])
    # prefect-server: the same flow against a Prefect server that stays up (`bukti serve`), PREFECT_API_URL set
    marks["main_start"] = time.perf_counter() - t0
    rc = cli.main(argv)
    marks["main_end"] = time.perf_counter() - t0
    Path(out).write_text(json.dumps({
        "rc": rc, "marks": marks, "stages": stages,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
    return rc


# -- the parent ----------------------------------------------------------------------------------------------

class TreeSampler:
    """Peak RSS per process of a tree (psutil, every `every` seconds)."""

    def __init__(self, pid: int, every: float = 0.1):
        import psutil

        self.root = psutil.Process(pid)
        self.every = every
        self.peaks: dict[int, dict] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                break
            for p in procs:
                try:
                    rss = p.memory_info().rss / 2**20
                    entry = self.peaks.setdefault(p.pid, {"name": " ".join(p.cmdline()[:4])[-90:], "mb": 0.0})
                    entry["mb"] = max(entry["mb"], rss)
                except psutil.Error:
                    continue
            self._stop.wait(self.every)

    def stop(self) -> list[dict]:
        self._stop.set()
        self._thread.join()
        return sorted(self.peaks.values(), key=lambda e: -e["mb"])


def snapshot(home: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(home)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in home.rglob("*") if p.is_file() and "prefect" not in p.parts}


def start_prefect_server(home: Path, port: int = 4297) -> tuple[subprocess.Popen, str]:
    """A Prefect server that stays up, as beside `bukti serve` (its start is not part of any night)."""
    import urllib.request

    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("prefect")), "server", "start", "--host",
                             "127.0.0.1", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    for _ in range(240):
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("the Prefect server did not start")


def run_once(mode: str, inbox: Path, home: Path, api_url: str | None = None) -> dict:
    env = {**os.environ, "BUKTI_HOME": str(home), "BUKTI_STABLE_SECONDS": "0", "PYTHONUNBUFFERED": "1"}
    env.pop("PREFECT_HOME", None)
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    before = snapshot(home) if home.exists() else {}
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    load = os.getloadavg()
    spawn = time.time()
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", mode, str(inbox), out], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(proc.pid)
    output = proc.communicate()[0]
    wall = time.perf_counter() - t
    peaks = sampler.stop()
    result = json.loads(Path(out).read_text()) if Path(out).stat().st_size else {"rc": proc.returncode}
    os.unlink(out)
    after = snapshot(home)
    result.update(mode=mode, wall=wall, load_before=load, processes=peaks, tail=output.splitlines()[-1:],
                  startup=result.get("marks", {}).get("child_start_unix", spawn) - spawn,
                  changed=sorted(k for k, v in after.items() if before.get(k) != v))
    return result


def breakdown(r: dict) -> dict[str, float]:
    """Where the wall time of one run went, in seconds."""
    m, st = r["marks"], r["stages"]
    in_pass = m["pass_end"] - m["pass_start"]
    rows = {"interpreter start-up": r["startup"], "import CLI and pipeline": m["import_cli"],
            "import Prefect and the flow": m.get("import_prefect_flow", 0.0)}
    rows["flow start (temporary server, flow run)"] = m["pass_start"] - m["main_start"]
    for name, secs in st.items():
        rows[name] = secs
    rows["rest of the pass (ledger open, statuses)"] = in_pass - sum(st.values())
    rows["after the pass (artifacts, tables printed)"] = m["main_end"] - m["pass_end"]
    rows["exit (server shutdown, interpreter)"] = r["wall"] - r["startup"] - m["main_end"]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--modes", default="prefect,no-prefect",
                        help="prefect (temporary server, as cron runs it), no-prefect, prefect-server (a server "
                             "that stays up, as beside `bukti serve`)")
    parser.add_argument("--repeats", type=int, default=1, help="no-change runs after each first run")
    parser.add_argument("--proposed", action="store_true",
                        help="then as many no-change runs with the proposed change to pipeline/process.py "
                             "(load_model(..., deferred=True)) made in the child")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "INBOX", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load {os.getloadavg()}", flush=True)
    inbox, made = make_inbox(args.docs)
    print(f"inbox {inbox}: {args.docs} files ({'generated in %.0f s' % made if made else 'reused'})", flush=True)
    age = time.time() - (inbox.parent / "complete").stat().st_mtime
    if age < 65:
        time.sleep(65 - age)
    results: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"), "docs": args.docs, "runs": []}
    for mode in args.modes.split(","):
        server, api_url = None, None
        if mode == "prefect-server":
            server, api_url = start_prefect_server(Path(tempfile.mkdtemp(prefix="bukti-prefect-server-")))
            print(f"Prefect server up at {api_url} (pid {server.pid})", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"bukti-night-{mode}-") as home:
            plan = [(mode, "first")] + [(mode, f"no-change {k + 1}") for k in range(args.repeats)]
            if args.proposed:
                plan += [(mode + "+proposed", f"no-change {k + 1}, proposed changes") for k in range(args.repeats)]
            for run_mode, label in plan:
                r = run_once(run_mode, inbox, Path(home), api_url)
                r["run"] = label
                results["runs"].append(r)
                if r.get("rc") != 0 or "marks" not in r:
                    print(f"{run_mode} {r['run']}: failed rc={r.get('rc')} {r.get('tail')}", flush=True)
                    break
                print(f"\n{run_mode} {r['run']}: {r['wall']:.1f} s (load before {r['load_before'][0]:.2f}); "
                      f"main peak {r['peak_rss_mb']:.0f} MB; {r['tail']}", flush=True)
                for name, secs in breakdown(r).items():
                    print(f"  {name:45s} {secs:7.2f} s")
                print("  processes (peak RSS MB): " + "; ".join(f"{p['mb']:.0f} {p['name']}"
                                                               for p in r["processes"][:6]))
                print(f"  files changed in BUKTI_HOME: {len(r['changed'])} "
                      f"{[c for c in r['changed'] if not c.startswith('originals')][:8]}", flush=True)
        if server is not None:  # the server and the uvicorn it started: their own process group
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    for mode in args.modes.split(","):
        runs = [r for r in results["runs"] if r["mode"] == mode and "marks" in r]
        for variant in ("", "+proposed"):
            later = [r["wall"] for r in results["runs"] if r["mode"] == mode + variant and "marks" in r
                     and r["run"] != "first"]
            if runs and later:
                print(f"{mode}{variant}: first {runs[0]['wall']:.1f} s, no change {statistics.median(later):.1f} s "
                      f"(median of {len(later)}) = {100 * statistics.median(later) / runs[0]['wall']:.1f}% of the first")
    print(f"load after: {os.getloadavg()}")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"nochange-night-{args.docs}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, indent=1))
    print(f"figures in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
