"""Fonts for generated PDFs: DejaVu where installed, otherwise the PDF core fonts with
text reduced to Latin-1, so a missing font never breaks a decree.

DejaVu holds thousands of glyphs; parsing and subsetting it for every decree costs
about half a second. The fonts are therefore cut once per process to the scripts an
Indonesian decree uses (Latin, Latin Extended, punctuation, ², €) and cached; other
characters are reduced to their closest Latin letters."""

import os
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

DEFAULT_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
DEJAVU = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}
COVERED = [(0x20, 0x7E), (0xA0, 0x24F), (0x2010, 0x2027), (0x2030, 0x203A), (0x20AC, 0x20AC),
           (0x2122, 0x2122), (0x2264, 0x2265)]


def _covered(character):
    code = ord(character)
    return any(low <= code <= high for low, high in COVERED) or character in "\n\t"


@lru_cache(maxsize=4)
def dejavu_files(font_dir=None):
    """{style: path} of the cut-down DejaVu Serif faces, or None when not installed."""
    for directory in ([font_dir] if font_dir else []) + list(DEFAULT_FONT_DIRS):
        paths = {style: Path(directory) / name for style, name in DEJAVU.items()}
        if all(path.is_file() for path in paths.values()):
            return {style: _cut_down(path) for style, path in paths.items()}
    return None


def _cut_down(path):
    from fontTools import subset

    target = Path(tempfile.gettempdir()) / f"siap-{os.getuid()}-{path.stem}-latin.ttf"
    if not target.exists() or target.stat().st_mtime < path.stat().st_mtime:
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[c for low, high in COVERED for c in range(low, high + 1)])
        subsetter.subset(font)
        partial = target.with_suffix(f".{os.getpid()}.part")
        subset.save_font(font, str(partial), options)
        os.replace(partial, target)
    return str(target)


def setup_fonts(pdf, font_dir=None):
    """Register the document font on an FPDF; return (family, unicode_capable)."""
    files = dejavu_files(font_dir or os.environ.get("SIAP_FONT_DIR"))
    if files is None:
        return "Times", False
    for style, path in files.items():
        pdf.add_font("DejaVu", style=style, fname=path)
    return "DejaVu", True


# Latin letters that have no decomposition into a base letter plus accents.
_UNDECOMPOSABLE = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h",
                                 "Œ": "OE", "œ": "oe", "ı": "i"})


def _plain_letters(text):
    normalised = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in normalised if not unicodedata.combining(ch))


def within_dejavu(text):
    """Text the cut-down DejaVu can draw."""
    text = str(text)
    if all(_covered(ch) for ch in text):
        return text
    return "".join(ch if _covered(ch) else _plain_letters(ch) for ch in text if
                   _covered(ch) or all(_covered(c) for c in _plain_letters(ch)))


def latin1(text):
    """Text the core fonts can draw: accents kept where Latin-1 has them."""
    text = str(text).replace("²", "2").replace("–", "-").replace("—", "-")
    text = text.replace("“", '"').replace("”", '"').replace("’", "'")
    return "".join(
        ch if ord(ch) < 256 else "".join(c for c in _plain_letters(ch) if ord(c) < 256)
        for ch in text
    )
