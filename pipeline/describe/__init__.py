"""Description: each document's evidence type (struktur, proses, hasil) and period, by rules (evidence, dates, opening)."""
