"""The applicants' satisfaction survey (SKM, PermenPAN-RB 14/2017): once a file is
finished or rejected, its applicant rates the nine service elements from 1 to 4, once.
The statistics (IKM) are computed elsewhere; this module only takes the answers."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import RadioField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.workflow.engine import form_errors, record_event, unit_of_work
from app.workflow.fields import SiapForm
from app.workflow.files import load_visible
from app.workflow.registry import is_in
from models import SKM_ELEMENTS, SurveyResponse
from models.service import SKM_ELEMENT_LABELS as LABELS

# The regulation's scale: tidak baik, kurang baik, baik, sangat baik.
SCORES = [(1, _l("Not good")), (2, _l("Less than good")), (3, _l("Good")),
          (4, _l("Very good"))]
SCORE_MESSAGE = _l("Choose a score from 1 to 4.")
NOT_APPLICANT = _l("Only the applicant of this file can answer its survey.")
NOT_CLOSED = _l("The survey opens when the file is finished or rejected.")
ALREADY_ANSWERED = _l("The survey of this file is already answered.")


def _int_or_none(value):
    """A score as posted; anything not a number becomes None, refused by AnyOf with
    the same message as 0 or 5."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _score(label):
    return RadioField(
        label, choices=SCORES, coerce=_int_or_none, validate_choice=False,
        validators=[InputRequired(SCORE_MESSAGE), AnyOf([v for v, _ in SCORES], SCORE_MESSAGE)],
    )


class SurveyForm(SiapForm):
    """Field names are the columns of SurveyResponse (SKM_ELEMENTS), in that order."""

    persyaratan = _score(LABELS["persyaratan"])
    prosedur = _score(LABELS["prosedur"])
    waktu = _score(LABELS["waktu"])
    biaya = _score(LABELS["biaya"])
    produk = _score(LABELS["produk"])
    kompetensi = _score(LABELS["kompetensi"])
    perilaku = _score(LABELS["perilaku"])
    sarana = _score(LABELS["sarana"])
    pengaduan = _score(LABELS["pengaduan"])
    comment = TextAreaField(_l("Comment (optional)"),
                            validators=[Optional(), Length(max=1000)])

    def elements(self):
        return [self[name] for name in SKM_ELEMENTS]


def response_of(application):
    return db.session.scalar(
        select(SurveyResponse).where(SurveyResponse.application_id == application.id)
    )


def _is_applicant(application, user):
    # Only the owner account: a walk-in file (no owner) has no survey online.
    return application.owner_id is not None and user.id == application.owner_id


def answered_by(application, user):
    """Whether this user is the applicant and has answered the survey of this file."""
    return _is_applicant(application, user) and response_of(application) is not None


def survey_rule(application, user):
    """None when this user may fill the survey of this file now, else the reason."""
    if not _is_applicant(application, user):
        return NOT_APPLICANT
    if not is_in(application, "survey_states"):
        return NOT_CLOSED
    if response_of(application) is not None:
        return ALREADY_ANSWERED
    return None


def open_survey(application_id, user):
    """The application whose survey this user may fill now; NotFound when not visible,
    Forbidden when not its applicant, Conflict with the reason otherwise."""
    application = load_visible(application_id, user)
    refusal = survey_rule(application, user)
    if refusal is NOT_APPLICANT:
        raise Forbidden(refusal)
    if refusal is not None:
        raise Conflict(refusal)
    return application


def submit_survey(application_id, user, formdata):
    application = open_survey(application_id, user)
    form = SurveyForm(formdata=formdata)
    if not form.validate():
        raise InvalidInput(form_errors(form))
    response = SurveyResponse(
        application=application, respondent_id=user.id,
        comment=(form.comment.data or "").strip() or None,
        **{name: form[name].data for name in SKM_ELEMENTS},
    )
    try:
        with unit_of_work():
            db.session.add(response)
            record_event(application, "survei_skm", user)
    except IntegrityError:
        # Two submissions at once: the unique application_id keeps only the first.
        raise Conflict(ALREADY_ANSWERED) from None
    return response
