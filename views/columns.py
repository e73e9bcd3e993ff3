"""Read-only list and show columns computed for the screens, so the models carry no
HTML and import nothing from app (DESIGN.md section 7, the import-linter contracts in
pyproject.toml)."""

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
    `PresentedInterface(Model, presented={"file_link": file_link})` shows `file_link(row)`."""

    def __init__(self, obj, session=None, presented=None):
        super().__init__(obj, session)
        self.presented = dict(presented or {})

    def _get_attr_value(self, item, col):
        if col in self.presented:
            return self.presented[col](item)
        return super()._get_attr_value(item, col)

    def get_order_columns_list(self, list_columns=None):
        """Computed columns have no database column to sort by."""
        return [column for column in super().get_order_columns_list(list_columns)
                if column not in self.presented]
