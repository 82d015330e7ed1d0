"""`bukti gaps`, `bukti report`, `bukti province`: the gap list, its reports and the province summary, built through
the judging stages (pipeline/process.py) for the whole ledger, one region (`--region`) or every region."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.config import load_settings

from .cli_common import UserError, _settings


def _region_option(args: argparse.Namespace, ledger) -> str | None:
    """The region a command acts in: None for a single-region inbox (the whole ledger), else `--region`, or the
    only region there is. A province with several regions needs `--region`; the error lists them."""
    wanted = getattr(args, "region", None)
    settings = _settings(args)
    if settings.inbox_layout == "opd":
        if wanted:
            raise UserError("--region butuh BUKTI_INBOX_LAYOUT=region/opd / --region needs "
                            "BUKTI_INBOX_LAYOUT=region/opd (inbox/<region>/<opd>/...)")
        return None
    regions = ledger.regions()
    if wanted is not None:
        wanted = wanted.strip().lower()  # region folders are read in lower case, as OPD folders are
        if wanted not in regions:
            raise UserError(f"wilayah {wanted!r} tidak ada / no region {wanted!r}; regions: "
                            f"{', '.join(regions) or '-'}")
        return wanted
    if len(regions) == 1:
        return regions[0]
    if getattr(args, "command", None) == "documents":
        return None  # a listing of the whole province is still useful; it shows each file's region
    raise UserError(f"sebutkan wilayah dengan --region / name a region with --region ({', '.join(regions) or '-'})"
                    "; `bukti province` summarises them all")


def _open_for_judging(args: argparse.Namespace):
    """(settings, ledger, model) for the judging stages (pipeline/process.py), which classify and describe what
    a new model or new rules have not seen, from stored text (no OCR), before the gap list is built."""
    from pipeline.classify.persist import load_model
    from pipeline.ledger.ledger import Ledger

    settings = load_settings(inbox=args.inbox, assessment_year=args.year)
    model = load_model(settings.model_dir, settings.trust_file, deferred=True)  # rebuilt only if something is new
    return settings, Ledger(settings.database_url), model


def _current_gaps(args: argparse.Namespace):
    """The gap list from the ledger as it is: of the whole ledger for a single-region inbox, of one region
    (`--region`) for a province."""
    from pipeline.process import judge_documents

    settings, ledger, model = _open_for_judging(args)
    from pipeline.opd import opd_table_for

    region = _region_option(args, ledger)
    _, gaps = judge_documents(ledger, model, settings.assessment_year, region=region,
                              opds=opd_table_for(settings, region))
    return settings, ledger, gaps


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.reports.data import report_data
    from pipeline.reports.html import write_html
    from pipeline.reports.write import report_stem
    from pipeline.reports.xlsx import write_xlsx

    settings, ledger, gaps = _current_gaps(args)
    out = Path(args.output) if args.output else settings.reports_dir / f"{report_stem(gaps, args.lang)}.{args.format}"
    writer = write_xlsx if args.format == "xlsx" else write_html
    # Links go to the review page (BUKTI_PUBLIC_URL), never to a path of this machine: the report travels by mail.
    writer(report_data(ledger, gaps), out, args.lang, settings.link_base)
    print(f"Laporan ditulis / report written: {out}")
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    from flows.output import gaps_table, print_json, print_table
    from pipeline.gaps.build import gaps_csv, gaps_markdown

    _, _, gaps = _current_gaps(args)
    if args.format == "json":
        print_json(gaps.as_json())
    elif args.format == "md":
        print(gaps_markdown(gaps), end="")
    elif args.format == "csv":
        print(gaps_csv(gaps), end="")
    else:
        print_table(gaps_table(gaps))
    return 0


def cmd_province(args: argparse.Namespace) -> int:
    """Every region's completeness side by side, regions at risk first (pipeline/gaps/province.py)."""
    from flows.output import print_json, print_table, province_table
    from pipeline.gaps.province import province_markdown
    from pipeline.process import judge_province

    settings, ledger, model = _open_for_judging(args)
    from pipeline.opd import opd_table_for

    _, province = judge_province(ledger, model, settings.assessment_year,
                                 opds_of=lambda r: opd_table_for(settings, r))
    if args.format in ("xlsx", "html"):
        from pipeline.reports.province import province_stem, write_province_html, write_province_xlsx
        out = Path(args.output) if args.output else \
            settings.reports_dir / f"{province_stem(province.assessment_year, args.lang)}.{args.format}"
        (write_province_xlsx if args.format == "xlsx" else write_province_html)(province, out, args.lang)
        print(f"Ringkasan provinsi ditulis / province summary written: {out}")
    elif args.format == "json":
        print_json(province.as_json())
    elif args.format == "md":
        print(province_markdown(province), end="")
    else:
        print_table(province_table(province))
    return 0
