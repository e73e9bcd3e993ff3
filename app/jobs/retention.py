"""Personal documents past their retention (UU 27/2022): the files an applicant uploaded
for the requirements of a file (KTP, NPWP, proof of land ownership...), and the earlier
versions they replaced, are deleted PERSONAL_DOCUMENT_RETENTION_YEARS after the file
ended. The decree, the SKRD and every other document issued on the file, its data, its
history and the register stay: they are the office's archive.

A file ends when its workflow finishes it (a final state of its definition: granted,
refused, withdrawn, cancelled, lapsed; the engine sets `finished_at`); a permit still in
force ends with its validity, a revoked one at its revocation. Each file is one action
(key `retensi:<file>`), taken once: its document rows stay, each marked `purged_at`, the
file is marked `uploads_purged_at` (the job's index skips it from then on), and the
stored files are deleted once the action's transaction commits. A pass takes at most
PERSONAL_DOCUMENT_RETENTION_BATCH files, the longest ended first; the next pass goes on."""

import logging
from datetime import date

from flask import current_app
from sqlalchemy import and_, exists, or_, select

from app.documents.formatting import tanggal
from app.errors import Conflict
from app.extensions import db
from app.jobs.base import Due
from app.office_time import day_starts_at, office_date
from app.workflow.engine import remove_after_commit
from app.workflow.registry import status_in
from models import Application, ApplicationDocument, Decree, DocumentVersion
from models.decree import DecreeStatus

JOB = "personal_document_retention"

log = logging.getLogger(__name__)


def years_before(day, years):
    """The same calendar date `years` earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def _keeps_running(cutoff_day, cutoff):
    """SQL: the file's permit was still in force, or revoked, on or after the cutoff."""
    return exists().where(Decree.application_id == Application.id, or_(
        and_(Decree.status == DecreeStatus.BERLAKU.value, Decree.valid_until >= cutoff_day),
        and_(Decree.status == DecreeStatus.DICABUT.value, Decree.revoked_at >= cutoff)))


def ended_before(cutoff_day):
    """SQL condition on Application: a finished file whose uploads are not deleted yet,
    ended before the office's date `cutoff_day`."""
    cutoff = day_starts_at(cutoff_day)
    return and_(Application.uploads_purged_at.is_(None), Application.finished_at < cutoff,
                status_in("terminal"), ~_keeps_running(cutoff_day, cutoff))


def personal_document_retention(now):
    years = current_app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"]
    if years < 1:  # a typo must not delete every finished file's documents
        log.error("PERSONAL_DOCUMENT_RETENTION_YEARS is %s: at least 1; nothing deleted", years)
        return
    cutoff_day = years_before(office_date(now), years)
    files = db.session.execute(
        select(Application.id, Application.registration_number, Application.finished_at)
        .where(ended_before(cutoff_day))
        .order_by(Application.finished_at, Application.id)
        .limit(current_app.config["PERSONAL_DOCUMENT_RETENTION_BATCH"])).all()
    for application_id, registration_number, finished_at in files:
        uploads = _uploads_of(application_id)
        yield Due(
            job=JOB, key=f"retensi:{application_id}",
            summary=f"masa simpan {years} tahun dokumen pribadi berakhir (berkas selesai "
                    f"{tanggal(office_date(finished_at))}): {len(uploads)} berkas dihapus",
            act=_purge(application_id, cutoff_day, now), application_id=application_id,
            registration_number=registration_number)


def _uploads_of(application_id):
    """The applicant's uploads of a file that still have a stored file: the current
    document of each requirement and the earlier versions it replaced."""
    documents = db.session.scalars(select(ApplicationDocument).where(
        ApplicationDocument.application_id == application_id,
        ApplicationDocument.stored_name.is_not(None))).all()
    versions = db.session.scalars(
        select(DocumentVersion).join(ApplicationDocument)
        .where(ApplicationDocument.application_id == application_id,
               DocumentVersion.stored_name.is_not(None))).all()
    return [*documents, *versions]


def _purge(application_id, cutoff_day, now):
    def act():
        # Read again in the action's own transaction: the file must still be due (a pass
        # on another host may have taken it; then nothing is written).
        application = db.session.scalar(select(Application).where(
            Application.id == application_id, ended_before(cutoff_day)))
        if application is None:
            raise Conflict()
        for upload in _uploads_of(application_id):
            remove_after_commit([upload.stored_name])
            # The uploader's file name may name them; size and checksum stay, so a copy
            # shown later can still be compared.
            upload.stored_name = upload.original_name = None
            upload.purged_at = now
        application.uploads_purged_at = now

    return act
