from pathlib import Path

import pytest

from pipeline.config import ConfigError, load_settings


def test_env_overrides_config_file(tmp_path: Path):
    cfg = tmp_path / "bukti.toml"
    cfg.write_text('stable_seconds = 9\nocr_languages = "ind"\n')
    s = load_settings(env={"BUKTI_CONFIG": str(cfg), "BUKTI_STABLE_SECONDS": "0", "BUKTI_HOME": str(tmp_path)})
    assert s.stable_seconds == 0.0
    assert s.ocr_languages == "ind"
    assert s.database_url == f"sqlite:///{(tmp_path / 'bukti.sqlite3').resolve()}"


def test_invalid_value_names_the_setting():
    with pytest.raises(ConfigError, match="stable_seconds"):
        load_settings(env={"BUKTI_STABLE_SECONDS": "soon"})


def test_unknown_key_in_file_is_refused(tmp_path: Path):
    cfg = tmp_path / "bukti.toml"
    cfg.write_text("stabel_seconds = 1\n")
    with pytest.raises(ConfigError, match="stabel_seconds"):
        load_settings(env={"BUKTI_CONFIG": str(cfg)})


def test_missing_config_file_named_by_env_is_an_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(env={"BUKTI_CONFIG": str(tmp_path / "nope.toml")})


def test_assessment_year_defaults_to_previous_year():
    import datetime as dt
    assert load_settings(env={}).assessment_year == dt.date.today().year - 1


def test_inbox_layout_defaults_to_one_region_and_is_validated():
    assert load_settings(env={}).inbox_layout == "opd"
    assert load_settings(env={"BUKTI_INBOX_LAYOUT": "region/opd"}).inbox_layout == "region/opd"
    with pytest.raises(ConfigError, match="inbox_layout"):
        load_settings(env={"BUKTI_INBOX_LAYOUT": "opd/region"})


def test_the_nightly_letters_switch_reads_yes_and_no_and_refuses_anything_else():
    assert load_settings(env={"BUKTI_NIGHTLY_LETTERS": "tidak"}).nightly_letters is False
    assert load_settings(env={"BUKTI_NIGHTLY_LETTERS": "true"}).nightly_letters is True
    with pytest.raises(ConfigError, match="nightly_letters"):
        load_settings(env={"BUKTI_NIGHTLY_LETTERS": "kadang"})


def test_smtp_tls_is_one_of_the_known_modes():
    assert load_settings(env={}).smtp_tls == "starttls"
    with pytest.raises(ConfigError, match="smtp_tls"):
        load_settings(env={"BUKTI_SMTP_TLS": "maybe"})
