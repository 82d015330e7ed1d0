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
    lines += ["## Method: first stage (the corpus)", ""] + [f"- {k}: {v}" for k, v in method.items()] + [""]
    first = card.get("first_stage_thresholds", {})
    lines += ["## Thresholds", "", "| criterion | threshold | first stage's own |", "|---|---|---|"]
    lines += [f"| {c} | {t} | {first.get(c, '')} |" for c, t in card.get("thresholds", {}).items()] + [""]
    lines += _second_stage(card.get("second_stage"))
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


def _second_stage(second: dict | None) -> list[str]:
    """The second stage and what a region the model has never seen gets (grouped folds over the regions)."""
    if not second:
        return ["## Second stage", "", "None: this model decides with its first stage's rule.", ""]
    held = second["region_heldout"]
    lines = ["## Second stage: real documents", "", f"- documents: {second['documents']} from {second['regions']} "
             f"regions; annotated corpus rows: {second.get('corpus_rows', 0)}", f"- labels: {second['labels']}",
             f"- method: {second['method']}", "",
             f"### Region-held-out ({held['folds']} grouped folds: no region both learnt from and judged)", "",
             "| documents | rows | macro-F1 | precision | recall | false evidence |", "|---|---|---|---|---|---|"]
    for name in [k for k in held if isinstance(held[k], dict) and "criteria" in held[k]]:
        m = held[name]
        lines.append(f"| {name} | {m['rows']} | {m['macro_f1']} | {m['precision']} | {m['recall']} | "
                     f"{m['false_evidence_documents']} of {m['none_rows']} |")
    lines += ["", "| criterion | precision | recall | F1 | positives | taken |", "|---|---|---|---|---|---|"]
    for criterion, m in held["all"]["criteria"].items():
        lines.append(f"| {criterion} | {m['precision']} | {m['recall']} | {m['f1']} | {m['support']} | "
                     f"{m['predicted']} |")
    return lines + ["", "A criterion with no positive among the real documents has no real-document figure "
                        "(its precision is over what was taken).", ""]
