"""The upload page's ledger rows on SQLite and PostgreSQL (revision 5): a link found only by its token's hash and
not once revoked, uploads of one OPD apart from another's, a later answer to a request superseding the earlier
ones of that OPD only, e-mail states remembered per recipient."""

from __future__ import annotations

from pipeline.ledger.ledger import Ledger


def test_links_uploads_and_notices(ledger_url):
    ledger = Ledger(ledger_url)
    try:
        dinkes = ledger.add_link("dinkes", "a" * 64)
        bapenda = ledger.add_link("bapenda", "b" * 64)
        assert ledger.link_by_token_hash("a" * 64) == dinkes and ledger.link_by_token_hash("c" * 64) is None
        first = ledger.add_upload(dinkes, "lama.pdf", "dinkes/lama.pdf", "1" * 64, 10, "10.0.0.1", "kesehatan",
                                  "hasil")
        other = ledger.add_upload(bapenda, "x.pdf", "bapenda/x.pdf", "2" * 64, 10, "10.0.0.2", "kesehatan",
                                  "hasil")
        new = [ledger.add_upload(dinkes, n, f"dinkes/{n}", "3" * 64, 10, "10.0.0.1", "kesehatan", "hasil")
               for n in ("baru-1.pdf", "baru-2.pdf")]
        assert ledger.supersede(dinkes, "kesehatan", "hasil", new) == 1
        rows = {u.name: u.superseded_by for u in ledger.uploads_of("dinkes")}
        assert rows == {"lama.pdf": new[0].id, "baru-1.pdf": None, "baru-2.pdf": None}
        assert [u.id for u in ledger.uploads_of("bapenda")] == [other.id] and other.superseded_by is None
        assert first.address == "10.0.0.1" and first.uploaded_at is not None

        assert ledger.revoke_links("dinkes") == 1
        assert ledger.link_by_token_hash("a" * 64) is None and ledger.link_by_token_hash("b" * 64) == bapenda

        assert not ledger.notice_sent("dinkes@x", "s1")
        ledger.record_notice("dinkes@x", "s1")
        assert ledger.notice_sent("dinkes@x", "s1") and not ledger.notice_sent("bapenda@x", "s1")
    finally:
        ledger.close()
