"""Plt./Plh. appointments: the admin (or the head of office) appoints an officer to act
as head of office for a period, with the letter that appoints them."""

from flask import g
from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from wtforms.validators import Length, ValidationError

from app.forms import ChoiceColumns
from app.i18n import local_date, local_time
from app.workflow import delegation
from models import SigningDelegation
from models.delegation import DELEGATION_KINDS


def appointment_rule(form, field):
    """The rules of app.workflow.delegation, each shown under the field it is about."""
    problems = delegation.appointment_problems(
        form.delegate.data, form.start_date.data, form.end_date.data,
        exclude_id=getattr(form, "_id", None))
    if field.name in problems:
        raise ValidationError(problems[field.name])


class SigningDelegationView(ChoiceColumns, ModelView):
    class_permission_name = delegation.APPOINTMENT_VIEW
    datamodel = SQLAInterface(SigningDelegation)
    list_title = _l("Plt./Plh. appointments")
    show_title = add_title = edit_title = _l("Plt./Plh. appointment")
    list_columns = ["delegate", "kind", "start_date", "end_date", "letter_number"]
    add_columns = edit_columns = ["delegate", "kind", "start_date", "end_date",
                                  "letter_number"]
    show_columns = [*add_columns, "created_by", "created_at"]
    search_columns = ["delegate", "kind", "start_date", "end_date", "letter_number"]
    order_columns = ["start_date", "end_date"]
    base_order = ("start_date", "desc")
    label_columns = {
        "delegate": _l("Delegate"),
        "kind": _l("Kind"),
        "start_date": _l("First day"),
        "end_date": _l("Last day"),
        "letter_number": _l("Appointing letter (nomor surat perintah)"),
        "created_by": _l("Appointed by"),
        "created_at": _l("Recorded at"),
    }
    description_columns = {
        "delegate": _l("From the first to the last day (office dates, both included) "
                       "the delegate holds the head of office's permissions and signs "
                       "decrees as Plt. or Plh.; before and after, none of them."),
        "kind": _l("Plt. when the position is vacant or its holder permanently unable; "
                   "Plh. while its holder is temporarily away."),
    }
    choice_columns = {"kind": DELEGATION_KINDS}
    add_form_query_rel_fields = {"delegate": [["active", FilterEqual, True]]}
    edit_form_query_rel_fields = add_form_query_rel_fields
    validators_columns = {
        "delegate": [appointment_rule],
        "start_date": [appointment_rule],
        "end_date": [appointment_rule],
        "letter_number": [Length(min=3, max=100)],
    }
    formatters_columns = {
        "start_date": local_date,
        "end_date": local_date,
        "created_at": local_time,
    }

    def pre_add(self, item):
        item.created_by_id = g.user.id
