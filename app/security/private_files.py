"""Files that hold secrets (the development secret key, the demo password, the local
signing CA and certificates): created readable by their owner only (mode 0600), never
briefly readable by others."""

import os
import secrets
from pathlib import Path


def write_private_file(path, data):
    """Create `path` with mode 0600 and write `data` (bytes or text) into it."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    content = data.encode() if isinstance(data, str) else data
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


def development_secret_key(instance_dir):
    """A random key made once per checkout and kept under instance/ (development only;
    production refuses to start without SECRET_KEY)."""
    key_file = Path(instance_dir) / "secret_key"
    if not key_file.exists():
        write_private_file(key_file, secrets.token_hex(32))
    return key_file.read_text().strip()
