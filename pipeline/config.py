"""One place for configuration: defaults < config file < ``BUKTI_*`` environment variables.

The config file is TOML, found at ``BUKTI_CONFIG`` or ``./bukti.toml``; its keys are the field names below
(``stable_seconds = 5``). Nothing else in the project reads the environment for its own settings.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import UsageError


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite ledger URL, or None for any other database."""
    prefix = "sqlite:///"
    return Path(database_url.removeprefix(prefix)) if database_url.startswith(prefix) else None


INBOX_LAYOUTS = ("opd", "region/opd")  # see Settings.inbox_layout


class ConfigError(UsageError, ValueError):
    """A setting has a value we cannot use; the message names the setting."""


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


@dataclass(frozen=True)
class Settings:
    home: Path = Path("data")  # ledger, archived originals, reports, Prefect state
    inbox: Path = Path("inbox")
    db_url: str = ""  # empty: SQLite file under `home`
    stable_seconds: float = 5.0  # a file must be unchanged this long before it is read; 0 disables
    ocr_workers: int = field(default_factory=_default_workers)  # one Tesseract process per core
    ocr_languages: str = "ind+eng"
    ocr_timeout: float = 180.0  # seconds per Tesseract call; a page that exceeds it fails alone
    ocr_dpi: int = 300  # render resolution for pages with no embedded scan to take the resolution from
    max_image_pixels: int = 250_000_000  # larger images are quarantined instead of decoded (OCRmyPDF's cap)
    max_render_pixels: int = 40_000_000  # a rendered page is scaled down to at most this many pixels
    max_file_bytes: int = 500_000_000
    # A pass that finds more than this fraction of last pass's files gone (an unmounted share) stops before it
    # changes anything; 1 turns the guard off (`bukti run --accept-removal` does, once).
    max_gone_fraction: float = 0.5
    model_dir: Path = Path(__file__).resolve().parent.parent / "models"  # classify.persist.SHIPPED_MODEL_DIR
    schedule_cron: str = "0 1 * * *"
    schedule_timezone: str = "Asia/Jakarta"
    assessment_year: int = field(default_factory=lambda: dt.date.today().year - 1)
    ui_host: str = "127.0.0.1"
    ui_port: int = 8765
    ui_password: str = ""  # required before the review page listens on anything but loopback
    # Host names the review page answers to, comma-separated, besides the loopback names and ui_host: a page
    # that answers any Host header can be reached from a hostile web page through DNS rebinding.
    ui_allowed_hosts: str = ""
    # OCR on an existing Dask cluster (docs/cluster.md): the scheduler's address, e.g. tcp://10.0.0.5:8786;
    # empty: local worker processes. Workers read originals from the archive folder as they mount it:
    # `worker_originals_dir` when their path differs from `originals_dir` here (empty: the same path).
    dask_address: str = ""
    worker_originals_dir: str = ""
    # How the inbox is laid out: "opd" (inbox/<opd>/..., one region) or "region/opd" (inbox/<region>/<opd>/...,
    # a province: one gap list per region, and a province summary).
    inbox_layout: str = "opd"
    # The region's OPD table (pipeline/opd.py): empty means BUKTI_HOME/opd.toml, else the shipped sample city's.
    # Under region/opd each region may have its own, BUKTI_HOME/opd/<region>.toml.
    opd_file: str = ""
    # Where people who receive a report reach the review page (http://bukti.pemkot.go.id:8765): every link in
    # the reports points there, to a file by its hash. Empty: http://<ui_host>:<ui_port>, which only this
    # machine opens, and the reports say so.
    public_url: str = ""
    # The OPD upload page (issue 16): the largest file it takes, and how many requests a minute one client may
    # make to upload links (a wrong link counts too: guessing links is what the limit is for).
    upload_max_bytes: int = 50_000_000
    upload_rate_per_minute: int = 30
    # The assessment's calendar (pipeline/portal/deadlines.py): a JSON list, or in bukti.toml a list of tables,
    # of {date, name, name_en, opd}; `opd = true` marks the date OPDs must have sent their files by. Empty: the
    # assessment's stages for the year after `assessment_year` (OPDs by 15 March, the region's data to the Kanwil
    # by 31 March, the Kanwil's entry by 15 May).
    deadlines: str = ""
    reminder_days: int = 7  # an OPD whose deadline is this close gets a reminder even if nothing changed
    # The nightly run writes the request letters when the requests changed (about 1 s per OPD: the PDF embeds
    # its font); off, only `bukti letters` writes them.
    nightly_letters: bool = True
    # The request letters' letterhead and signature (pipeline/letters/): empty fields are left out; the
    # government line defaults to the OPD table's region name.
    letter_government: str = ""
    letter_unit: str = "SEKRETARIAT DAERAH - BAGIAN HUKUM"
    letter_address: str = ""
    letter_place: str = ""  # where the letter is signed (the city's name); default: the region's name
    letter_number: str = "180/{seq}/Hukum/{year}"  # {seq}: the OPD's number among the letters, {year}: this year
    signer_name: str = ""
    signer_title: str = "Kepala Bagian Hukum"
    signer_nip: str = ""
    # E-mail after a nightly run (pipeline/notify/): nothing is sent while smtp_host is empty. smtp_tls is
    # "starttls" (port 587), "ssl" (implicit TLS, port 465) or "none" (only for a relay on this machine);
    # smtp_ca_file trusts a private CA besides the system's.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_tls: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_ca_file: str = ""
    smtp_retries: int = 3
    smtp_retry_seconds: float = 5.0  # the pause before the second try; doubled before each next one
    mail_from: str = ""
    coordinator_email: str = ""
    # Which Tesseract reads pages (pipeline/extract/engine.py): auto (tesserocr in the worker, else the command),
    # library, or command. It travels to each OCR worker inside the page job, so a worker needs no variable.
    ocr_engine: str = "auto"
    # Tesseract's language data folder; empty: the one `tesseract --list-langs` names. Read from Tesseract's own
    # variable TESSDATA_PREFIX (also BUKTI_TESSDATA_PREFIX), here and nowhere else.
    tessdata_prefix: str = ""
    debug: bool = False  # BUKTI_DEBUG=1: an unexpected error prints its traceback

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{(self.home / 'bukti.sqlite3').resolve()}"

    @property
    def opd_table_file(self) -> Path:
        return Path(self.opd_file).expanduser() if self.opd_file else self.home / "opd.toml"

    @property
    def region_opd_dir(self) -> Path:
        return self.home / "opd"

    @property
    def link_base(self) -> str:
        """The review page's address as the reports link to it (no trailing slash)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.ui_host in ("0.0.0.0", "::", "") else self.ui_host
        return f"http://{host}:{self.ui_port}"

    @property
    def originals_dir(self) -> Path:
        return self.home / "originals"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def trust_file(self) -> Path:
        """Hashes of models trained or trusted on this machine (beside the ledger, not beside the models)."""
        return self.home / "trusted-models.txt"

    @property
    def prefect_home(self) -> Path:
        return self.home / "prefect"


def _coerce(name: str, raw: object, typ: type) -> object:
    try:
        if typ is Path:
            return Path(str(raw)).expanduser()
        if typ is int:
            return int(raw)  # type: ignore[arg-type]
        if typ is bool:
            if isinstance(raw, bool):
                return raw
            if str(raw).strip().lower() in ("1", "true", "yes", "ya", "on"):
                return True
            if str(raw).strip().lower() in ("0", "false", "no", "tidak", "off", ""):
                return False
            raise ValueError(raw)
        if typ is float:
            return float(raw)  # type: ignore[arg-type]
        if name == "deadlines" and isinstance(raw, list):  # bukti.toml's [[deadlines]] tables, kept as JSON
            import json
            return json.dumps(raw, default=str, ensure_ascii=False)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name} has an invalid value {raw!r} (expected {typ.__name__})") from exc


_TYPES = {"home": Path, "inbox": Path, "model_dir": Path, "db_url": str, "stable_seconds": float,
          "ocr_workers": int, "ocr_languages": str, "ocr_timeout": float, "ocr_dpi": int,
          "max_image_pixels": int, "max_render_pixels": int, "max_file_bytes": int, "max_gone_fraction": float,
          "schedule_cron": str, "schedule_timezone": str, "assessment_year": int,
          "ui_host": str, "ui_port": int, "ui_password": str,
          "ui_allowed_hosts": str, "dask_address": str, "worker_originals_dir": str,
          "inbox_layout": str, "opd_file": str, "public_url": str,
          "upload_max_bytes": int, "upload_rate_per_minute": int, "deadlines": str, "reminder_days": int,
          "nightly_letters": bool,
          "letter_government": str, "letter_unit": str, "letter_address": str, "letter_place": str,
          "letter_number": str, "signer_name": str, "signer_title": str, "signer_nip": str,
          "smtp_host": str, "smtp_port": int, "smtp_tls": str, "smtp_user": str, "smtp_password": str,
          "smtp_ca_file": str, "smtp_retries": int, "smtp_retry_seconds": float, "mail_from": str, "coordinator_email": str,
          "ocr_engine": str, "tessdata_prefix": str, "debug": bool}
SMTP_TLS = ("starttls", "ssl", "none")

OCR_ENGINES = ("auto", "library", "command")


def load_settings(env: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from the config file, then ``BUKTI_<NAME>`` variables, then explicit overrides."""
    env = dict(os.environ if env is None else env)
    values: dict[str, object] = {}
    config_path = Path(env.get("BUKTI_CONFIG", "bukti.toml"))
    if config_path.is_file():
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {config_path} is not valid TOML: {exc}") from exc
        unknown = set(data) - set(_TYPES)
        if unknown:
            raise ConfigError(f"config file {config_path} has unknown settings: {', '.join(sorted(unknown))}")
        values.update(data)
    elif "BUKTI_CONFIG" in env:
        raise ConfigError(f"BUKTI_CONFIG points to {config_path}, which does not exist")
    for name in _TYPES:
        key = f"BUKTI_{name.upper()}"
        if env.get(key, "") != "":
            values[name] = env[key]
    if env.get("TESSDATA_PREFIX") and "tessdata_prefix" not in values:  # Tesseract's own name for it
        values["tessdata_prefix"] = env["TESSDATA_PREFIX"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**{k: _coerce(k, v, _TYPES[k]) for k, v in values.items()})
    if settings.ocr_workers < 1:
        raise ConfigError("setting ocr_workers must be at least 1")
    if not 0 < settings.max_gone_fraction:
        raise ConfigError("setting max_gone_fraction must be above 0 (1 or more turns the guard off)")
    if settings.stable_seconds < 0:
        raise ConfigError("setting stable_seconds must not be negative")
    if settings.public_url and not settings.public_url.startswith(("http://", "https://")):
        raise ConfigError(f"setting public_url must start with http:// or https://, not {settings.public_url!r}")
    if settings.ocr_engine.strip().lower() not in OCR_ENGINES:
        raise ConfigError(f"setting ocr_engine (BUKTI_OCR_ENGINE) must be one of {', '.join(OCR_ENGINES)}, not "
                          f"{settings.ocr_engine!r}")
    if settings.inbox_layout not in INBOX_LAYOUTS:
        raise ConfigError(f"setting inbox_layout must be one of {', '.join(INBOX_LAYOUTS)}, not "
                          f"{settings.inbox_layout!r}")
    if settings.smtp_tls not in SMTP_TLS:
        raise ConfigError(f"setting smtp_tls must be one of {', '.join(SMTP_TLS)}, not {settings.smtp_tls!r}")
    if settings.upload_max_bytes < 1:
        raise ConfigError("setting upload_max_bytes must be at least 1")
    return settings

