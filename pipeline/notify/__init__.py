"""E-mail after a nightly pass (issue 16): one message per OPD whose requests changed or whose deadline is near,
and a summary for the coordinator (messages.py); sent over SMTP with TLS, each state once, failures reported and
retried, never failing the pass (send.py)."""
