"""Log lines: JSON objects in production, text in development, each line of a request
carrying its request id, phone numbers and NIKs masked in both."""

import json
import logging
import sys

import pytest

from app.logs import JsonLineFormatter, TextFormatter, make_formatter
from app.storage.backends import EXTENSION, LocalFolder
from config import DevelopmentConfig, ProductionConfig, TestingConfig


def record(message, *args, request_id=None, exc_info=None, **extra):
    """A record as the app's factory makes it (masking, the request id)."""
    made = logging.getLogger("siap.test").makeRecord(
        "siap.test", logging.WARNING, __file__, 1, message, args, exc_info, extra=extra)
    if request_id:
        made.request_id = request_id
    return made


def test_production_logs_json_and_development_and_tests_text():
    assert ProductionConfig.LOG_FORMAT == "json"
    assert DevelopmentConfig.LOG_FORMAT == "text" and TestingConfig.LOG_FORMAT == "text"
    assert isinstance(make_formatter("json"), JsonLineFormatter)
    assert isinstance(make_formatter("text"), TextFormatter)
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        make_formatter("xml")


def test_a_json_line_parses_and_names_time_level_logger_message_and_request():
    line = JsonLineFormatter().format(record("berkas %s diterima", "PKKPR-NB/2026/000123",
                                             request_id="keluhan-0001"))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "siap.test"
    assert entry["message"] == "berkas PKKPR-NB/2026/000123 diterima"
    assert entry["request_id"] == "keluhan-0001"
    assert entry["time"].endswith("+00:00")


def test_a_json_line_masks_phone_numbers_and_niks_even_in_tracebacks_and_extra_fields():
    try:
        raise ValueError("NIK 3505011204850001 tidak cocok")
    except ValueError:
        exc_info = sys.exc_info()
    line = JsonLineFormatter().format(record(
        "pesan ke %s", "+6281234567890", exc_info=exc_info, recipient="0812-3456-7890"))
    entry = json.loads(line)
    assert "6281234567890" not in line and "3505011204850001" not in line
    assert "81234567890" not in line.replace("-", "")
    assert entry["message"] == "pesan ke +*********7890"
    assert "************0001" in entry["exc_info"]
    assert entry["recipient"] == "****-****-7890"


def test_a_text_line_names_the_request_or_a_dash():
    formatter = TextFormatter()
    assert "[keluhan-0001]: halo" in formatter.format(record("halo", request_id="keluhan-0001"))
    assert "[-]: halo" in formatter.format(record("halo"))
    assert "+*********7890" in formatter.format(record("ke %s", "+6281234567890"))


def test_every_line_logged_during_a_request_carries_its_id(app, client, caplog,
                                                           monkeypatch, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    monkeypatch.setitem(app.extensions, EXTENSION, LocalFolder(not_a_folder))
    response = client.get("/readyz", headers={"X-Request-ID": "keluhan-warga-0003"})
    lines = [r for r in caplog.records if r.name == "app.observability.health"]
    assert lines and all(r.request_id == "keluhan-warga-0003" for r in lines)
    assert response.headers["X-Request-ID"] == "keluhan-warga-0003"


def test_lines_outside_a_request_have_no_id(caplog):
    logging.getLogger("siap.test").warning("tanpa permintaan")
    assert not hasattr(caplog.records[-1], "request_id")
