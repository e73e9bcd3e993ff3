"""Fonts for generated PDFs: DejaVu where installed (full Unicode), otherwise the PDF
core fonts with text reduced to Latin-1, so a missing font never breaks a decree."""

import os
import unicodedata
from functools import lru_cache
from pathlib import Path

DEFAULT_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
DEJAVU = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}


@lru_cache(maxsize=4)
def dejavu_files(font_dir=None):
    """{style: path} when every DejaVu Serif face is present, else None."""
    for directory in ([font_dir] if font_dir else []) + list(DEFAULT_FONT_DIRS):
        paths = {style: Path(directory) / name for style, name in DEJAVU.items()}
        if all(path.is_file() for path in paths.values()):
            return {style: str(path) for style, path in paths.items()}
    return None


def setup_fonts(pdf, font_dir=None):
    """Register the document font on an FPDF; return (family, unicode_capable)."""
    files = dejavu_files(font_dir or os.environ.get("SIAP_FONT_DIR"))
    if files is None:
        return "Times", False
    for style, path in files.items():
        pdf.add_font("DejaVu", style=style, fname=path)
    return "DejaVu", True


def latin1(text):
    """Text the core fonts can draw: accents kept where Latin-1 has them."""
    text = str(text).replace("²", "2").replace("–", "-").replace("—", "-")
    text = text.replace("“", '"').replace("”", '"').replace("’", "'")
    normalised = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in normalised if ord(ch) < 256 and not unicodedata.combining(ch))
