"""Admin screens for service standards: extra days off of the working-day calendar and
the target of each stage of a permit type."""

from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange, ValidationError

from app.forms import ChoiceColumns
from app.workflow.registry import current, current_workflows
from models import Holiday, StageTarget
from models.choices import Choices


class HolidayView(ModelView):
    """Cuti bersama and regional days off the national calendar does not know."""

    datamodel = SQLAInterface(Holiday)
    list_title = _l("Days off")
    show_title = add_title = edit_title = _l("Day off")
    list_columns = add_columns = edit_columns = show_columns = ["date", "name"]
    base_order = ("date", "desc")
    label_columns = {"date": _l("Date"), "name": _l("Name")}
    description_columns = {
        "date": _l("National holidays and collective leave are known already; add the "
                   "regional ones (e.g. Hari Jadi Kabupaten Blitar).")
    }


class StageChoices(Choices):
    """Every non-final status of every workflow, the configured processes' current
    versions included (a status several workflows share, such as the submitted one, has
    the same label in each): read when the form is shown, so a process published since
    the start brings its steps. Offered as a list and checked against the permit type's
    workflow here; not constrained in the database, where the workflow definitions are
    what says which statuses exist."""

    def __init__(self):  # the labels are read from the registry, not given
        pass

    @property
    def labels(self):
        labels = {}
        for workflow in current_workflows():
            for state in workflow.states:
                if state != workflow.initial and state not in workflow.terminal:
                    labels.setdefault(state.value, workflow.label(state))
        return labels


def status_of_the_permit_types_workflow(form, field):
    permit_type = form.permit_type.data
    if permit_type is None:
        return
    workflow = current(permit_type.workflow_kind)
    if field.data not in {s.value for s in workflow.states}:
        raise ValidationError(_l("This status is not part of the permit type's workflow."))


class StageTargetView(ChoiceColumns, ModelView):
    datamodel = SQLAInterface(StageTarget)
    list_title = _l("Stage targets")
    show_title = add_title = edit_title = _l("Stage target")
    list_columns = ["permit_type", "status", "days"]
    add_columns = edit_columns = show_columns = ["permit_type", "status", "days"]
    label_columns = {"permit_type": _l("Permit type"), "status": _l("Status"),
                     "days": _l("Working days")}
    description_columns = {
        "days": _l("Files past this many working days in the status are highlighted in "
                   "the inboxes.")
    }
    validators_columns = {
        "status": [status_of_the_permit_types_workflow],
        "days": [NumberRange(min=1, max=365)],
    }
    choice_columns = {"status": StageChoices()}
