"""A configured permit type an admin marks renewable is renewed like a built-in one: the
holder's new draft is linked to the permit, prefilled with its answers, runs on the
process's current version, and its decree cites the permit it renews. What the current
form no longer accepts is named, and the holder is told to apply anew."""

import pytest
import yaml

from app.errors import Conflict
from app.extensions import db
from app.services import processes, renewal
from models import PermitType, Process
from tests.api.support import api, token
from tests.processes.support import GenericClient, pdf_text, publish_trial_process
from tests.support import user

RENEWABLE_YAML = """
code: uji_ulang
name: Izin Uji Ulang
form:
  - {name: nama_usaha, type: text, label: Nama usaha}
  - {name: jumlah_kursi, type: number, label: Jumlah kursi, min: 1, max: 200}
requirements:
  - {name: KTP pemohon}
steps:
  - {code: periksa, type: document_check, label: Pemeriksaan berkas, role: Pemeriksa}
decree: {numbering_role: Back Office, signing_role: Kepala Dinas}
"""
STAFF = ("frontoffice", "pemeriksa", "backoffice", "kepaladinas")


@pytest.fixture
def granted(client):
    """(generic client, the id of a file of the process finished with a signed decree)."""
    publish_trial_process(RENEWABLE_YAML, permit_code="UJI-ULANG")
    db.session.query(PermitType).filter_by(code="UJI-ULANG").one().renewable = True
    db.session.commit()
    generic = GenericClient(client, {name: token(client, name)
                                     for name in ("pemohon", *STAFF)})
    application_id = generic.apply("UJI-ULANG")
    assert generic.complete(application_id)["status"] == "selesai"
    return generic, application_id


def answers(body):
    return {row["name"]: row["value"] for row in body["answers"]}


def test_the_holder_renews_a_configured_permit_and_its_decree_cites_the_old_one(granted):
    generic, old_id = granted
    old = generic.detail("pemohon", old_id)
    assert old["can_renew"] is True
    created = generic.call("pemohon", "POST", f"/applications/{old_id}/renew", json={})
    assert created.status_code == 201, created.get_json()
    draft = created.get_json()
    assert draft["status"] == "draft" and draft["renews"]["id"] == old_id
    assert answers(draft) == answers(old)

    generic.upload_requirements("pemohon", draft)
    final = generic.complete(draft["id"])
    assert final["status"] == "selesai"
    decree = generic.call("pemohon", "GET", f"/applications/{draft['id']}/decree")
    text = pdf_text(decree.data)
    assert "PERPANJANGAN IZIN UJI ULANG" in text
    assert "perpanjangan atas Keputusan" in text and old["sk_number"] in text


def test_a_renewal_the_current_form_no_longer_accepts_is_refused_with_the_reason(granted):
    _generic, old_id = granted
    process = db.session.query(Process).filter_by(code="uji_ulang").one()
    spec = yaml.safe_load(RENEWABLE_YAML)
    spec["form"][1]["max"] = 10  # the old file's 12 seats are too many now
    processes.save_draft(process, spec, user("admin"))
    processes.publish(process, user("admin"))
    with pytest.raises(Conflict, match="Jumlah kursi"):
        renewal.renew(old_id, user("pemohon"))


def test_the_api_refuses_anyone_but_the_holder(granted, client):
    _generic, old_id = granted
    response = api(client, token(client, "backoffice"), "POST",
                   f"/applications/{old_id}/renew", json={})
    assert response.status_code == 404
