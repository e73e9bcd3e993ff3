"""What a workflow's states mean (editable, checked, granted, …) is declared in its
definition: the services ask the definition, so a workflow with other state names works
without touching them (DESIGN.md section 7, "one registration per kind")."""

from enum import StrEnum

import pytest

from app.errors import Conflict
from app.extensions import db
from app.services import applications, renewal, survey
from app.services.statistics import StatisticsFilter, processing_times
from app.workflow.definition import Transition, Workflow
from app.workflow.engine import STATUS_WRITERS, set_status
from app.workflow.registry import WORKFLOWS
from models.application import utcnow
from tests.support import make_pkkpr, user

# Written by hand from DESIGN.md sections 3 and 4, not read from the definitions.
EXPECTED = {
    "editable_states": {"draft", "perlu_perbaikan"},
    "checking_states": {"diajukan", "diterima_fo", "diperiksa"},
    "digitising_states": {"diajukan", "diterima_fo"},
    "granted_states": {"selesai"},
    "refused_states": {"ditolak"},
    "withdrawn_states": {"ditarik"},
    "survey_states": {"selesai", "ditolak"},
    "signing_states": {"siap_ds"},
    "initialling_states": {"menunggu_paraf"},
}


@pytest.mark.parametrize("kind", ["pkkpr_nb", "aset"])
@pytest.mark.parametrize("meaning", sorted(EXPECTED))
def test_the_built_in_workflows_declare_what_their_states_mean(kind, meaning):
    workflow = WORKFLOWS[kind]
    assert workflow.values(getattr(workflow, meaning)) == EXPECTED[meaning]


class Uji(StrEnum):
    """A process whose state names are none of the built-in ones."""

    KONSEP = "konsep"
    KOREKSI = "koreksi"
    VERIFIKASI = "verifikasi"
    MENUNGGU_TTD = "menunggu_ttd"
    DISETUJUI = "disetujui"
    DITAMPIK = "ditampik"


def uji_workflow(kind="pkkpr_nb", **meanings):
    return Workflow(
        kind=kind, states=Uji, initial=Uji.KONSEP,
        terminal=frozenset({Uji.DISETUJUI, Uji.DITAMPIK}),
        state_labels={state: state.value for state in Uji},
        paused_states=frozenset({Uji.KOREKSI}),
        transitions=(
            Transition("ajukan", (Uji.KONSEP, Uji.KOREKSI), Uji.VERIFIKASI, "ajukan",
                       by_applicant=True),
            Transition("kembalikan", (Uji.VERIFIKASI,), Uji.KOREKSI, "kembalikan"),
            Transition("teruskan", (Uji.VERIFIKASI,), Uji.MENUNGGU_TTD, "teruskan"),
            Transition("tandatangani", (Uji.MENUNGGU_TTD,), Uji.DISETUJUI, "tandatangani"),
            Transition("tolak_ds", (Uji.MENUNGGU_TTD,), Uji.DITAMPIK, "tolak"),
        ),
        **{
            "editable_states": frozenset({Uji.KONSEP, Uji.KOREKSI}),
            "checking_states": frozenset({Uji.VERIFIKASI}),
            "digitising_states": frozenset({Uji.VERIFIKASI}),
            "granted_states": frozenset({Uji.DISETUJUI}),
            "refused_states": frozenset({Uji.DITAMPIK}),
            "survey_states": frozenset({Uji.DISETUJUI, Uji.DITAMPIK}),
            **meanings,
        },
    )


@pytest.mark.parametrize(
    ("meanings", "problem"),
    [
        ({"granted_states": frozenset({Uji.MENUNGGU_TTD})}, "granted_states: only final"),
        ({"survey_states": frozenset({Uji.KONSEP})}, "survey_states: only final"),
        ({"withdrawn_states": frozenset({Uji.VERIFIKASI})}, "withdrawn_states: only final"),
        ({"editable_states": frozenset({Uji.DISETUJUI})}, "editable_states: no final"),
        ({"checking_states": frozenset({"diperiksa"})}, "checking_states: unknown states"),
    ],
    ids=["granted-not-final", "survey-not-final", "withdrawn-not-final", "editable-final",
         "unknown-state"],
)
def test_a_meaning_given_to_the_wrong_states_is_refused_at_import(meanings, problem):
    with pytest.raises(ValueError, match=problem):
        uji_workflow(**meanings)


def test_the_signing_state_is_where_the_signature_leaves_from():
    workflow = uji_workflow()
    assert workflow.signing_states == {Uji.MENUNGGU_TTD}
    assert workflow.initialling_states == frozenset()  # it has no initials
    assert [workflow.state_style(s) for s in Uji] == [
        "primary", "warning", "primary", "success", "success", "danger"]


@pytest.fixture
def run_by_uji(monkeypatch):
    """From its call, the PKKPR kind is run by a workflow with other state names, for
    one test (files are made before, through the real one)."""
    return lambda: monkeypatch.setitem(WORKFLOWS, "pkkpr_nb", uji_workflow())


def put(application, state):
    set_status(application, state, utcnow())
    db.session.commit()
    db.session.info.pop(STATUS_WRITERS, None)


def test_the_survey_opens_in_the_declared_states_whatever_their_names(run_by_uji):
    application = make_pkkpr("selesai")
    run_by_uji()
    applicant = user("pemohon")
    assert survey.survey_rule(application, applicant) is survey.NOT_CLOSED
    for state in (Uji.DISETUJUI, Uji.DITAMPIK):
        put(application, state)
        assert survey.survey_rule(application, applicant) is None
    put(application, Uji.MENUNGGU_TTD)
    assert survey.survey_rule(application, applicant) is survey.NOT_CLOSED


def test_the_applicant_edits_in_the_declared_states_whatever_their_names(run_by_uji):
    application = make_pkkpr("draft")
    run_by_uji()
    applicant = user("pemohon")
    with pytest.raises(Conflict):
        applications.editable_application(application.id, applicant)
    put(application, Uji.KOREKSI)
    assert applications.editable_application(application.id, applicant) == application
    assert applications.upload_rule(application, applicant,
                                    application.documents[0].requirement_id) is not None
    put(application, Uji.KONSEP)
    assert applications.upload_rule(application, applicant,
                                    application.documents[0].requirement_id) is None


def test_statistics_count_the_declared_granted_states_as_finished(run_by_uji):
    application = make_pkkpr("selesai")
    run_by_uji()
    staff = user("kepaladinas")
    assert processing_times(staff, StatisticsFilter())[0].count == 0
    put(application, Uji.DISETUJUI)
    assert processing_times(staff, StatisticsFilter())[0].count == 1


def test_a_renewal_needs_a_declared_granted_state(run_by_uji):
    application = make_pkkpr("selesai")
    run_by_uji()
    put(application, Uji.DITAMPIK)
    assert renewal._ended_without_permit(application) is True
    put(application, Uji.DISETUJUI)
    assert renewal._ended_without_permit(application) is False


def test_the_signing_page_lists_the_files_in_the_declared_signing_state(run_by_uji, login_as):
    application = make_pkkpr("siap_ds", registration_number="UJI/2026/000001")
    run_by_uji()
    kepala = login_as("kepaladinas")
    assert "UJI/2026/000001" not in kepala.get("/tandatangan/").get_data(as_text=True)
    put(application, Uji.MENUNGGU_TTD)
    assert "UJI/2026/000001" in kepala.get("/tandatangan/").get_data(as_text=True)
