"""The one place where an applicant's requests about their personal data are reported
once done: the export of everything the office holds about them, and the deletion of
their account. Today the report is a log line (the account's id, never its data); the
audit log records these events here."""

import logging

log = logging.getLogger("siap.personal_data")

EXPORTED = "personal_data_exported"
ACCOUNT_DELETED = "account_deleted"


def personal_data_event(event, user_id, **details):
    """`event` (EXPORTED or ACCOUNT_DELETED) happened for the account `user_id`, with
    counts in `details` (files, documents) — never personal values."""
    log.info("%s user_id=%s %s", event, user_id,
             " ".join(f"{name}={value}" for name, value in sorted(details.items())))
