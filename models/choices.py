"""Enumerated columns. Each enumeration is a str Enum with a translated label per value;
a value outside it is refused three times over: by the admin screens (a select list of
the labels), by the model before flush (`InvalidChoice`), and by the database (a CHECK
constraint, migration 0011)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint
from sqlalchemy.orm import validates


class InvalidChoice(ValueError):
    """A value outside a column's enumeration; its text (translated) names the choices."""

    def __init__(self, column_label, value, choices):
        self.column_label, self.value, self.choices = column_label, value, choices
        super().__init__(value)

    @property
    def message(self):
        return _l("“%(value)s” is not a valid choice for %(column)s. Choose one of: "
                  "%(choices)s.", value=self.value, column=self.column_label,
                  choices=", ".join(str(label) for label in self.choices.labels.values()))

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Choices:
    """The values of an enumerated column, in display order, with their labels."""

    labels: dict  # enum member → translated label

    @property
    def values(self):
        return tuple(str(value) for value in self.labels)

    def label(self, value):
        """The translated label of a value (the value itself if it has none)."""
        return self.labels.get(value, value)

    def check(self, column, name):
        """The CHECK constraint that keeps the column inside the enumeration (a NULL
        passes: whether the column may be empty is its NOT NULL's business)."""
        quoted = ", ".join(f"'{value}'" for value in self.values)
        return CheckConstraint(f"{column} IN ({quoted})", name=name)

    def checked(self, value, column_label):
        if value is None or value in self.values:
            return value
        raise InvalidChoice(column_label, value, self)


def refuse_unknown_choices(**columns):
    """A model validator: `name=(choices, label)` for each enumerated column. An empty
    string becomes None, so an optional column left blank in a form stays empty."""

    @validates(*columns)
    def _refuse_unknown_choices(self, key, value):
        choices, label = columns[key]
        return choices.checked(None if value == "" else value, label)

    return _refuse_unknown_choices
