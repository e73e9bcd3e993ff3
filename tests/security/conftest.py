import pytest

from app.storage.files import upload_root
from tests.security.routes import DOWNLOAD_NAME, seed_objects


@pytest.fixture
def objects(app):
    """The applicant's files and a row of every screen (tests/security/routes.py)."""
    yield seed_objects()
    (upload_root() / DOWNLOAD_NAME).unlink(missing_ok=True)
