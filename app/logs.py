"""Logging: one format, quieter libraries, and no phone number (nor NIK) in any line.

Masking happens where every log record is made (a record factory), so it covers every
logger and handler: the app's, the libraries', gunicorn's when it logs through Python's
logging. An Indonesian mobile number, however written, and any run of nine or more
digits keep their last four digits: +62********7890, 08**-****-7890."""

import logging
import re

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
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
        return record

    make_record.masks_numbers = True
    return make_record


def configure_logging():
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "masks_numbers", False):
        logging.setLogRecordFactory(_masking(factory))
