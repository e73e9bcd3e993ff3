"""The embedded signer: PAdES signatures with pyHanko and a PKCS#12 per signer, issued on
first use by a certificate authority the app creates under instance/signing/.

For development and testing only: these signatures are not legally binding."""

import datetime
import threading
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.security.private_files import write_private_file
from app.signing.base import Signer, SigningError
from app.signing.pades import is_authentic, sign_with_pkcs12

_lock = threading.RLock()


def _name(common_name, serial=None):
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kabupaten Blitar"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attributes)


def _pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM)


class LocalCertificateAuthority:
    """A root CA kept as two PEM files in `directory`."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.key_path = self.directory / "ca-key.pem"
        self.cert_path = self.directory / "ca-cert.pem"

    def ensure(self):
        with _lock:
            if not self.cert_path.exists():
                self.directory.mkdir(parents=True, exist_ok=True)
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                now = datetime.datetime.now(datetime.UTC)
                name = _name("SIAP n LOSS Development Root CA")
                certificate = (
                    x509.CertificateBuilder()
                    .subject_name(name).issuer_name(name).public_key(key.public_key())
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(now - datetime.timedelta(days=1))
                    .not_valid_after(now + datetime.timedelta(days=3650))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .add_extension(x509.KeyUsage(
                        digital_signature=False, content_commitment=False,
                        key_encipherment=False, data_encipherment=False, key_agreement=False,
                        key_cert_sign=True, crl_sign=True, encipher_only=False,
                        decipher_only=False), critical=True)
                    .sign(key, hashes.SHA256())
                )
                write_private_file(self.key_path, key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption()))
                self.cert_path.write_bytes(_pem(certificate))
        return self

    def certificate(self):
        return x509.load_pem_x509_certificate(self.ensure().cert_path.read_bytes())

    def asn1_certificate(self):
        return _asn1(self.ensure().cert_path.read_bytes())

    def issue_pkcs12(self, common_name, serial, passphrase, days=730):
        """A signing key and certificate for one person, as PKCS#12 protected by the
        passphrase."""
        self.ensure()
        ca_key = serialization.load_pem_private_key(self.key_path.read_bytes(), None)
        ca_cert = self.certificate()
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, serial)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        return pkcs12.serialize_key_and_certificates(
            common_name.encode("utf-8"), key, certificate, [ca_cert],
            serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
        )


@lru_cache(maxsize=8)
def _asn1(pem_bytes):
    return asn1_x509.Certificate.load(x509.load_pem_x509_certificate(pem_bytes).public_bytes(
        serialization.Encoding.DER))


class LocalSigner(Signer):
    name = "local"

    def __init__(self, directory):
        self.directory = Path(directory)
        self.authority = LocalCertificateAuthority(self.directory)

    def _pkcs12_path(self, user):
        return self.directory / "signers" / f"user-{int(user.id)}.p12"

    def readiness(self, user):
        return None  # the certificate is issued at the first signature

    def sign(self, pdf_bytes, user, passphrase, reason, visible=None):
        if not passphrase:
            raise SigningError("wrong_passphrase")
        path = self._pkcs12_path(user)
        with _lock:
            if not path.exists():
                write_private_file(path, self.authority.issue_pkcs12(
                    user.full_name or user.username, user.nik or f"USER-{user.id}", passphrase))
        try:
            return sign_with_pkcs12(pdf_bytes, path.read_bytes(), passphrase,
                                    [self.authority.asn1_certificate()], reason,
                                    signer_name=user.full_name, visible=visible)
        except ValueError:
            raise SigningError("wrong_passphrase") from None
        except Exception as error:  # an unreadable or already protected PDF
            raise SigningError("failed", detail=type(error).__name__) from None

    def trust_roots(self):
        return [self.authority.asn1_certificate()]

    def verify(self, pdf_bytes):
        return is_authentic(pdf_bytes, self.trust_roots())
