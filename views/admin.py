"""The base of the catalogue's admin screens: select lists for enumerations
(app/forms.py), and deletes that cannot take away what files use."""

from flask import flash, redirect
from flask_appbuilder import ModelView, action
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.forms import ChoiceColumns
from app.services.in_use import InUse, delete_unused, refuse_delete_in_use


class GuardedInterface(SQLAInterface):
    """A delete the database refuses (a row something still refers to, e.g. used in
    the moment between the check and the delete) reads as "in use", not as FAB's
    empty message."""

    def delete(self, item, commit=True):
        try:
            super().delete(item, commit)
        except DatabaseException as error:
            raise DatabaseException(str(InUse.default_message)) from error


class CatalogueModelView(ChoiceColumns, ModelView):
    """Use `datamodel = GuardedInterface(Model)`. A row in use is refused deletion with
    what uses it and what to do instead, from the row's page and from the list's
    "delete" action on several rows alike."""

    method_permission_name = {"muldelete": "delete"}  # the action needs can_delete

    def pre_delete(self, item):
        refuse_delete_in_use(item)

    @action("muldelete", _l("Delete"), _l("Delete the selected entries? Entries in use "
                                          "are kept."), "fa-trash", single=False)
    def muldelete(self, items):
        items = [item for item in (items if isinstance(items, list) else [items]) if item]
        deleted, refusals = delete_unused(items)
        if deleted:
            flash(str(_l("%(count)d entries deleted.", count=deleted)), "success")
        for refusal in refusals:
            flash(refusal, "danger")
        self.update_redirect()
        return redirect(self.get_redirect())
