"""Province-scale benchmark (issue 9, item 5): page OCR with local processes and on a Dask cluster.

    .venv/bin/python benchmarks/province_scale.py [--regions 10] [--pages-per-region 52] [--sample N]
                                                   [--noop 200] [--configs local,dask1,dask2]

A generated province: `--regions` regencies, each with scanned reports from three OPDs, laid out as
inbox/<region>/<opd>/laporan-NNN.pdf (BUKTI_INBOX_LAYOUT=region/opd), image-only PDFs of 200 dpi pages made
like benchmarks/first_pass.py's (samples/texts typeset on A4, light scanner noise, a header line that makes
every page unique). Generated once into benchmarks/out/ and reused.

The files are planned once (pipeline.extract.plan: every page is an OCR job), then the same jobs are read by:
- `local`: the supervised local processes (LocalProcessExecutor, 2 workers), as `bukti run` does by default;
- `dask1`, `dask2`: a distributed.LocalCluster of 1 and 2 worker processes (one thread each), through the
  nightly flow's path: a Prefect flow on prefect-dask's DaskTaskRunner(address=...) mapping the `ocr-page`
  task (flows/ocr_tasks.py) over the pages, against a temporary Prefect server.
`--sample N` reads the first N pages of every region's share in turn (all pages by default), so that three
configurations fit in the time there is. Per configuration: wall time, pages/minute, the time the pages took on
the workers (sum), and the overhead per page (wall x workers - sum of page times, over pages). The scheduler's
own overhead is also measured with `--noop` trivial tasks: mapped Prefect tasks on the 2-worker cluster, and
the same number of bare Dask tasks (client.map). Stages other than OCR (scan, record, classify) are not run
here: they take milliseconds per document next to seconds per OCR page (benchmarks/soak.py).

Writes benchmarks/out/province-scale-*.json and prints a Markdown summary with a paper estimate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from first_pass import machine, make_scanned_pdf  # noqa: E402  (the same scans and machine record)

# Kept light at the top: the generator's worker processes import this script again.
OUT = ROOT / "benchmarks" / "out"
OPDS = ["dinkes", "disdukcapil", "bappeda"]
PAGES_PER_PDF = 4


def province(regions: int, pages_per_region: int) -> list[tuple[str, int, int]]:
    """(inbox path, first page index, page count) of every PDF, region by region."""
    docs, first = [], 0
    for r in range(regions):
        region = f"kab-{r + 1:02d}"
        for d, start in enumerate(range(0, pages_per_region, PAGES_PER_PDF)):
            count = min(PAGES_PER_PDF, pages_per_region - start)
            docs.append((f"{region}/{OPDS[d % len(OPDS)]}/laporan-{d + 1:03d}.pdf", first, count))
            first += count
    return docs


def make_province(regions: int, pages_per_region: int) -> tuple[Path, float]:
    from extraction import page_texts

    inbox = OUT / f"province-{regions}x{pages_per_region}" / "inbox"
    done = inbox.parent / "complete"
    if done.exists():
        return inbox, 0.0
    docs = province(regions, pages_per_region)
    bodies = page_texts(regions * pages_per_region)
    tasks = []
    for name, first, count in docs:
        texts = [f"{name} halaman {p + 1} dari {count}\n{bodies[first + p]}" for p in range(count)]
        tasks.append((inbox / name, first, texts))
    started = time.monotonic()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(make_scanned_pdf, tasks))
    done.write_text(f"{regions * pages_per_region} pages in {len(docs)} PDFs\n")
    return inbox, time.monotonic() - started


def plan_jobs(inbox: Path, sample: int | None) -> list:
    """Every page of the province as an OCR job (sources in `inbox`, which stands for the archive folder);
    with `sample`, pages are taken region by region in turn until there are that many."""
    from pipeline.extract.plan import OcrOptions, plan_document

    by_region: dict[str, list] = {}
    for path in sorted(inbox.rglob("*.pdf")):
        sha = hashlib.sha256(str(path.relative_to(inbox)).encode()).hexdigest()  # unique per file is enough
        plan = plan_document(sha, path, path.name, OcrOptions())
        by_region.setdefault(path.relative_to(inbox).parts[0], []).extend(plan.jobs)
    jobs = [job for jobs in by_region.values() for job in jobs]
    if sample is None or sample >= len(jobs):
        return jobs
    queues, picked = [list(j) for j in by_region.values()], []
    while len(picked) < sample:
        for q in queues:
            if q and len(picked) < sample:
                picked.append(q.pop(0))
    return picked


def run_local(jobs: list, workers: int) -> dict:
    from pipeline.extract.workers import LocalProcessExecutor

    executor = LocalProcessExecutor(workers)
    started = time.monotonic()
    records = [record for _, record in executor.map(jobs)]
    wall = time.monotonic() - started
    return {"config": f"local processes ({workers})", "workers": workers, "pages": len(jobs), "wall_s": wall,
            "failed": sum(1 for r in records if r.error), "page_s_sum": None}


def _warm() -> None:
    # Imports a worker needs for its first page, done before the clock starts (a long-lived worker pays them once).
    import importlib

    for module in ("flows.ocr_tasks", "pipeline.extract.read"):
        importlib.import_module(module)


def run_dask(jobs: list, originals: Path, workers: int, noop: int) -> tuple[dict, dict | None]:
    from distributed import Client, LocalCluster
    from prefect import flow, task
    from prefect_dask import DaskTaskRunner

    from flows.ocr_tasks import TaskRunnerPageExecutor

    captured: dict = {}

    def read_all() -> None:
        executor = TaskRunnerPageExecutor(originals)
        started = time.monotonic()
        records = [record for _, record in executor.map(jobs)]
        captured.update(wall=time.monotonic() - started, failed=sum(1 for r in records if r.error),
                        page_s_sum=sum(r.seconds for r in executor.readings),
                        by_worker=sorted({r.worker for r in executor.readings}))

    @task(name="noop")
    def nothing(i: int) -> int:
        return i

    def map_nothing() -> None:
        started = time.monotonic()
        [f.result() for f in nothing.map(list(range(noop)))]
        captured["noop_wall"] = time.monotonic() - started

    with LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None,
                      env={"OMP_THREAD_LIMIT": "1"}) as cluster, Client(cluster) as client:
        client.run(_warm)
        runner = DaskTaskRunner(address=cluster.scheduler_address)
        overhead = None
        if noop:
            flow(name="province-noop", task_runner=runner)(map_nothing)()
            started = time.monotonic()
            client.gather(client.map(_bare, range(noop), pure=False))
            bare = time.monotonic() - started
            overhead = {"tasks": noop, "workers": workers, "prefect_wall_s": captured["noop_wall"],
                        "dask_wall_s": bare}
        flow(name="province-ocr", task_runner=runner.duplicate())(read_all)()
    result = {"config": f"Dask LocalCluster ({workers} worker{'s' if workers > 1 else ''})", "workers": workers,
              "pages": len(jobs), "wall_s": captured["wall"], "failed": captured["failed"],
              "page_s_sum": captured["page_s_sum"], "by_worker": captured["by_worker"]}
    return result, overhead


def _bare(i: int) -> int:
    return i


def noop_only(worker_counts: list[int], tasks: int) -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with tempfile.TemporaryDirectory(prefix="bukti-province-") as tmp:
        os.environ["PREFECT_HOME"] = tmp
        from prefect.testing.utilities import prefect_test_harness

        with prefect_test_harness(server_startup_timeout=180):
            for workers in worker_counts:
                load = os.getloadavg()
                _, overhead = run_dask([], Path(tmp), workers, tasks)
                overhead.update(load_before=load, ms_per_task_prefect=overhead["prefect_wall_s"] / tasks * 1000,
                                ms_per_task_dask=overhead["dask_wall_s"] / tasks * 1000)
                print(json.dumps(overhead), flush=True)


def estimate(rate_per_core: float, pages_per_region: int, regions: int, cores_per_machine: int,
             machines: int) -> dict:
    pages = pages_per_region * regions
    hours = pages / (rate_per_core * cores_per_machine * machines) / 60
    return {"regions": regions, "pages": pages, "machines": machines, "hours": round(hours, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=10)
    parser.add_argument("--pages-per-region", type=int, default=52)
    parser.add_argument("--sample", type=int, default=None, help="pages read per configuration (default: all)")
    parser.add_argument("--noop", type=int, default=200, help="trivial tasks for the scheduler's overhead")
    parser.add_argument("--configs", default="local,dask1,dask2")
    parser.add_argument("--noop-only", default="", help="e.g. 1,2,4: only the trivial-task overhead, on clusters "
                        "of that many workers (is Prefect's per-task cost on the workers or in the server?)")
    parser.add_argument("--backlog-pages-per-region", type=int, default=3000,
                        help="assumed first-pass pages per region, for the paper estimate")
    args = parser.parse_args()

    if args.noop_only:
        noop_only([int(n) for n in args.noop_only.split(",")], args.noop)
        return
    inbox, made_s = make_province(args.regions, args.pages_per_region)
    info = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
            "load_before": os.getloadavg(), "province": str(inbox.relative_to(ROOT)), "generated_s": made_s,
            "regions": args.regions, "pages_per_region": args.pages_per_region, "runs": [], "noop": None}
    jobs = plan_jobs(inbox, args.sample)
    print(f"{len(jobs)} pages to read per configuration; load {os.getloadavg()}", flush=True)

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with tempfile.TemporaryDirectory(prefix="bukti-province-") as tmp:
        os.environ["PREFECT_HOME"] = tmp
        from prefect.testing.utilities import prefect_test_harness

        with prefect_test_harness(server_startup_timeout=180):
            for config in args.configs.split(","):
                load = os.getloadavg()
                if config == "local":
                    run = run_local(jobs, 2)
                else:
                    run, overhead = run_dask(jobs, inbox, int(config.removeprefix("dask")),
                                             args.noop if config == "dask2" else 0)
                    info["noop"] = overhead or info["noop"]
                run.update(load_before=load, load_after=os.getloadavg(),
                           pages_per_min=run["pages"] / run["wall_s"] * 60)
                if run["page_s_sum"] is not None:
                    run["overhead_s_per_page"] = (run["wall_s"] * run["workers"] - run["page_s_sum"]) / run["pages"]
                info["runs"].append(run)
                print(json.dumps(run), flush=True)

    best = max(r["pages_per_min"] / r["workers"] for r in info["runs"])
    info["rate_per_core_measured"] = best
    info["estimates"] = [estimate(best, args.backlog_pages_per_region, n, 2, m)
                         for n, m in ((35, 1), (35, 10), (514, 10), (514, 50))]
    path = OUT / f"province-scale-{len(jobs)}.json"
    path.write_text(json.dumps(info, indent=2))
    print(json.dumps(info, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
