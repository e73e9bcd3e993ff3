"""Read-only list and show columns computed for the screens, so the models carry no
HTML and import nothing from app (DESIGN.md section 7, the import-linter contracts in
pyproject.toml)."""

from flask_appbuilder.models.sqla.interface import SQLAInterface


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
