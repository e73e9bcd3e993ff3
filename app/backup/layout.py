"""What a backup directory holds, and the checksums that tie it together.

    manifest.json   written last: its presence marks a complete backup
    database.dump   pg_dump's custom format
    files.jsonl     one line per stored file: {"name", "size", "sha256"}
    files/          a copy of every stored file under its stored name (folder storage
                    only; on object storage the bucket keeps the objects)

The manifest holds the checksums of the dump and of the file list, so one chain of
SHA-256 sums covers every byte. The file list is a file of its own, read line by line,
so a backup of a million files is never held in memory whole."""

import hashlib
import json
import os
from pathlib import Path

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILE_LIST = "files.jsonl"
FILES = "files"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and holds no
    secret."""


def sha256_of(path):
    with open(path, "rb") as stream:
        return hash_stream(stream)[1]


def hash_stream(stream, into=None):
    """(size, SHA-256) of what `stream` holds, written on to `into` when given."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if into is not None:
            into.write(chunk)
    return size, digest.hexdigest()


def write_manifest(directory, manifest):
    """Written beside its name and renamed: a manifest is whole or absent."""
    temporary = Path(directory) / f"{MANIFEST}.part"
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.replace(temporary, Path(directory) / MANIFEST)


def read_manifest(directory):
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"{directory} holds no {MANIFEST}: it is not a backup, or the "
                          "backup did not finish.") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup manifest of format {FORMAT}.")
    return manifest


def listed_files(directory):
    """The entries of the file list, one dict per stored file."""
    with open(Path(directory) / FILE_LIST) as lines:
        for line in lines:
            yield json.loads(line)
