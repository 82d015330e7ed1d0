"""The review page: a small FastAPI app over the ledger (`bukti ui`)."""
