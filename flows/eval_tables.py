"""Terminal tables for `bukti eval --real`."""

from __future__ import annotations

from rich.table import Table


def _figures(m: dict) -> tuple[str, ...]:
    return (str(m["macro_f1"]), str(m["precision"]), str(m["recall"]),
            f"{m['false_evidence_documents']}/{m['none_rows']}")


def real_summary_table(report: dict, title: str) -> Table:
    """Region-held-out figures per set of documents (all, the folder or the dev set, the corpus), and the first
    stage's own rule when the report has it."""
    summary = Table(title=title)
    for column in ("documents", "scored", "macro-F1", "precision", "recall", "false evidence"):
        summary.add_column(column)
    names = {"all": "all", "folder": report.get("folder_path", "folder"), "dev": "../shared/testdata/real",
             "corpus": "corpus/documents.jsonl.gz"}
    for key, label in names.items():
        if isinstance(report.get(key), dict):
            summary.add_row(label, str(report[key]["rows"]), *_figures(report[key]))
    if "first_stage_rule" in report:
        first = report["first_stage_rule"]
        summary.add_row("all, first stage's own rule", str(first["rows"]), *_figures(first))
    return summary


def real_criteria_table(report: dict) -> Table:
    detail = Table(title="Per criterion, all documents, region-held-out (unsure rows left out)")
    for column in ("criterion", "P", "R", "F1", "support", "predicted"):
        detail.add_column(column)
    for criterion, m in report["all"]["criteria"].items():
        detail.add_row(criterion, *(str(m[k]) for k in ("precision", "recall", "f1", "support", "predicted")))
    return detail


def real_eval_tables(report: dict) -> list[Table]:
    summary = real_summary_table(report, f"Real documents, region-held-out ({report['folds']} grouped folds over "
                                         f"{report['regions']} regions), model {report['model']}")
    tables = [summary, real_criteria_table(report)]
    if report.get("ablation"):
        ablation = Table(title="Each part of the decision left out (region-held-out, all documents)")
        for column in ("decision", "macro-F1", "precision", "recall", "false evidence"):
            ablation.add_column(column)
        ablation.add_row("everything", *_figures(report["all"]))
        for name, m in report["ablation"].items():
            ablation.add_row(name, *_figures(m))
        tables.append(ablation)
    errors = Table(title=f"Disagreements in {report['folder_path']}")
    for column in ("path", "expected", "predicted"):
        errors.add_column(column)
    for e in report["errors"]:
        errors.add_row(e["path"], ", ".join(e["expected"]) or "-", ", ".join(e["predicted"]) or "-")
    return tables + [errors]


def slipped_table(report: dict) -> Table:
    table = Table(title="False evidence on the dev split: documents labelled none taken as evidence")
    for column in ("part", "title", "taken as"):
        table.add_column(column)
    for row in report["model"].get("false_evidence", []):
        table.add_row(row["part"], row["title"], ", ".join(row["predicted"]))
    return table
