"""Files of an applicant of one's own, at any point of their life, with every kind of
stored file a file can have: uploads (and an earlier version), an issued artifact, a
signed decree, a rejection letter."""

import secrets
from datetime import timedelta

from app.extensions import db
from app.storage.files import store_bytes, stored_exists
from models import Artifact, Decree, DocumentVersion, IssuedDocument
from models.application import utcnow
from models.decree import DecreeStatus
from tests.factories import make_user
from tests.support import PDF, SIGNABLE_PDF, make_pkkpr, user

YEAR = timedelta(days=366)


def applicant(**fields):
    """An applicant of their own, with every personal field filled in."""
    defaults = {"first_name": "Rina", "last_name": "Wulandari", "nik": "3505016007900003",
                "whatsapp": "+6281377770001"}
    return make_user(**{**defaults, **fields})


def file_of(owner, status="draft", applicant_name="Rina Wulandari", **options):
    """A PKKPR file of `owner` in `status` (every requirement uploaded), typed with the
    owner's own identity."""
    application = make_pkkpr(status, owner=owner.username, **options)
    application.applicant_name = applicant_name
    application.applicant_nik = owner.nik or "3505016007900003"
    application.applicant_whatsapp = owner.whatsapp or "+6281377770001"
    application.applicant_address = "Jl. Anggrek 7, Sanankulon"
    db.session.commit()
    return application


def with_earlier_version(application):
    document = application.documents[0]
    version = DocumentVersion.of(document, utcnow())
    for name, value in store_bytes(PDF, "pdf", "ktp-lama.pdf").columns().items():
        setattr(version, name, value)
    db.session.add(version)
    db.session.commit()
    return version


def with_artifact(application, kind="sps", issuer="atrbpn"):
    stored = store_bytes(PDF, "pdf", f"{kind}.pdf")
    artifact = Artifact(application=application, kind=kind, number=f"{kind.upper()}-1",
                        data={"jumlah": "1250000"}, issued_by_id=user(issuer).id,
                        **stored.columns())
    db.session.add(artifact)
    db.session.commit()
    return artifact


def signed(application, valid_until=None, status=DecreeStatus.BERLAKU.value,
           revoked_at=None):
    """The file's signed decree (as `tandatangani` leaves it, without the signer)."""
    kepala = user("kepaladinas")
    stored = store_bytes(SIGNABLE_PDF, "pdf", f"SK-{application.id}.pdf")
    application.sk_number = application.sk_number or f"503/{application.id:04d}/409.110/2026"
    application.decree = Decree(token=secrets.token_urlsafe(32), signed_at=utcnow(),
                                signer_id=kepala.id, signer_name=kepala.full_name,
                                backend="local", valid_until=valid_until, status=status,
                                revoked_at=revoked_at, **stored.columns())
    db.session.commit()
    return application.decree


def rejection_letter(application):
    stored = store_bytes(SIGNABLE_PDF, "pdf", "Surat Penolakan.pdf")
    document = IssuedDocument(kind="surat_penolakan", application=application,
                              number=f"503/{application.id}/SP/409.110/2026",
                              token=secrets.token_urlsafe(32), signed_at=utcnow(),
                              signer_id=user("kepaladinas").id, signer_name="Kepala",
                              backend="local", **stored.columns())
    db.session.add(document)
    db.session.commit()
    return document


def finished(application, years_ago):
    """The file ended `years_ago` years ago (as the engine leaves a final state)."""
    application.finished_at = utcnow() - years_ago * YEAR
    db.session.commit()
    return application


def on_disk(stored_name):
    return stored_name is not None and stored_exists(stored_name)
