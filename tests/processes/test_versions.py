"""Every file finishes on the version of its process it was created with: a new version
that changes the requirements and the steps never changes a file in flight."""

import yaml

from app.extensions import db
from app.services import processes
from app.workflow.registry import current, workflow_of
from models import Application, ProcessVersion
from tests.api.support import token
from tests.processes.support import (
    TRIAL_YAML,
    GenericClient,
    officer,
    publish_trial_process,
)
from tests.support import user


def version_two():
    """The trial process with one requirement more and no inspection or archive step."""
    spec = yaml.safe_load(TRIAL_YAML)
    spec["requirements"].append({"name": "Foto lokasi", "accept": ["jpg", "png"]})
    spec["steps"] = [step for step in spec["steps"] if step["code"] not in ("cek_lapangan",
                                                                           "catat")]
    return spec


def test_publishing_a_new_version_leaves_files_in_flight_on_theirs(client):
    process = publish_trial_process()
    first = process.published
    officer("dinasuji", "Dinas Uji")
    names = ("pemohon", "frontoffice", "pemeriksa", "dpupr", "pengelolaaset",
             "backoffice", "kepaladinas", "dinasuji")
    generic = GenericClient(client, {name: token(client, name) for name in names})
    old_files = [generic.apply("UJI-REKLAME") for _ in range(3)]
    # One still a draft, two with the examiner.
    for application_id in old_files[1:]:
        generic.act("pemohon", generic.detail("pemohon", application_id),
                    {"action": "ajukan", "fields": []})
        generic.act("frontoffice", generic.detail("frontoffice", application_id),
                    {"action": "terima", "fields": []})

    processes.save_draft(process, version_two(), user("admin"))
    processes.publish(process, user("admin"))
    db.session.expire_all()
    second = db.session.get(type(first), process.published.id)
    assert second.number == 2 and current("uji_reklame").version_id == second.id

    # The files created before keep version 1: its requirements and its steps.
    for application_id in old_files:
        application = db.session.get(Application, application_id)
        assert application.process_version_id == first.id
        assert "cek_lapangan" in workflow_of(application).by_action
        assert len(application.requirements) == 3
    # A new file takes version 2, with the new requirement and without the inspection.
    new_file = db.session.get(Application, generic.apply("UJI-REKLAME"))
    assert new_file.process_version_id == second.id
    assert len(new_file.requirements) == 4
    assert "cek_lapangan" not in workflow_of(new_file).by_action

    # Every old file finishes on version 1 (the inspection and the archive step run).
    for application_id in old_files:
        final = generic.complete(application_id)
        assert final["status"] == "selesai"
    taken = [action for _user, action in generic.trail]
    assert taken.count("cek_lapangan") == 3 and taken.count("catat") == 3
    # And the new one on version 2 (no inspection, no archive step).
    generic.trail.clear()
    assert generic.complete(new_file.id)["status"] == "selesai"
    assert {"cek_lapangan", "catat"}.isdisjoint(a for _u, a in generic.trail)


def test_a_published_version_is_never_edited_and_an_earlier_one_can_come_back(client):
    process = publish_trial_process()
    first = process.published
    processes.save_draft(process, version_two(), user("admin"))
    processes.publish(process, user("admin"))
    assert db.session.get(ProcessVersion, first.id).spec == yaml.safe_load(TRIAL_YAML)
    changed = processes.diff(first, process.published)
    assert any(line.startswith("-") and "cek_lapangan" in line for line in changed)
    assert any(line.startswith("+") and "Foto lokasi" in line for line in changed)

    third = processes.republish(process, first, user("admin"))
    assert third.number == 3 and third.spec == first.spec
    assert current("uji_reklame").version_id == third.id
    assert "cek_lapangan" in current("uji_reklame").by_action


def test_publishing_refuses_a_broken_draft_with_every_problem(client):
    process = publish_trial_process()
    broken = yaml.safe_load(TRIAL_YAML)
    broken["steps"][2]["when"] = {"field": "tidak_ada", "op": "gt", "value": 1}
    broken["steps"][3]["tariff"] = {"basis": "per_m2", "rate": 1000, "field": "judul_reklame"}
    broken["steps"].append({"code": "periksa", "type": "teleport", "role": "X"})
    processes.save_draft(process, broken, user("admin"))
    try:
        processes.publish(process, user("admin"))
    except processes.PublishRefused as refusal:
        problems = " | ".join(refusal.problems)
    else:
        raise AssertionError("a broken draft was published")
    assert "tidak_ada" in problems and "judul_reklame" in problems and "teleport" in problems
    assert process.draft is not None and process.published.number == 1
    assert current("uji_reklame").version_id == process.published.id
