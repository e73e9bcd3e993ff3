"""Logging: JSON lines in production or text, quieter libraries, the request id on every
line of a request, and no phone number (nor NIK) in any line.

Masking happens where every log record is made (a record factory), so it covers every
logger and handler: the app's, the libraries', gunicorn's when it logs through Python's
logging. An Indonesian mobile number, however written, and any run of nine or more
digits keep their last four digits: +62********7890, 08**-****-7890. The formatters mask
the finished line once more, for what the factory does not see (a traceback, extra
fields).

LOG_FORMAT chooses the formatter: `json` (production's default; python-json-logger, one
object a line: time, level, logger, message, request_id) or `text` (development)."""

import logging
import re

from flask import has_request_context
from pythonjsonlogger.json import JsonFormatter

from app.observability.request_id import current_request_id

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# The record's attributes a JSON line starts with, and their names there; the request id
# follows when the line was logged during a request.
JSON_FIELDS = "%(levelname)s %(name)s %(message)s"
JSON_NAMES = {"levelname": "level", "name": "logger"}
NUMBERS = re.compile(
    r"(?<![\w.])(?:"
    r"(?:\+?62|0)[\s-]?8(?:[\s-]?\d){7,12}"  # a mobile number: +62 812-3456-7890, 0812…
    r"|\+?\d{9,}"  # a NIK, a phone number in E.164, any long number
    r")(?![\w.])")
QUIET = {
    "flask_appbuilder": logging.WARNING,  # every permission it creates, at INFO
    "alembic.runtime.plugins": logging.WARNING,
    "fontTools": logging.ERROR,  # subsetting chatter per PDF
    "twilio.http_client": logging.WARNING,  # every request, at INFO
}


def _keep_last_four_digits(match):
    text = match.group(0)
    hide = sum(ch.isdigit() for ch in text) - 4
    masked = []
    for ch in text:
        if ch.isdigit() and hide > 0:
            masked.append("*")
            hide -= 1
        else:
            masked.append(ch)
    return "".join(masked)


def mask_numbers(text):
    return NUMBERS.sub(_keep_last_four_digits, text)


def _masking(factory):
    def make_record(*args, **kwargs):
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: leave it to the handler
            return record
        record.msg, record.args = mask_numbers(message), None
        if has_request_context():
            record.request_id = current_request_id()
        return record

    make_record.masks_numbers = True
    return make_record


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__(LOG_FORMAT, defaults={"request_id": "-"})

    def format(self, record):
        return mask_numbers(super().format(record))


class JsonLineFormatter(JsonFormatter):
    def __init__(self):
        super().__init__(JSON_FIELDS, rename_fields=JSON_NAMES, timestamp="time",
                         json_ensure_ascii=False)

    def format(self, record):
        return mask_numbers(super().format(record))


FORMATTERS = {"json": JsonLineFormatter, "text": TextFormatter}


def make_formatter(log_format="text"):
    """The formatter LOG_FORMAT names (also for gunicorn's logconfig_dict)."""
    try:
        return FORMATTERS[log_format]()
    except KeyError:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATTERS)}, "
                         f"not {log_format!r}") from None


def configure_logging(log_format="text"):
    """Log to stderr in `log_format` unless someone configured the root logger already
    (gunicorn's logconfig_dict in deploy/gunicorn.conf.py, pytest): then theirs stays."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.siap_handler = True
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    for handler in root.handlers:
        if getattr(handler, "siap_handler", False):
            handler.setFormatter(make_formatter(log_format))
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "masks_numbers", False):
        logging.setLogRecordFactory(_masking(factory))
