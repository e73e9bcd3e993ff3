"""A decree template's content (structured: title, Menimbang, Mengingat, dictum, …) and a
file's data become the decree's printed texts (naskah.KeputusanParts)."""

from app.documents.naskah import Annex, KeputusanParts
from app.documents.templating import check_text, render_text

# The content's parts: key → how it is kept ("line": one text, "list": several).
FIELDS = {
    "title": "line", "subject": "line", "official": "line", "menimbang": "list",
    "mengingat": "list", "menetapkan": "line", "diktum": "list", "place": "line",
    "signer_title": "line", "tembusan": "list", "annex_title": "line", "annex_text": "line",
    "annex_map": "flag", "footnote": "line", "validity_years": "number",
}
REQUIRED = ("title", "subject", "official", "menimbang", "mengingat", "menetapkan", "diktum",
            "place", "signer_title")


def texts_of(content, fields=FIELDS):
    """(field, index or None, text) of every text of the content."""
    for name, shape in fields.items():
        value = content.get(name)
        if shape == "line" and value:
            yield name, None, value
        elif shape == "list":
            for index, item in enumerate(value or []):
                yield name, index, item


def check_content(content, placeholders, fields=FIELDS, required=REQUIRED):
    """{field: problem} for a content that may not be saved; empty when it may (another
    kind of document passes its own `fields` and `required`)."""
    problems = {name: "missing" for name in required if not content.get(name)}
    for name, _index, text in texts_of(content, fields):
        if name in problems:
            continue
        try:
            check_text(text, placeholders)
        except ValueError as problem:
            problems[name] = problem
    return problems


def compose(content, context, placeholders, number, date_text, map_image=None, points=()):
    """The decree's texts for one file."""

    def fill(text):
        return render_text(text, context, placeholders)

    annexes = ()
    if content.get("annex_title"):
        annexes = (Annex(title=fill(content["annex_title"]),
                         text=fill(content.get("annex_text") or ""),
                         map_image=map_image if content.get("annex_map") else None,
                         points=tuple(points) if content.get("annex_map") else ()),)
    return KeputusanParts(
        title=fill(content["title"]), number=number, subject=fill(content["subject"]),
        official=fill(content["official"]),
        menimbang=tuple(fill(t) for t in content["menimbang"]),
        mengingat=tuple(fill(t) for t in content["mengingat"]),
        menetapkan=fill(content["menetapkan"]),
        diktum=tuple(fill(t) for t in content["diktum"]),
        tembusan=tuple(fill(t) for t in content.get("tembusan") or ()),
        annexes=annexes, date_text=date_text, footnote=fill(content.get("footnote") or ""),
    )


def filled(content, name, context, placeholders):
    """One line of the content, filled in (the signature block's place and title)."""
    return render_text(content.get(name) or "", context, placeholders)
