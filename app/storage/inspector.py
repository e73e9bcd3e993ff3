"""The upload inspector: a standalone program that app/storage/inspection.py runs in a
child process, under limits on CPU time and memory, for every uploaded PDF or image.

    python -I inspector.py '{"kind": "pdf", "cpu_seconds": 2, "memory_mb": 768, ...}'

It reads the file on stdin and writes one JSON line to stdout:
``{"ok": true, "cleaned": false}`` (keep the upload as it is),
``{"ok": true, "cleaned": true}`` followed by the cleaned bytes (an image without its
metadata), or ``{"ok": false, "reason": ..., "detail": ...}``. Reasons: active_content,
encrypted, damaged, too_complex, image_unreadable, image_too_large.

It imports neither Flask nor the app (it starts in a fraction of a second) and only the
libraries the file's kind needs: pikepdf (qpdf) reads a PDF's document model, Pillow
decodes and re-encodes images.
"""

import io
import json
import resource
import sys
import warnings


class Refused(Exception):
    def __init__(self, reason, detail=""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


# --- PDF ------------------------------------------------------------------------------

# Dictionary keys that mean a script, an embedded file or an XFA form wherever they are.
ACTIVE_KEYS = frozenset({
    "/JS", "/JavaScript",  # a script action, the document's JavaScript name tree
    "/EmbeddedFiles", "/EF",  # the embedded files name tree, a file specification's files
    "/RichMediaContent", "/RichMediaSettings",  # Flash and 3D players
    "/XFA",  # an XFA form (scriptable, rendered by Acrobat alone)
})
# Values of /Type or /Subtype that are embedded files or players.
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia"})
# Actions that run code, submit or import data, or open another file.
ACTIVE_ACTIONS = frozenset({
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute",
    "/GoToR", "/GoToE",
})
CONTAINERS = ("dictionary", "stream", "array")


def _type(value):
    """"dictionary", "array", "name"…; None for the numbers and booleans that pikepdf
    gives as Python values."""
    return getattr(value, "_type_name", None)


def _name(value):
    return str(value) if _type(value) == "name" else None


def _check_dictionary(dictionary):
    """One dictionary (or a stream's dictionary) against the rules; its direct
    children are walked by the caller."""
    keys = set(dictionary.keys())
    found = keys & ACTIVE_KEYS
    if found:
        raise Refused("active_content", sorted(found)[0])
    for key in ("/Type", "/Subtype"):
        if key in keys and _name(dictionary.get(key)) in ACTIVE_TYPES:
            raise Refused("active_content", f"{key} {dictionary.get(key)}")
    if "/S" in keys and _name(dictionary.get("/S")) in ACTIVE_ACTIONS:
        raise Refused("active_content", f"/S {dictionary.get('/S')}")
    if "/OpenAction" in keys:
        opening = dictionary.get("/OpenAction")
        if opening is not None and _type(opening) != "array":  # an array is a destination
            _only_go_to(opening, "/OpenAction")
    if "/AA" in keys:
        triggers = dictionary.get("/AA")
        if _type(triggers) != "dictionary":
            raise Refused("active_content", "/AA that is not a dictionary")
        for trigger, action in triggers.items():
            _only_go_to(action, f"/AA {trigger}")


def _only_go_to(action, where):
    """An automatic action, with every action of its /Next chain, must be /GoTo."""
    pending, seen = [action], set()
    while pending:
        action = pending.pop()
        if _type(action) != "dictionary":
            raise Refused("active_content", f"not an action in {where}")
        if action.is_indirect:
            if action.objgen in seen:
                continue
            seen.add(action.objgen)
        kind = _name(action.get("/S"))
        if kind != "/GoTo":
            raise Refused("active_content", f"{kind or 'no action type'} in {where}")
        following = action.get("/Next")
        if following is not None:
            pending += list(following) if _type(following) == "array" else [following]


def _walk(root, owner):
    """A dictionary, stream or array with its direct children (indirect objects are
    walked on their own, from the document's object list). `owner` is the indirect
    object it belongs to (None: the trailer), named when refused."""
    pending = [root]
    while pending:
        item = pending.pop()
        kind = item._type_name
        if kind == "stream":
            item = item.stream_dict
            kind = "dictionary"
        if kind == "dictionary":
            try:
                _check_dictionary(item)
            except Refused as refusal:
                place = f"object {owner.objgen[0]}" if owner is not None else "the trailer"
                refusal.detail += f" in {place}"
                raise
            children = item.values()
        elif kind == "array":
            children = item
        else:
            continue
        pending += [child for child in children if _type(child) in CONTAINERS
                    and not child.is_indirect]


def _unreadable(problem):
    """qpdf reports running out of memory (an object stream that inflates to gigabytes)
    as an error in the file: it is the file's size that was refused."""
    problem = str(problem)
    return Refused("too_complex" if "bad_alloc" in problem else "damaged", problem[:300])


def inspect_pdf(content, settings):
    import pikepdf

    try:
        # No recovery: a file qpdf would have to repair is one a viewer may read otherwise.
        # The page tree is not needed to find active content: left as it is.
        pdf = pikepdf.open(io.BytesIO(content), attempt_recovery=False,
                           inherit_page_attributes=False)
    except pikepdf.PasswordError:
        raise Refused("encrypted") from None
    except pikepdf.PdfError as error:
        raise _unreadable(error) from None
    with pdf:
        if pdf.is_encrypted:  # opened with the empty password, still encrypted
            raise Refused("encrypted")
        count = len(pdf.get_xref_table())
        if count > settings["max_pdf_objects"]:
            raise Refused("too_complex", f"{count} objects")
        try:
            _walk(pdf.trailer, None)
            # Every object of the cross-reference table, those packed in object streams
            # (decoded by qpdf under any filter chain) included.
            for obj in pdf.objects:
                if _type(obj) in CONTAINERS:
                    _walk(obj, obj)
        except pikepdf.PdfError as error:
            raise _unreadable(error) from None
        problems = pdf.get_warnings()
        if problems:
            # qpdf had to guess (a bad stream length, an object it could not read): a
            # viewer might guess otherwise and see what was not checked here.
            raise _unreadable("; ".join(map(str, problems)))
        if _type(pdf.trailer.get("/Root")) != "dictionary":
            raise Refused("damaged", "no document catalog")
    return None


# --- images ---------------------------------------------------------------------------

# What a JPEG or PNG may carry and still be kept as uploaded: how to show its pixels
# (colour profile, density, gamma, transparency), never who, where or when.
JPEG_SEGMENTS = (("APP0", b"JFIF\0"), ("APP2", b"ICC_PROFILE\0"), ("APP14", b"Adobe"))
PNG_INFO = frozenset({"dpi", "gamma", "transparency", "icc_profile", "srgb", "chromaticity",
                      "interlace", "aspect"})
ORIENTATION = 0x0112


def _has_metadata(image, fmt):
    if fmt == "JPEG":
        return any(not any(marker == m and data.startswith(p) for m, p in JPEG_SEGMENTS)
                   for marker, data in image.applist)
    return bool(set(image.info) - PNG_INFO or getattr(image, "private_chunks", None))


def _clean(image, fmt):
    """The image re-encoded without its metadata, turned as its EXIF orientation says."""
    from PIL import ImageOps
    from PIL.JpegImagePlugin import get_sampling

    options = {key: image.info[key] for key in ("icc_profile", "dpi") if key in image.info}
    if fmt == "JPEG":
        # The upload's own quantisation tables and subsampling: as quality="keep" does.
        options.update(qtables=image.quantization, subsampling=get_sampling(image))
        if image.info.get("progressive"):
            options["progressive"] = True
    else:
        # Speed over size: a large PNG re-encoded at zlib's default level would take
        # seconds; level 1 keeps it within the CPU limit, a few percent larger.
        options["compress_level"] = 1
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
    if image.getexif().get(ORIENTATION, 1) != 1:
        ImageOps.exif_transpose(image, in_place=True)
    image.info = {}  # Pillow would otherwise copy some of it (comments, profiles) back
    output = io.BytesIO()
    image.save(output, fmt, **options)
    return output.getvalue()


def inspect_image(content, settings):
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings["max_pixels"]
    # A phone's multi-picture JPEG (MPO: further pictures after the first) opens as
    # such; only its first picture is kept, as a JPEG.
    fmt = {"png": "PNG", "jpg": "JPEG"}[settings["kind"]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content), formats=[fmt])
            if image.width * image.height > settings["max_pixels"]:
                raise Image.DecompressionBombError(f"{image.width}x{image.height}")
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Refused("image_too_large", str(error)[:300]) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise Refused("image_unreadable", str(error)[:300]) from None
    if not _has_metadata(image, fmt):
        return None
    return _clean(image, fmt)


# --- the program ----------------------------------------------------------------------


def limit(settings):
    """Before the file is touched: at most this much CPU time and address space."""
    seconds = max(1, int(settings["cpu_seconds"] + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    memory = settings["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def inspect(content, settings):
    """The verdict on one file and, for an image that had metadata, its cleaned bytes."""
    try:
        inspector = inspect_pdf if settings["kind"] == "pdf" else inspect_image
        cleaned = inspector(content, settings)
    except Refused as refusal:
        return {"ok": False, "reason": refusal.reason, "detail": refusal.detail}, None
    except (MemoryError, RecursionError) as error:
        return {"ok": False, "reason": "too_complex", "detail": type(error).__name__}, None
    return {"ok": True, "cleaned": cleaned is not None}, cleaned


def main():
    settings = json.loads(sys.argv[1])
    limit(settings)
    content = sys.stdin.buffer.read()
    verdict, cleaned = inspect(content, settings)
    out = sys.stdout.buffer
    out.write(json.dumps(verdict).encode() + b"\n")
    if cleaned is not None:
        out.write(cleaned)
    out.flush()


if __name__ == "__main__":
    main()
