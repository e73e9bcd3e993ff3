"""Runs the upload inspector (inspector.py) in a child process with limits, and turns its
verdict into the file to store or an Indonesian message.

A child process because a hostile file must not cost a worker more than a couple of
seconds or take its memory: the child has a CPU-time and an address-space limit, and a
wall-clock timeout backs them up. A file the child could not finish is refused, never
half-accepted."""

import json
import subprocess
import sys
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput

INSPECTOR = Path(__file__).with_name("inspector.py")
# A busy host may give the child half a core: the wall clock allows twice its CPU time.
WALL_CLOCK_FACTOR = 2

MESSAGES = {
    "active_content": _l("The PDF contains scripts or embedded files; save it again as a "
                         "plain PDF."),
    "encrypted": _l("The PDF is encrypted or protected by a password; upload a copy "
                    "without a password."),
    "damaged": _l("The PDF is damaged or incomplete; save or export it again as PDF and "
                  "upload it again."),
    "too_complex": _l("The file is too complex to check; save it again in a simpler form "
                      "(for example print it to PDF or lower the image resolution) and "
                      "upload it again."),
    "image_unreadable": _l("The image cannot be read; save it again as JPG or PNG and "
                           "upload it again."),
}


def settings(kind):
    config = current_app.config
    return {
        "kind": kind,
        "cpu_seconds": config["UPLOAD_CHECK_SECONDS"],
        "memory_mb": config["UPLOAD_CHECK_MEMORY_MB"],
        "max_pixels": config["UPLOAD_IMAGE_MAX_PIXELS"],
        "max_pdf_objects": config["UPLOAD_PDF_MAX_OBJECTS"],
    }


def run_inspector(content, kind):
    """(verdict, cleaned bytes or None) from the child; a child that was stopped or
    failed gives the verdict too_complex."""
    chosen = settings(kind)
    try:
        finished = subprocess.run(
            [sys.executable, "-I", str(INSPECTOR), json.dumps(chosen)],
            input=content, capture_output=True,
            timeout=chosen["cpu_seconds"] * WALL_CLOCK_FACTOR,
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "reason": "too_complex", "detail": "wall-clock timeout"}, None
    verdict_line, _, rest = finished.stdout.partition(b"\n")
    try:
        verdict = json.loads(verdict_line)
    except ValueError:
        verdict = None
    if finished.returncode != 0 or not isinstance(verdict, dict) or (
            verdict.get("cleaned") and not rest):
        # Killed at the CPU limit (SIGXCPU, SIGKILL), out of memory, or a bug: logged
        # for the operator, refused for the user.
        current_app.logger.warning(
            "upload inspector stopped (exit %s): %s", finished.returncode,
            finished.stderr.decode(errors="replace")[-500:])
        return {"ok": False, "reason": "too_complex", "detail": "stopped"}, None
    return verdict, (rest if verdict.get("cleaned") else None)


def inspect_upload(content, kind, field):
    """The bytes to store for an upload of this kind ("pdf", "png", "jpg"): the upload
    itself, or an image without its metadata. Raises InvalidInput when refused."""
    verdict, cleaned = run_inspector(content, kind)
    if verdict.get("ok"):
        return cleaned if cleaned is not None else content
    reason = verdict.get("reason")
    current_app.logger.info("upload refused: %s (%s)", reason, verdict.get("detail", ""))
    if reason == "image_too_large":
        message = _l("The image is too large (more than %(megapixels)s megapixels); lower "
                     "its resolution and upload it again.",
                     megapixels=current_app.config["UPLOAD_IMAGE_MAX_PIXELS"] // 1_000_000)
    else:
        message = MESSAGES.get(reason, MESSAGES["too_complex"])
    raise InvalidInput({field: message})
