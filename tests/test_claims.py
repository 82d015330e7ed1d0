"""Document claims on SQLite and PostgreSQL: two processes claiming the same 200 documents at once get each one
exactly once; a crashed run's claims are taken over when their lease ends; storing or rejecting releases."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.ledger.ledger import Ledger, documents

from .ledger_processes import run_together

SHAS = [f"{i:064x}" for i in range(200)]


@pytest.fixture
def ledger(ledger_url):
    ledger = Ledger(ledger_url)
    with ledger.begin() as conn:
        for sha in SHAS:
            ledger.add_document(conn, sha256=sha, kind="pdf", size=1)
    yield ledger
    ledger.close()


def test_two_processes_claiming_the_same_documents_get_each_once(ledger, ledger_url, tmp_path):
    # Small batches in opposite orders, so that the two runs meet in the middle many times.
    results = run_together(tmp_path, ledger_url, "from pipeline.ledger.ledger import Ledger", """
ledger = Ledger(url)
run, shas = args
got = []
for start in range(0, len(shas), 10):
    got += sorted(ledger.claim_documents(run, shas[start:start + 10], lease_seconds=600))
ledger.close()
print(json.dumps(got))
""", [["run-a", SHAS], ["run-b", SHAS[::-1]]])
    a, b = (set(r) for r in results)
    assert not a & b and a | b == set(SHAS)
    assert {sha: run for sha, (run, _) in ledger.claims().items()} == {**{s: "run-a" for s in a},
                                                                      **{s: "run-b" for s in b}}


def test_a_live_claim_is_skipped_and_an_expired_one_taken_over(ledger):
    assert ledger.claim_documents("run-a", SHAS[:10], lease_seconds=600) == set(SHAS[:10])
    assert ledger.claim_documents("run-b", SHAS[:20], lease_seconds=600) == set(SHAS[10:20])
    assert ledger.claim_documents("run-a", SHAS[:5]) == set(SHAS[:5])  # its own: renewed
    # run-a crashed: its lease ends, and run-b takes its documents over.
    with ledger.begin() as conn:
        conn.execute(documents.update().where(documents.c.claimed_by == "run-a")
                     .values(claimed_until=dt.datetime(2026, 1, 1)))
    assert ledger.claim_documents("run-b", SHAS[:20]) == set(SHAS[:20])
    assert {run for run, _ in ledger.claims().values()} == {"run-b"}


def test_released_stored_and_rejected_documents(ledger):
    ledger.claim_documents("run-a", SHAS[:3])
    ledger.store_extraction(SHAS[0], [], "teks", "teks", "3")
    ledger.reject(SHAS[1], "quarantined", "empty", "kosong", "empty")
    assert set(ledger.claims()) == {SHAS[2]}
    # Read (or rejected) documents are no longer pending: nobody claims them again.
    assert ledger.claim_documents("run-b", SHAS[:3]) == set()
    ledger.release_claims("run-a", [SHAS[2]])
    assert ledger.claim_documents("run-b", SHAS[:3]) == {SHAS[2]}
    ledger.claim_documents("run-b", SHAS[3:6])
    ledger.release_claims("run-b")  # all of them, as a failed run does
    assert ledger.claims() == {}

