"""Terminal tables for `bukti eval --real`."""

from __future__ import annotations

from rich.table import Table


def real_eval_tables(report: dict) -> list[Table]:
    real = report["real"]
    summary = Table(title=f"Real documents ({report['folder']}), model {report['model']}")
    for column in ("documents", "scored", "macro-F1", "precision", "recall", "false evidence"):
        summary.add_column(column)
    summary.add_row(str(report["documents"]), str(real["rows"]), str(real["macro_f1"]), str(real["precision"]),
                    str(real["recall"]),
                    f"{real['false_evidence_documents']}/{real['none_rows']} ({real['false_evidence_rate']})")
    detail = Table(title="Per criterion (unsure rows left out)")
    for column in ("criterion", "P", "R", "F1", "support", "predicted"):
        detail.add_column(column)
    for criterion, m in real["criteria"].items():
        detail.add_row(criterion, *(str(m[k]) for k in ("precision", "recall", "f1", "support", "predicted")))
    errors = Table(title="Disagreements")
    for column in ("path", "expected", "predicted"):
        errors.add_column(column)
    for e in real["errors"]:
        errors.add_row(e["path"], ", ".join(e["expected"]) or "-", ", ".join(e["predicted"]) or "-")
    ablation = Table(title="What each part of the decision adds (cumulative)")
    for column in ("rule", "macro-F1", "precision", "recall", "false evidence"):
        ablation.add_column(column)
    for name, m in report.get("ablation", {}).items():
        ablation.add_row(name, *(str(m[k]) for k in ("macro_f1", "precision", "recall", "false_evidence_rate")))
    return [summary, detail, ablation, errors]


def slipped_table(report: dict) -> Table:
    table = Table(title="False evidence on the dev split: documents labelled none taken as evidence")
    for column in ("part", "title", "taken as"):
        table.add_column(column)
    for row in report["model"].get("false_evidence", []):
        table.add_row(row["part"], row["title"], ", ".join(row["predicted"]))
    return table
