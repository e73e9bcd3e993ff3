"""Workflow definitions are checked when imported, and readable without code."""

from enum import StrEnum

import pytest

from app.cli import siap_cli
from app.security import roles
from app.workflow.definition import Transition, Workflow
from app.workflow.pkkpr_nb import DEFAULT_ROLES, WORKFLOW


class Tiny(StrEnum):
    A = "a"
    B = "b"
    C = "c"


def tiny(transitions, terminal=frozenset({Tiny.C})):
    return Workflow(kind="tiny", states=Tiny, initial=Tiny.A, terminal=terminal,
                    state_labels={s: s.value for s in Tiny}, transitions=transitions)


def test_a_valid_definition_is_accepted():
    flow = tiny((Transition("go", (Tiny.A,), Tiny.B, "go"),
                 Transition("end", (Tiny.B,), Tiny.C, "end")))
    assert flow.transition("go").target == Tiny.B


@pytest.mark.parametrize(
    ("transitions", "terminal", "problem"),
    [
        ((Transition("go", (Tiny.A,), Tiny.C, "go"),), frozenset({Tiny.C}), "unreachable"),
        ((Transition("go", (Tiny.A,), Tiny.B, "go"), Transition("end", (Tiny.B,), Tiny.C, "e"),
          Transition("back", (Tiny.C,), Tiny.A, "b")), frozenset({Tiny.C}), "terminal state c"),
        ((Transition("go", (Tiny.A,), Tiny.B, "go"), Transition("x", (Tiny.A,), Tiny.C, "x")),
         frozenset({Tiny.C}), "state b has no exit"),
        ((Transition("go", (Tiny.A,), Tiny.B, "go"), Transition("go", (Tiny.B,), Tiny.C, "g")),
         frozenset({Tiny.C}), "duplicate"),
        ((Transition("go", (Tiny.A,), Tiny.B, "go", route=lambda ctx: Tiny.B),
          Transition("end", (Tiny.B,), Tiny.C, "e")), frozenset({Tiny.C}), "route needs"),
        ((Transition("go", (Tiny.A,), Tiny.B, "go"), Transition("end", (Tiny.B,), Tiny.C, "e"),
          Transition("again", (Tiny.B,), Tiny.A, "a", reopens=True)), frozenset({Tiny.C}),
         "only a final state is reopened"),
        ((Transition("go", (Tiny.A,), Tiny.B, "go"),
          Transition("late", (Tiny.B,), Tiny.C, "l", by_system=True)), frozenset({Tiny.C}),
         "state of its deadline"),
    ],
    ids=["unreachable", "terminal-with-exit", "dead-end", "duplicate-action",
         "route-without-alternatives", "reopening-an-open-state",
         "system-transition-without-deadline"],
)
def test_a_broken_definition_is_refused_at_import(transitions, terminal, problem):
    with pytest.raises(ValueError, match=problem):
        tiny(transitions, terminal)


def test_a_final_state_may_only_be_reopened():
    flow = tiny((Transition("go", (Tiny.A,), Tiny.B, "go"),
                 Transition("end", (Tiny.B,), Tiny.C, "end"),
                 Transition("reopen", (Tiny.C,), Tiny.B, "reopen", reopens=True)))
    assert [t.action for t in flow.transitions_from(Tiny.C)] == ["reopen"]


def test_a_state_reached_only_through_a_route_alternative_is_reachable():
    flow = tiny((Transition("go", (Tiny.A,), Tiny.B, "go", route=lambda ctx: Tiny.C,
                            alternatives=(Tiny.C,)),
                 Transition("end", (Tiny.B,), Tiny.C, "end")))
    assert flow.transition("go").targets == (Tiny.B, Tiny.C)
    assert "a → b | c" in flow.describe().replace("  ", " ")


def test_the_asset_workflow_matches_the_design_table():
    from app.workflow.aset import DEFAULT_ROLES as ASSET_ROLES
    from app.workflow.aset import WORKFLOW as ASSET_WORKFLOW

    table = {t.action: ({s.value for s in t.sources}, {s.value for s in t.targets})
             for t in ASSET_WORKFLOW.transitions}
    assert table["teruskan_dinas"] == ({"diperiksa"}, {"diteruskan_opd"})
    assert table["terbitkan_rekomendasi"] == ({"diteruskan_opd"},
                                             {"menunggu_pembayaran", "penyiapan_sk"})
    assert table["konfirmasi_pembayaran"] == ({"verifikasi_pembayaran"}, {"penyiapan_sk"})
    assert table["tandatangani"] == ({"siap_ds"}, {"selesai"})
    assert table["input_nomor_sk"] == ({"penyiapan_sk"}, {"siap_ds", "menunggu_paraf"})
    assert table["paraf"] == ({"menunggu_paraf"}, {"siap_ds", "menunggu_paraf"})
    assert table["kembalikan_bo"] == ({"menunggu_paraf", "siap_ds"}, {"penyiapan_sk"})
    assert ASSET_ROLES["terbitkan_rekomendasi"] == (roles.PENGELOLA_ASET,)
    assert roles.PENGELOLA_ASET not in ASSET_ROLES["lihat_semua"]
    assert ASSET_WORKFLOW.scoped_by_agency
    # An unpaid SKRD lapses by itself at its due date (issue 15); before, the agency may
    # move the due date (the file stays where it is).
    assert table["retribusi_lewat_tempo"] == ({"menunggu_pembayaran"}, {"gugur"})
    assert ASSET_WORKFLOW.transition("retribusi_lewat_tempo").by_system
    assert "gugur" in {s.value for s in ASSET_WORKFLOW.terminal}
    assert table["perpanjang_jatuh_tempo"] == ({"menunggu_pembayaran"}, {"menunggu_pembayaran"})
    assert ASSET_ROLES["perpanjang_jatuh_tempo"] == (roles.PENGELOLA_ASET,)
    assert_the_correction_deadline(ASSET_WORKFLOW, ASSET_ROLES)


def assert_the_correction_deadline(workflow, default_roles):
    """A file not corrected by its deadline lapses by itself (issue 15), into a final
    state of its own; the front office may reopen it, for a new correction."""
    table = {t.action: ({s.value for s in t.sources}, {s.value for s in t.targets})
             for t in workflow.transitions}
    assert [s.value for s in workflow.deadline_states["correction_due_on"]] == ["perlu_perbaikan"]
    assert table["perbaikan_lewat_tempo"] == ({"perlu_perbaikan"}, {"gugur_perbaikan"})
    lapse = workflow.transition("perbaikan_lewat_tempo")
    assert lapse.by_system and lapse.deadline == "correction_due_on"
    assert "perbaikan_lewat_tempo" not in default_roles
    assert "gugur_perbaikan" in {s.value for s in workflow.terminal}
    assert table["buka_kembali"] == ({"gugur_perbaikan"}, {"perlu_perbaikan"})
    assert workflow.transition("buka_kembali").reopens
    assert default_roles["buka_kembali"] == (roles.FRONT_OFFICE,)
    assert [t.action for t in workflow.transitions_from(workflow.states("gugur_perbaikan"))] \
        == ["buka_kembali"]


def test_the_pkkpr_workflow_matches_the_design_table():
    table = {t.action: ({s.value for s in t.sources}, t.target.value) for t in WORKFLOW.transitions}
    assert table["ajukan"] == ({"draft", "perlu_perbaikan"}, "diajukan")
    assert table["kembalikan"] == ({"diajukan", "diterima_fo", "diperiksa"}, "perlu_perbaikan")
    assert table["tolak"] == ({"diteruskan_dinas", "krk_terbit", "pertek_terbit"}, "ditolak")
    assert table["input_nomor_sk"] == ({"rekomendasi_terbit"}, "siap_ds")
    # Paraf koordinasi, when the permit type names roles: the SK number may lead to the
    # initials, the last initial to the signature; the head of office returns from both.
    targets = {t.action: {s.value for s in t.targets} for t in WORKFLOW.transitions}
    assert targets["input_nomor_sk"] == {"siap_ds", "menunggu_paraf"}
    assert table["paraf"] == ({"menunggu_paraf"}, "siap_ds")
    assert targets["paraf"] == {"siap_ds", "menunggu_paraf"}
    assert table["kembalikan_bo"] == ({"menunggu_paraf", "siap_ds"}, "rekomendasi_terbit")
    assert DEFAULT_ROLES["paraf"] == (roles.KEPALA_BIDANG_PERIZINAN,)
    # A draft is cancelled; a submitted file is withdrawn with a reason, until the
    # signature (issue 15).
    assert table["batalkan"] == ({"draft"}, "dibatalkan")
    assert table["tarik_permohonan"] == (
        {"diajukan", "diterima_fo", "perlu_perbaikan", "diperiksa", "diteruskan_dinas",
         "krk_terbit", "menunggu_pembayaran", "billing_kedaluwarsa", "pembayaran_pnbp",
         "penerbitan_pertek", "pertek_terbit", "rekomendasi_terbit", "menunggu_paraf",
         "siap_ds"}, "ditarik")
    assert DEFAULT_ROLES["tarik_permohonan"] == (roles.PEMOHON,)
    assert DEFAULT_ROLES["terbitkan_sps"] == (roles.ATR_BPN,)
    # An unpaid billing code lapses by itself (issue 15); the land office issues a new
    # SPS, which nobody else does.
    assert table["billing_kedaluwarsa"] == ({"menunggu_pembayaran"}, "billing_kedaluwarsa")
    assert WORKFLOW.transition("billing_kedaluwarsa").by_system
    assert "billing_kedaluwarsa" not in DEFAULT_ROLES
    assert table["terbitkan_ulang_sps"] == ({"billing_kedaluwarsa"}, "menunggu_pembayaran")
    assert DEFAULT_ROLES["terbitkan_ulang_sps"] == (roles.ATR_BPN,)
    assert_the_correction_deadline(WORKFLOW, DEFAULT_ROLES)


def test_each_action_is_granted_to_exactly_its_default_roles(app):
    sm = app.appbuilder.sm
    for action, role_names in DEFAULT_ROLES.items():
        permission_view = sm.find_permission_view_menu(action, WORKFLOW.permission_view)
        holders = {role.name for role in sm.get_all_roles()
                   if permission_view in role.permissions}
        assert holders == set(role_names), action  # Admin holds no workflow action


def test_the_workflow_command_prints_states_transitions_and_a_diagram(app, tmp_path):
    diagram = tmp_path / "pkkpr.dot"
    result = app.test_cli_runner().invoke(siap_cli, ["workflow", "pkkpr_nb", "--dot",
                                                     str(diagram)])
    assert result.exit_code == 0, result.output
    assert "terbitkan_sps            krk_terbit → menunggu_pembayaran  [ATR BPN]" \
        in result.output
    assert "siap_ds" in result.output and "(terminal)" in result.output
    assert '"krk_terbit" -> "menunggu_pembayaran" [label="terbitkan_sps"];' in diagram.read_text()
