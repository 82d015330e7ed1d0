"""The OPD upload page's core (issue 16), Prefect- and FastAPI-free: secret links, storing uploads into the inbox,
what an OPD sees of its requests and files, the deadlines calendar and each OPD's progress."""
