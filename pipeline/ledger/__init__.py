"""The ledger, keyed by sha256, the source of truth (ledger); one pass at a time (runlock); backup and restore."""
