"""Read-only list and show columns computed for the screens, so the models carry no
HTML and import nothing from app (DESIGN.md section 7, the import-linter contracts in
pyproject.toml)."""

from types import MethodType
from urllib.parse import urlsplit

from flask import redirect, session, url_for
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.i18n import readable


class ReadableFormatters(dict):
    """A view's `formatters_columns` whose every column is shown by `readable`, after the
    column's own formatter if it has one (Flask-AppBuilder's list and show widgets ask
    `formatters_columns.get(column)` and otherwise print the raw value)."""

    def get(self, column, default=None):
        own = super().get(column)
        return (lambda value: readable(own(value))) if own else readable


def show_values_readably(appbuilder):
    """Every registered view's lists and show pages, Flask-AppBuilder's own included."""
    for view in appbuilder.baseviews:
        if isinstance(getattr(view, "formatters_columns", None), dict):
            view.formatters_columns = ReadableFormatters(view.formatters_columns)


class PresentedInterface(SQLAInterface):
    """A model's Flask-AppBuilder interface with extra columns, each a function of the row:
    `PresentedInterface(Model, presented={"file_link": file_link})` shows `file_link(row)`;
    `loaded` are loader options for the rows of a page (what the columns read of related
    rows, with the rows themselves rather than one row at a time)."""

    def __init__(self, obj, session=None, presented=None, loaded=()):
        super().__init__(obj, session)
        self.presented = dict(presented or {})
        self.loaded = tuple(loaded)

    def _apply_inner_all(self, query, *args, **kwargs):
        return super()._apply_inner_all(query.options(*self.loaded), *args, **kwargs)

    def _get_attr_value(self, item, col):
        if col in self.presented:
            return self.presented[col](item)
        return super()._get_attr_value(item, col)

    def get_order_columns_list(self, list_columns=None):
        """Computed columns have no database column to sort by."""
        return [column for column in super().get_order_columns_list(list_columns)
                if column not in self.presented]


def _back_to_its_list(view):
    """This view's list as last seen (its order and filters), else this view's list:
    never another screen's list from the page history, where Flask-AppBuilder goes."""
    for url in reversed(session.get("page_history", [])):
        parts = urlsplit(url)
        if parts.path.startswith(f"{view.route_base}/list"):
            return redirect(parts._replace(scheme="", netloc="").geturl())  # this host
    return redirect(url_for(f"{view.endpoint}.list"))


def return_to_their_lists(appbuilder):
    """After an add, edit or delete, every list screen, Flask-AppBuilder's own included,
    goes back to its own list."""
    for view in appbuilder.baseviews:
        if hasattr(view, "post_edit_redirect") and hasattr(view, "list"):
            back = MethodType(_back_to_its_list, view)
            view.post_add_redirect = view.post_edit_redirect = back
            view.post_delete_redirect = back
