"""The model card in Markdown, from the JSON card written beside the model."""

from __future__ import annotations


def card_markdown(card: dict) -> str:
    lines = [f"# Model card: {card.get('version')}", "", card.get("task", ""), ""]
    data = card.get("data", {})
    lines += ["## Data", "", "| file | sha256 |", "|---|---|"]
    lines += [f"| {name} | `{digest}` |" for name, digest in data.get("corpus_sha256", {}).items()]
    lines += ["", f"Rows used (train split) by label source: {data.get('rows_by_label_source')}; weights "
              f"{data.get('label_source_weights')}; reviewed documents added: {data.get('reviewed_documents', 0)}.",
              f"Weak labels reconciled with the guideline: {data.get('weak_rules_reconciled')}.", ""]
    method = card.get("method", {})
    lines += ["## Method", ""] + [f"- {k}: {v}" for k, v in method.items()] + [""]
    lines += ["## Thresholds", "", "| criterion | threshold |", "|---|---|"]
    lines += [f"| {c} | {t} |" for c, t in card.get("thresholds", {}).items()] + [""]
    metrics = card.get("metrics", {})
    if metrics:
        lines += ["## Metrics (dev split, annotated and not unsure)", "",
                  "| set | part | rows | macro-F1 | false-evidence rate |", "|---|---|---|---|---|"]
        for name, parts in metrics.items():
            if not isinstance(parts, dict) or "all" not in parts:
                continue
            for part, m in parts.items():
                lines.append(f"| {name} | {part} | {m['rows']} | {m['macro_f1']} | {m['false_evidence_rate']} |")
        lines.append("")
    lines += ["## Libraries", ""] + [f"- {k} {v}" for k, v in card.get("libraries", {}).items()]
    lines += ["", f"Training took {card.get('training_seconds')} s. Artifact sha256 `{card.get('artifact_sha256')}`.",
              "Rebuild: `bukti train` (reads ../shared/corpus; see README).", ""]
    return "\n".join(lines)
