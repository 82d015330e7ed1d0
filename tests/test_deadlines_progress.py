"""Deadlines and progress (issue 16): the calendar from configuration (default: the assessment's stages for the
year after the assessment year), the countdown, and per OPD requests open / answered / evidence accepted on the
review page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from pipeline.config import ConfigError, load_settings
from pipeline.ledger.ledger import Ledger
from pipeline.opd import opd_table_for
from pipeline.portal.deadlines import calendar, next_deadline, opd_deadline
from pipeline.portal.links import issue_link
from review.app import create_app

from .makers import digital_pdf

pytestmark = pytest.mark.usefixtures("keyword_classifier")


def test_the_default_calendar_is_the_assessments_stages_of_the_next_year():
    stages = calendar(load_settings(env={}, assessment_year=2025))
    assert [(d.date, d.for_opds) for d in stages] == [
        (dt.date(2026, 3, 15), True), (dt.date(2026, 3, 31), False), (dt.date(2026, 5, 15), False)]
    assert "Kanwil" in stages[1].name
    assert opd_deadline(stages, dt.date(2026, 3, 20)).date == dt.date(2026, 3, 31)  # past the OPDs' date
    assert next_deadline(stages, dt.date(2026, 6, 1)) is None


def test_a_calendar_from_the_config_file(tmp_path):
    config = tmp_path / "bukti.toml"
    config.write_text('[[deadlines]]\ndate = 2027-02-28\nname = "Batas OPD"\nopd = true\n'
                      '[[deadlines]]\ndate = 2027-01-31\nname = "Rapat koordinasi"\n', encoding="utf-8")
    stages = calendar(load_settings(env={"BUKTI_CONFIG": str(config)}))
    assert [(d.date, d.name, d.for_opds) for d in stages] == [
        (dt.date(2027, 1, 31), "Rapat koordinasi", False), (dt.date(2027, 2, 28), "Batas OPD", True)]
    with pytest.raises(ConfigError):
        calendar(load_settings(env={"BUKTI_DEADLINES": '[{"name": "no date"}]'}))


def test_the_review_page_counts_down_and_shows_each_opds_progress(reviewed, tmp_path):
    today = dt.date.today()
    settings = dataclasses.replace(reviewed, deadlines=json.dumps([
        {"date": (today + dt.timedelta(days=12)).isoformat(), "name": "Batas OPD", "opd": True},
        {"date": (today - dt.timedelta(days=3)).isoformat(), "name": "Rapat awal"}]))
    ledger = Ledger(settings.database_url)
    token = issue_link(ledger, opd_table_for(settings), "dindukcapil", "http://127.0.0.1:8765").token
    client = TestClient(create_app(settings), base_url="http://127.0.0.1:8765")
    page = client.get(f"/unggah/{token}").text
    request = re.findall(r'data-request="([^"]+)"', page)[0]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    body = digital_pdf(tmp_path / "a.pdf", "laporan akta kelahiran").read_bytes()
    client.post(f"/unggah/{token}", data={"csrf": csrf, "permintaan": request},
                files=[("berkas", ("a.pdf", io.BytesIO(body), "application/pdf"))])

    home = client.get("/").text
    countdown = dict(re.findall(r'<tr data-deadline="([\d-]+)"[^>]*>.*?data-cell="countdown">([^<]+)</td>', home,
                                re.S))
    assert countdown == {(today + dt.timedelta(days=12)).isoformat(): "12 hari lagi",
                         (today - dt.timedelta(days=3)).isoformat(): "lewat"}
    rows = {opd: (int(o), int(a), int(c)) for opd, o, a, c in re.findall(
        r'<tr data-opd="([\w-]+)">.*?data-cell="open">(\d+)</td>\s*<td data-cell="answered">(\d+)</td>'
        r'<td data-cell="accepted">(\d+)</td>', home, re.S)}
    from .test_letters import _gaps

    asked = _gaps(settings).requests_by_opd()
    assert rows["dindukcapil"] == (len(asked["dindukcapil"]) - 1, 1, 0)
    assert rows["dinkes"][2] >= 1 and rows["dinkes"][1] == 0  # the health report counts
    assert "12 days left" in client.get("/?lang=en").text


def test_the_requests_page_says_which_opds_have_an_upload_link(reviewed):
    ledger = Ledger(reviewed.database_url)
    token = issue_link(ledger, opd_table_for(reviewed), "dinkes", "http://127.0.0.1:8765").token
    page = TestClient(create_app(reviewed), base_url="http://127.0.0.1:8765").get("/permintaan").text
    linked = dict(re.findall(r'<section class="letter" data-opd="([\w-]+)".*?data-linked="(\w+)"', page, re.S))
    assert linked["dinkes"] == "yes" and set(linked.values()) == {"yes", "no"}
    assert token not in page and "bukti opd link dindukcapil" in page
