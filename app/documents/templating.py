"""Template texts with placeholders: `{{ pemohon.nama }}`, filters such as
`{{ sk.tanggal }}` or `{{ aset.biaya|rupiah }}`, and simple conditions
(`{% if krk.kbli %}…{% endif %}`).

Rendering uses Jinja's immutable sandbox, and before that every text is checked against
an allow-list of what a template may contain: names of the documented data (one level of
attributes), constants, the filters below, comparisons, `and`/`or`/`not` and `if`. No
loops, assignments, calls, arithmetic or attribute beyond the documented data: an admin's
template cannot reach Python's internals nor make the server work hard. The same check
runs when a template is saved (an unknown placeholder is refused with its name) and every
time it is rendered."""

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.documents.formatting import angka, rupiah_text, tanggal, terbilang

FILTERS = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "tanggal": tanggal,
    "rupiah": rupiah_text,
    "terbilang": terbilang,
    "angka": angka,
}
ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.If, nodes.Name,
    nodes.Getattr, nodes.Filter, nodes.Compare, nodes.Operand, nodes.And, nodes.Or,
    nodes.Not, nodes.CondExpr,
)


class TemplateProblem(ValueError):
    """A template text that may not be saved or rendered; `args[0]` says why (English,
    for the log) and `message` is what the admin reads."""

    def __init__(self, detail, message):
        super().__init__(detail)
        self.message = message


def _finalize(value):
    """Empty data prints as a dash, never as "None"."""
    return "-" if value is None or value == "" else value


_ENVIRONMENT = ImmutableSandboxedEnvironment(autoescape=False, finalize=_finalize,
                                             keep_trailing_newline=False)
_ENVIRONMENT.filters = dict(FILTERS)


def _path(node):
    """'pemohon.nama' for Getattr(Name('pemohon'), 'nama'); 'x' for Name('x')."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        return f"{node.node.name}.{node.attr}"
    return None


def check_text(text, placeholders):
    """Raise TemplateProblem unless `text` uses only `placeholders` (a set of dotted names
    such as "pemohon.nama") and the allowed constructs."""
    from flask_babel import lazy_gettext as _l

    try:
        tree = _ENVIRONMENT.parse(text)
    except TemplateSyntaxError as error:
        raise TemplateProblem(str(error), _l("The text cannot be read (line %(line)s): "
                                             "%(problem)s", line=error.lineno,
                                             problem=error.message)) from None
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, ALLOWED_NODES):
            raise TemplateProblem(type(node).__name__, _l(
                "Only placeholders, filters and {%% if %%} conditions may be used "
                "(found: %(construct)s).", construct=type(node).__name__))
        if isinstance(node, nodes.Filter) and (
            node.name not in FILTERS or node.args or node.kwargs
        ):
            raise TemplateProblem(node.name, _l(
                "Unknown filter “%(name)s”; use one of: %(names)s.", name=node.name,
                names=", ".join(FILTERS)))
        if isinstance(node, nodes.Getattr) and _path(node) is None:
            raise TemplateProblem("nested", _l("A placeholder has one dot at most, e.g. "
                                               "{{ pemohon.nama }}."))
        if isinstance(node, nodes.Name | nodes.Getattr):
            path = _path(node)
            parent = isinstance(node, nodes.Name) and any(
                isinstance(outer, nodes.Getattr) and outer.node is node
                for outer in tree.find_all(nodes.Getattr))
            if path is not None and not parent and path not in placeholders:
                raise TemplateProblem(path, _l("Unknown placeholder {{ %(name)s }}.",
                                               name=path))


def render_text(text, context, placeholders):
    """The text with its placeholders filled from `context` (plain dicts and strings)."""
    check_text(text, placeholders)
    return _ENVIRONMENT.from_string(text).render(context).strip()
