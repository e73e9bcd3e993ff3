"""A letter template's content (structured: Sifat, Lampiran, Hal, the addressee, the body
paragraphs, …) and a document's data become the letter's printed texts
(naskah.SuratParts). The same checks as a decree's (app/documents/keputusan.py)."""

from app.documents import keputusan
from app.documents.naskah import SuratParts
from app.documents.templating import render_text

# The content's parts: key → how it is kept ("line": one text, "list": several).
FIELDS = {
    "place": "line", "sifat": "line", "lampiran": "line", "hal": "line", "addressee": "line",
    "paragraphs": "list", "signer_title": "line", "tembusan": "list", "footnote": "line",
}
REQUIRED = ("place", "hal", "addressee", "paragraphs", "signer_title")


def check_content(content, placeholders):
    """{field: problem} for a content that may not be saved; empty when it may."""
    return keputusan.check_content(content, placeholders, FIELDS, REQUIRED)


def compose(content, context, placeholders, number, date_text):
    """The letter's texts for one document. A paragraph or copy whose conditions leave
    it empty is left out (the numbering of the copies follows)."""

    def fill(text):
        return render_text(text or "", context, placeholders)

    def filled_list(name):
        return tuple(text for text in (fill(item) for item in content.get(name) or ()) if text)

    return SuratParts(
        number=number, date_line=f"{fill(content['place'])}, {date_text}",
        sifat=fill(content.get("sifat")) or "-", lampiran=fill(content.get("lampiran")) or "-",
        hal=fill(content["hal"]),
        addressee=tuple(line.strip() for line in fill(content["addressee"]).splitlines()
                        if line.strip()),
        paragraphs=filled_list("paragraphs"), tembusan=filled_list("tembusan"),
        footnote=fill(content.get("footnote")),
    )
