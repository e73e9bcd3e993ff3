"""Malformed requests are refused before any handler sees them, in one place.

What reaches a handler has no NUL character (PostgreSQL refuses it in text), ids within
the database's INTEGER range, and, on Flask-AppBuilder's screens, list parameters that
name real columns, filters and actions. A refusal is the app's own 400/404 page or JSON
error body (app/errors.py), never a 500 from deep inside a query."""

import re

from flask import abort, current_app, request
from flask_appbuilder.models.filters import FilterRelation
from werkzeug.routing import IntegerConverter

# Ids are the database's INTEGER (PostgreSQL: 4 bytes): larger numbers name no row.
MAX_ID = 2**31 - 1
# The page sizes Flask-AppBuilder's lists offer go up to 100.
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUE = 500

PAGE_ARG = re.compile(r"page_(.+)")
PAGE_SIZE_ARG = re.compile(r"psize_(.+)")
ORDER_ARG = re.compile(r"_oc_(.+)")
FILTER_ARG = re.compile(r"_flt_(\d)_(.*)")


class IdConverter(IntegerConverter):
    """`<int:…>` in a route: a positive id the database can hold; others do not route."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def use_id_converter(app):
    """Before any route is added: every `<int:…>` becomes an IdConverter."""
    app.url_map.converters["int"] = IdConverter


def is_id(value):
    text = str(value)
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


def _has_nul(values):
    return any(isinstance(value, str) and "\x00" in value for value in values)


def _refuse_nul_characters():
    if "\x00" in request.path or _has_nul(request.args.keys()) or _has_nul(
        v for values in request.args.listvalues() for v in values
    ):
        abort(400)
    if request.is_json:
        # A JSON string spells NUL as \u0000; reading the raw body needs no parsing.
        body = request.get_data(cache=True)
        if b"\x00" in body or re.search(rb"\\u0000", body):
            abort(400)
    elif request.method in ("POST", "PUT", "PATCH") and (
        _has_nul(request.form.keys())
        or _has_nul(v for values in request.form.listvalues() for v in values)
    ):
        abort(400)


# --- Flask-AppBuilder's screens ------------------------------------------------------


def _views_by_endpoint_prefix(app):
    views = app.extensions.get("siap_views_by_blueprint")
    if views is None:
        views = {view.blueprint.name: view for view in app.appbuilder.baseviews
                 if getattr(view, "blueprint", None) is not None}
        app.extensions["siap_views_by_blueprint"] = views
    return views


def _current_view():
    if not request.endpoint or "." not in request.endpoint:
        return None
    return _views_by_endpoint_prefix(current_app).get(request.endpoint.rsplit(".", 1)[0])


def _primary_key_is_integer(datamodel):
    return datamodel.is_integer(datamodel.get_pk_name())


def _check_pk(view, value):
    datamodel = getattr(view, "datamodel", None)
    if datamodel is not None and _primary_key_is_integer(datamodel) and not is_id(value):
        abort(404)


def _check_list_args(views_by_name):
    """page_/psize_/_oc_ parameters of any list on the page: numbers in range and
    columns the list can be ordered by."""
    for key, value in request.args.items():
        if (match := PAGE_ARG.fullmatch(key)) and not (value.isdigit()
                                                        and int(value) <= MAX_ID):
            abort(400)
        if (match := PAGE_SIZE_ARG.fullmatch(key)) and not (
            value.isdigit() and 0 < int(value) <= MAX_PAGE_SIZE
        ):
            abort(400)
        if match := ORDER_ARG.fullmatch(key):
            columns = getattr(views_by_name.get(match.group(1)), "order_columns", None)
            if columns is not None and value not in columns:
                abort(400)


def _filter_value_fits(view, column, flt, value):
    if len(value) > MAX_FILTER_VALUE:
        return False
    datamodel = view.datamodel
    if isinstance(flt, FilterRelation):
        related = datamodel.get_related_interface(column)
        return related is None or not _primary_key_is_integer(related) or is_id(value)
    if datamodel.is_integer(column):
        return value.lstrip("-").isdigit() and abs(int(value)) <= MAX_ID
    return True


def _check_filters(view):
    """_flt_<n>_<column> parameters: a filter the column has, and a value of its type."""
    if getattr(view, "_filters", None) is None:
        return
    filters = view._filters._all_filters
    for key in request.args:
        match = FILTER_ARG.fullmatch(key)
        if not match or match.group(2) not in filters:
            continue  # Flask-AppBuilder ignores other columns
        column, index = match.group(2), int(match.group(1))
        available = filters[column]
        if index >= len(available):
            abort(400)
        if not all(_filter_value_fits(view, column, available[index], value)
                   for value in request.args.getlist(key)):
            abort(400)


def _check_actions(view):
    """Flask-AppBuilder's action endpoints run only actions the view has, on rows with
    valid keys."""
    actions = getattr(view, "actions", None) or {}
    endpoint = request.endpoint.rsplit(".", 1)[1]
    if endpoint == "action" and request.view_args.get("name") not in actions:
        abort(404)
    if endpoint == "action_post" and request.method == "POST":
        if request.form.get("action") not in actions:
            abort(400)
        for pk in request.form.getlist("rowid"):
            _check_pk(view, pk)


def _check_model_view():
    view = _current_view()
    if view is None or not hasattr(view, "datamodel"):
        return
    endpoint = request.endpoint.rsplit(".", 1)[1]
    if endpoint == "download":
        # Flask-AppBuilder's generic download serves any file of the upload folder by
        # name; no model here has such a column (files go through checked endpoints).
        abort(404)
    view_args = request.view_args or {}
    if "pk" in view_args:
        _check_pk(view, view_args["pk"])
    if "group_by" in view_args and hasattr(view, "definitions"):
        # A chart's grouping is an index into its definitions.
        group_by = view_args["group_by"]
        if group_by and not (group_by.isdigit() and int(group_by) < len(view.definitions)):
            abort(404)
    views_by_name = {type(v).__name__: v for v in _views_by_endpoint_prefix(current_app)
                     .values() if hasattr(v, "datamodel")}
    _check_list_args(views_by_name)
    for shown in (view, *getattr(view, "_related_views", [])):
        _check_filters(shown)
    _check_actions(view)


def refuse_malformed_requests(app):
    @app.before_request
    def refuse_malformed_input():
        _refuse_nul_characters()
        # Flask-AppBuilder's password reset names the user as ?pk=.
        if "pk" in request.args and not is_id(request.args["pk"]):
            abort(404)
        _check_model_view()
