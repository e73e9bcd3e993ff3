"""Digital signatures: a local PAdES signer (development, testing) and the BSrE client
(production), chosen by SIGNING_BACKEND."""

from pathlib import Path

from flask import current_app

from app.outgoing import outgoing_timeout
from app.signing.base import Signer, SigningError, VisibleSignature


def get_signer():
    """The configured backend, built once per app."""
    signer = current_app.extensions.get("siap_signer")
    if signer is None:
        config = current_app.config
        if config["SIGNING_BACKEND"] == "bsre":
            from app.signing.bsre import BsreSigner

            signer = BsreSigner(config["BSRE_URL"], config["BSRE_USERNAME"],
                                config["BSRE_PASSWORD"],
                                timeout=outgoing_timeout(config, read=config["BSRE_TIMEOUT"]))
        else:
            from app.signing.local import LocalSigner

            signer = LocalSigner(Path(current_app.instance_path) / "signing")
        current_app.extensions["siap_signer"] = signer
    return signer


__all__ = ["Signer", "SigningError", "VisibleSignature", "get_signer"]
