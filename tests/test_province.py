"""A province on the command line and the review page (BUKTI_INBOX_LAYOUT=region/opd), over a hand-built ledger:
`bukti gaps --region`, `bukti province --format json`, the province page linking each region, and a review taken
on a region's page recorded for that region only."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from fastapi.testclient import TestClient

from flows.cli import main
from pipeline.classify.persist import load_model
from pipeline.gaps.build import build_gaps
from pipeline.ledger.ledger import Ledger
from review.app import create_app

from .test_regions import add

# Tests of intake, ledger, reports and the review page: the model is the keyword stand-in (tests/fake_classifier.py).
pytestmark = pytest.mark.usefixtures("keyword_classifier")


@pytest.fixture
def province_env(cli_env, monkeypatch):
    monkeypatch.setenv("BUKTI_INBOX_LAYOUT", "region/opd")
    settings = dataclasses.replace(cli_env, inbox_layout="region/opd")
    ledger = Ledger(settings.database_url)
    add(ledger, "kota-a/dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.97})
    add(ledger, "kota-b/dinkes/imunisasi.pdf", "a" * 64, {"kesehatan": 0.97})
    ledger.close()
    return settings


def test_cli_gaps_by_region_and_the_province(province_env, capsys):
    assert main(["gaps", "--region", "kota-a", "--format", "json", "--year", "2025"]) == 0
    printed = json.loads(capsys.readouterr().out)
    ledger = Ledger(province_env.database_url)
    expected = build_gaps(ledger, load_model(province_env.model_dir).thresholds, 2025, region="kota-a")
    assert printed == expected.as_json()
    assert [e["path"] for c in printed["criteria"] for e in c["evidence"]] == ["kota-a/dinkes/imunisasi.pdf"]
    assert main(["gaps", "--format", "json"]) == 2  # two regions: which one?
    assert "--region" in capsys.readouterr().err
    assert main(["gaps", "--region", "kota-z"]) == 2
    assert main(["province", "--format", "json", "--year", "2025"]) == 0
    province = json.loads(capsys.readouterr().out)
    assert province["assessment_year"] == 2025
    assert sorted(r["region"] for r in province["regions"]) == ["kota-a", "kota-b"]
    assert all({"id", "status"} == set(c) for r in province["regions"] for c in r["criteria"])


def test_review_page_acts_within_the_region_it_shows(province_env):
    client = TestClient(create_app(province_env), base_url="http://127.0.0.1:8765")
    home = client.get("/").text
    assert 'id="province"' in home and 'href="/wilayah/kota-a/"' in home and 'href="/wilayah/kota-b/"' in home
    assert client.get("/kriteria/kesehatan").status_code == 404  # a province's pages are per region
    assert client.get("/wilayah/kota-z/").status_code == 404
    page = client.get("/wilayah/kota-a/kriteria/kesehatan").text
    sha = re.search(r'href="/wilayah/kota-a/dokumen/([0-9a-f]{64})"', page).group(1)
    doc = client.get(f"/wilayah/kota-a/dokumen/{sha}").text
    assert 'action="/wilayah/kota-a/dokumen/' in doc
    csrf = re.search(r'name="csrf" value="([^"]+)"', doc).group(1)
    posted = client.post(f"/wilayah/kota-a/dokumen/{sha}/tinjau", follow_redirects=False,
                         data={"csrf": csrf, "reviewer": "Sari", "action": "reject", "criterion": "kesehatan",
                               "note": "bukan wilayah ini", "confirm": "ya"})
    assert posted.status_code == 303 and posted.headers["location"] == f"/wilayah/kota-a/dokumen/{sha}"
    ledger = Ledger(province_env.database_url)
    assert [r.region for r in ledger.reviews_of(sha)] == ["kota-a"]
    a = client.get("/wilayah/kota-a/").text
    b = client.get("/wilayah/kota-b/").text
    status = re.compile(r'data-criterion="kesehatan">.*?data-cell="status">([^<]+)<', re.S)
    assert status.search(a).group(1) == "belum ada" and status.search(b).group(1) == "sebagian"
