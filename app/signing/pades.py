"""PAdES signing and validation with pyHanko, shared by the local signer and the tests'
fake BSrE server."""

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import QRStampStyle
from pyhanko_certvalidator import ValidationContext

SIGNATURE_FIELD = "SKElektronik"


def sign_with_pkcs12(pdf_bytes, p12_bytes, passphrase, extra_certs, reason, signer_name=None,
                     visible=None):
    """Sign with a PKCS#12; raises ValueError for a wrong passphrase. `visible` (an
    app.signing.base.VisibleSignature) draws a QR stamp with its text in its box."""
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            p12_bytes, other_certs=extra_certs, passphrase=passphrase.encode("utf-8")
        )
    except Exception as error:  # pyHanko wraps cryptography's errors
        raise ValueError("cannot open the signing key") from error
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location="Kabupaten Blitar",
        name=signer_name,
    )
    output = io.BytesIO()
    if visible is None:
        signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=output)
        return output.getvalue()
    fields.append_signature_field(writer, fields.SigFieldSpec(
        SIGNATURE_FIELD, on_page=visible.page - 1, box=visible.box))
    # A QR code large against its text: the stamp is scaled to the box, and the code
    # must stay scannable from paper.
    style = QRStampStyle(stamp_text=visible.text, border_width=0, qr_inner_size=120)
    signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(
        writer, output=output, appearance_text_params={"url": visible.url,
                                                 "waktu": visible.time_text})
    return output.getvalue()


def signature_statuses(pdf_bytes, trust_roots):
    """pyHanko's status of every embedded signature (empty when unsigned or unreadable)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes))
        embedded = list(reader.embedded_signatures)
    except Exception:  # not a PDF, or a broken one
        return []
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    statuses = []
    for signature in embedded:
        try:
            statuses.append(validate_pdf_signature(signature, signer_validation_context=context))
        except Exception:
            return []
    return statuses


def is_authentic(pdf_bytes, trust_roots):
    """Signed, intact, trusted, and nothing added after the last signature — not even
    an update pyHanko would tolerate (a changed title, an annotation)."""
    statuses = signature_statuses(pdf_bytes, trust_roots)
    return (
        bool(statuses)
        and all(status.bottom_line for status in statuses)
        and statuses[-1].coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
