"""`bukti train`, `bukti eval`, `bukti model trust`: building, measuring and trusting the classifier."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.config import Settings

from .cli_common import _settings, _with_progress_bar


def cmd_train(args: argparse.Namespace) -> int:
    from pipeline.classify.persist import SHIPPED_MODEL_DIR, save_model, trust_model, write_shipped_hash
    from pipeline.training.corpus import find_corpus
    from pipeline.training.evaluate import evaluate_model
    from pipeline.training.train import train_model

    from pipeline.training.realdocs import DEV_SET, real_documents

    settings = _settings(args)
    corpus = find_corpus(Path(args.corpus) if args.corpus else None)
    say = lambda msg: print(f"train: {msg}", file=sys.stderr)  # noqa: E731
    # The real documents the second stage learns from: the committed corpus and the development set (read once
    # by the pipeline's own stages, then cached), plus the reviewed documents when asked.
    dev = Path(args.real) if args.real else DEV_SET
    real = _with_progress_bar(lambda progress: real_documents(settings, dev, progress))
    if not (dev / "expected.jsonl").is_file():
        say(f"no development set at {dev}: the second stage learns from corpus/documents.jsonl.gz alone")
    extra = []
    if args.with_reviews:
        from pipeline.ledger.ledger import Ledger
        from pipeline.training.reviews import reviewed_documents, reviewed_examples
        ledger = Ledger(settings.database_url)
        extra, reviewed = reviewed_examples(ledger), reviewed_documents(ledger)
        real += reviewed
        say(f"{len(extra)} reviewed documents added to the training data (both stages)")
    model, examples = train_model(corpus, progress=say, extra=extra, real=real,
                                  rows_cache=settings.home / "eval")
    print("train: evaluating on the dev split", file=sys.stderr)
    report = evaluate_model(model, examples)
    model.card["metrics"] = {k: v for k, v in report.items() if k != "model"}
    save_model(model, settings.model_dir)
    digest = trust_model(settings.model_dir, settings.trust_file)
    if settings.model_dir.resolve() == SHIPPED_MODEL_DIR.resolve():
        write_shipped_hash(digest)
    clean = report["clean"]["all"]
    print(f"Model {model.version} saved in {settings.model_dir}: dev macro-F1 {clean['macro_f1']}, "
          f"false-evidence rate {clean['false_evidence_rate']} (details: {settings.model_dir}/criteria.card.md).")
    second = model.card.get("second_stage")
    if second:  # what a region the model has never seen gets: the figure to quote
        held = second["region_heldout"]
        from flows.eval_tables import real_criteria_table, real_summary_table
        from flows.output import print_table

        print_table(real_summary_table(held, f"Real documents, region-held-out ({held['folds']} grouped folds over "
                                             f"{held['regions']} regions), model {model.version}"))
        print_table(real_criteria_table(held))
    return 0


def cmd_model_trust(args: argparse.Namespace) -> int:
    from pipeline.classify.persist import ModelError, load_model, model_paths, trust_model

    settings = _settings(args)
    model_dir = Path(args.model_dir) if args.model_dir else settings.model_dir
    if not model_paths(model_dir)[0].is_file():
        print(f"bukti model trust: no model in {model_dir}", file=sys.stderr)
        return 2
    digest = trust_model(model_dir, settings.trust_file)
    print(f"trusted {model_dir} (sha256 {digest}) in {settings.trust_file}")
    try:
        load_model(model_dir, settings.trust_file)
    except ModelError as exc:
        print(f"bukti model trust: trusted, but it still cannot be loaded: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from flows.eval_tables import slipped_table
    from flows.output import eval_table, print_json, print_table
    from pipeline.classify.persist import load_model
    from pipeline.training.corpus import find_corpus, load_examples
    from pipeline.training.evaluate import evaluate_baseline, evaluate_model

    settings = _settings(args)
    model = load_model(settings.model_dir, settings.trust_file)
    if args.real:
        return _eval_real(args, settings, model)
    corpus = find_corpus(Path(args.corpus) if args.corpus else None)
    examples = load_examples(corpus)
    report = {"model": evaluate_model(model, examples), "baseline": evaluate_baseline(examples)}
    if args.format == "json":
        print_json(report)
    else:
        for table in eval_table(report):
            print_table(table)
        print_table(slipped_table(report))
    return 0


def _eval_real(args: argparse.Namespace, settings: Settings, model) -> int:
    from flows.eval_tables import real_eval_tables
    from flows.output import print_json, print_table
    from pipeline.training.corpus import CorpusMissing, find_corpus
    from pipeline.training.evaluate_real import RealSetError, evaluate_real

    say = lambda m: print(f"eval: {m}", file=sys.stderr)  # noqa: E731
    try:  # the second stage learns from the corpus's annotated rows too, as `bukti train` does
        corpus = find_corpus(Path(args.corpus) if args.corpus else None)
    except CorpusMissing:
        corpus = None
        say("no annotated corpus (../shared/corpus or --corpus): the second stage is learnt from real documents "
            "alone, which is not how the shipped model was trained")
    try:
        report = _with_progress_bar(lambda progress: evaluate_real(model, settings, Path(args.real), progress,
                                                                    ablation=args.ablation, folds=args.folds,
                                                                    say=say, corpus=corpus))
    except RealSetError as exc:
        print(f"bukti eval: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print_json(report)
    else:
        for table in real_eval_tables(report):
            print_table(table)
    return 0
