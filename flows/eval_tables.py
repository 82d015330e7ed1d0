"""Terminal tables for `bukti eval --real`."""

from __future__ import annotations

from rich.table import Table


def _figures(m: dict) -> tuple[str, ...]:
    return (str(m["macro_f1"]), str(m["precision"]), str(m["recall"]),
            f"{m['false_evidence_documents']}/{m['none_rows']}")


def real_eval_tables(report: dict) -> list[Table]:
    summary = Table(title=f"Real documents, region-held-out ({report['folds']} grouped folds over "
                          f"{report['regions']} regions), model {report['model']}")
    for column in ("documents", "scored", "macro-F1", "precision", "recall", "false evidence"):
        summary.add_column(column)
    names = {"all": "all", "folder": report["folder_path"], "corpus": "corpus/documents.jsonl.gz"}
    for key, label in names.items():
        if key in report:
            summary.add_row(label, str(report[key]["rows"]), *_figures(report[key]))
    first = report["first_stage_rule"]
    summary.add_row("all, first stage's own rule", str(first["rows"]), *_figures(first))
    detail = Table(title="Per criterion, all documents (unsure rows left out)")
    for column in ("criterion", "P", "R", "F1", "support", "predicted"):
        detail.add_column(column)
    for criterion, m in report["all"]["criteria"].items():
        detail.add_row(criterion, *(str(m[k]) for k in ("precision", "recall", "f1", "support", "predicted")))
    tables = [summary, detail]
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
