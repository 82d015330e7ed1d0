"""`bukti opd link` (the OPD upload page's secret links) and `bukti letters` (request letters)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_common import UserError, _settings


def cmd_opd_link(args: argparse.Namespace) -> int:
    from pipeline.ledger.ledger import Ledger
    from pipeline.opd import opd_table_for
    from pipeline.portal.links import LinkError, issue_link, revoke

    settings = _settings(args)
    region = args.region or ""
    opds = opd_table_for(settings, region or None)
    ledger = Ledger(settings.database_url)
    try:
        if args.revoke:
            n = revoke(ledger, opds, args.opd, region)
            print(f"{n} tautan dicabut / link(s) revoked")
            return 0
        issued = issue_link(ledger, opds, args.opd, settings.link_base, region)
    except LinkError as exc:
        raise UserError(str(exc)) from exc
    finally:
        ledger.close()
    # The only time the link is shown: the ledger keeps its hash alone.
    print(f"Tautan unggah untuk {opds.label(issued.link.opd)} (tautan lama dicabut; simpan, tidak dapat "
          f"ditampilkan lagi) / upload link (old one revoked; keep it, it cannot be shown again):")
    print(issued.url)
    return 0


def cmd_letters(args: argparse.Namespace) -> int:
    from pipeline.letters.write import letters_dir, write_letters
    from pipeline.portal.links import issue_link

    from .cli_gaps import _current_gaps

    settings, ledger, gaps = _current_gaps(args)
    links = None
    if args.with_links:  # new links, so that each letter can carry its own (the ledger keeps only hashes)
        links = {opd: issue_link(ledger, gaps.opds, opd, settings.link_base, gaps.region).url
                 for opd in gaps.requests_by_opd() if gaps.opds.by_id(opd)}
    folder = Path(args.output) if args.output else letters_dir(settings, gaps.region)
    paths = write_letters(settings, gaps, folder, links=links)
    if not paths:
        print("Tidak ada permintaan: tidak ada surat / no requests, no letters")
        return 0
    print(f"{len(paths) // 2} surat ditulis ke / letters written to {folder}"
          + (" (tautan baru; tautan lama dicabut / new links; old ones revoked)" if links else ""))
    return 0


def add_portal_commands(sub, common) -> None:
    letters = sub.add_parser("letters", parents=[common], help="surat permintaan per OPD / request letters")
    letters.add_argument("-o", "--output", help="folder (default BUKTI_HOME/letters)")
    letters.add_argument("--with-links", action="store_true",
                         help="issue a new upload link per OPD (revoking the old) and print it in its letter")
    letters.add_argument("--year", type=int, help="assessment year (default BUKTI_ASSESSMENT_YEAR or last year)")
    letters.add_argument("--region", help="the region's letters (BUKTI_INBOX_LAYOUT=region/opd)")
    letters.set_defaults(func=cmd_letters)

    opd = sub.add_parser("opd", parents=[common], help="tautan unggah OPD / the OPD upload page's links")
    opd_sub = opd.add_subparsers(dest="opd_command", required=True)
    link = opd_sub.add_parser("link", parents=[common], help="a new secret upload link for one OPD (or --revoke)")
    link.add_argument("opd", help="the OPD (id, folder, short name or alias in the OPD table)")
    link.add_argument("--revoke", action="store_true", help="revoke its link, make none")
    link.add_argument("--region", help="the region (BUKTI_INBOX_LAYOUT=region/opd)")
    link.set_defaults(func=cmd_opd_link)
