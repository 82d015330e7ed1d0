"""What a stage of the pass is, in one small type (paperless-ngx's consumer plugins and docling's page models are
the pattern: the pipeline is a list, and everything about a step is said where the step is listed).

The pass (pipeline/process.py, `STAGES`) is a list of `Stage`s. From that list alone come:
- the order the stages run in, with and without Prefect;
- the Prefect task of each stage and its retries (flows/nightly.py reads `retries` here, no table of its own);
- `anything_new`, which asks every stage's `pending` (a stage cannot be left out: `pending` has no default);
- the pass summary's count per stage (`PassSummary.counts`, keyed by stage name: a new stage needs no new field
  and no `from_json`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.config import Settings


class Probe(Protocol):
    """What `pending` may look at: the settings and the ledger, nothing of a running pass."""
    settings: Settings
    ledger: Any

    def model_version(self) -> str: ...


@dataclass(frozen=True)
class Stage:
    name: str  # also the Prefect task's name and the key of its count in the summary
    run: Callable[[Any], int | None]  # run(context) -> how many items it handled (None: not counted)
    reads: tuple[str, ...]  # ledger tables it reads (documentation, and checked by tests against the schema)
    writes: tuple[str, ...]  # ledger tables it writes
    # pending(probe) -> does this stage have work the ledger already shows? `never` for stages whose output is
    # derived from the others' (gaps, reports): they have work exactly when some stage before them has.
    pending: Callable[[Probe], bool]
    retries: int = 0  # Prefect retries; only stages safe to run twice (they read the ledger, write idempotently)
    part: str = "read"  # "read" (inbox to text), "judge" (text to facts: needs the model), "publish" (outputs)
    # False for a stage whose work is tasks of its own (OCR's mapped ocr-page tasks): it runs in the flow itself,
    # not inside a stage task, whose context (the pass's, with the ledger) Prefect would send with every page
    # task and Dask cannot serialise.
    as_task: bool = True


def never(_probe: Probe) -> bool:
    return False


StageRunner = Callable[..., Any]  # run_stage(name, fn, *args): Prefect's task wrapper, a timer, or call_stage


def call_stage(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def run_stages(stages: Sequence[Stage], context: Any, run_stage: StageRunner = call_stage) -> None:
    """Run `stages` in order on `context`, keeping each one's count in `context.counts`."""
    for stage in stages:
        done = (run_stage if stage.as_task else call_stage)(stage.name, stage.run, context)
        if done is not None:
            context.counts[stage.name] = context.counts.get(stage.name, 0) + int(done)


def retries_of(stages: Sequence[Stage], name: str) -> int:
    for stage in stages:
        if stage.name == name:
            return stage.retries
    return 0  # a task that is not a stage of the pass (the mapped ocr-page task) is never retried here
