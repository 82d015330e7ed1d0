"""Training and evaluation: never imported by the nightly run. The corpus, synthetic documents, the OCR-noise
model, `bukti train` and `bukti eval`."""
