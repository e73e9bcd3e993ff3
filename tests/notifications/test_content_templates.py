"""Every message kind has the numbered variables of an approved WhatsApp content template:
where an admin registered its Content SID, WhatsApp messages go out as that template
(ContentSid + ContentVariables in the kind's order), which WhatsApp delivers outside the
24-hour window too; the admin screen and the README say which variables to register."""

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.notifications.templates import DEFAULTS, check_template
from app.notifications.worker import send_pending
from app.services.applications import judge_document
from app.workflow.engine import apply_action
from models import MessageTemplate, OutboxMessage
from tests.notifications.fake_twilio import twilio_backend, twilio_sms_backend
from tests.support import make_pkkpr, user

CONTENT_SID = "HX" + "ab12" * 8
README = Path(__file__).resolve().parents[2] / "README.md"
VARIABLE = re.compile(r"\{\{(\d+)\}\}")


def register(key, sid=CONTENT_SID):
    template = db.session.scalar(select(MessageTemplate).where(MessageTemplate.key == key))
    template.content_sid = sid
    db.session.commit()
    return template


def returned_file():
    """A file of `pemohon` returned for correction: a status message of several lines."""
    application = make_pkkpr("diterima_fo", documents="pending")
    judge_document(application.id, application.documents[0].id, user("frontoffice"),
                   "rejected", "Foto buram")
    apply_action(application.id, "kembalikan", user("frontoffice"),
                 MultiDict({"alasan": "Lengkapi   dokumen"}))
    return application


def status_message(application):
    return db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.application_id == application.id,
        OutboxMessage.template_key == "status_pemohon").order_by(OutboxMessage.id.desc()))


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_each_kind_declares_its_placeholders_as_numbered_variables_in_order(key):
    kind = DEFAULTS[key]
    assert list(kind.content_variables) == [str(n) for n in range(1, len(kind.placeholders) + 1)]
    assert list(kind.content_variables.values()) == list(kind.placeholders)
    assert check_template(key, kind.body) is None
    # WhatsApp approves a template whose text neither starts nor ends with a variable
    # and never puts two variables side by side.
    text = kind.content_template_text.strip()
    assert sorted(set(VARIABLE.findall(text)), key=int) == list(kind.content_variables)
    assert not text.startswith("{{") and not text.endswith("}}"), text
    assert not re.search(r"\}\}\s*\{\{", text), text


def test_a_registered_template_goes_as_content_sid_and_its_variables_in_order():
    application = returned_file()
    message = status_message(application)
    register("status_pemohon")  # after queueing: read when sent (a retry uses it too)
    backend, http = twilio_backend()
    send_pending(backends={"whatsapp": backend})
    [sent] = [r for r in http.requests if r.get("ContentSid")]
    assert sent["ContentSid"] == CONTENT_SID and "Body" not in sent
    variables = json.loads(sent["ContentVariables"])
    assert list(variables) == ["1", "2", "3", "4", "5", "6"]
    assert variables["1"] == "Budi Santoso"
    assert variables["2"] == application.registration_number
    assert variables["3"] == "PKKPR Non Berusaha" and variables["4"] == "Perlu Perbaikan"
    # One line without runs of spaces (WhatsApp refuses them in a variable), each line of
    # the text a sentence.
    assert variables["5"].startswith("Alasan pengembalian: Lengkapi dokumen. Dokumen yang "
                                     "harus diunggah ulang:"), variables["5"]
    assert "\n" not in variables["5"] and "  " not in variables["5"]
    assert variables["6"].endswith(f"/permohonan/{application.id}")
    assert db.session.get(OutboxMessage, message.id).status == "sent"


def test_without_a_registered_template_the_text_is_sent():
    application = returned_file()
    backend, http = twilio_backend()
    send_pending(backends={"whatsapp": backend})
    bodies = [r for r in http.requests if r.get("To") == "whatsapp:+6281234567890"]
    assert bodies and all("ContentSid" not in r for r in bodies)
    assert "Alasan pengembalian" in bodies[-1]["Body"]
    assert status_message(application).status == "sent"


def test_an_empty_value_is_sent_as_a_dash_never_as_nothing():
    """Twilio refuses a content variable that is empty (21656)."""
    from app.notifications.templates import content_variables

    values = {"nama": "Budi", "nomor": "X/1", "jenis_izin": "PKKPR", "status": "Diajukan",
              "langkah": "", "tautan": "https://contoh"}
    assert content_variables("status_pemohon", values)["5"] == "-"


def test_sms_sends_the_text_even_where_a_whatsapp_template_is_registered():
    application = returned_file()
    register("status_pemohon")
    message = status_message(application)
    backend, http = twilio_sms_backend()
    message.channel = "sms"
    db.session.commit()
    send_pending(backends={"sms": backend})
    [sent] = http.requests
    assert "ContentSid" not in sent and "Alasan pengembalian" in sent["Body"]


def test_the_admin_screen_shows_each_kinds_numbered_variables(login_as):
    admin = login_as("admin")
    listing = admin.get("/messagetemplateview/list/").get_data(as_text=True)
    for key, kind in DEFAULTS.items():
        numbered = ", ".join(f"{{{{{n}}}}} {name}" for n, name in kind.content_variables.items())
        assert key in listing and numbered in listing, key
    assert "{{1}} nama, {{2}} nomor, {{3}} jenis_izin, {{4}} status, {{5}} langkah, " \
           "{{6}} tautan" in listing
    template = register("izin_dicabut", None)
    shown = admin.get(f"/messagetemplateview/show/{template.id}").get_data(as_text=True)
    assert "{{7}} alasan, {{8}} tautan" in shown
    assert "DICABUT pada {{6}} dengan Keputusan Nomor {{5}}" in shown
    form = admin.get(f"/messagetemplateview/edit/{template.id}").get_data(as_text=True)
    assert "Variabel: {{1}} nama" in form and "Content SID" in form


def test_the_admin_registers_a_content_sid_and_a_malformed_one_is_refused(login_as):
    template = register("status_pemohon", None)
    admin = login_as("admin")
    data = {"key": "status_pemohon", "description": template.description,
            "body": template.body, "active": "y"}
    refused = admin.post(f"/messagetemplateview/edit/{template.id}",
                         data={**data, "content_sid": "HX123"})
    assert "Content SID terdiri atas HX" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MessageTemplate, template.id).content_sid is None
    admin.post(f"/messagetemplateview/edit/{template.id}",
               data={**data, "content_sid": f" {CONTENT_SID} "})
    db.session.expire_all()
    assert db.session.get(MessageTemplate, template.id).content_sid == CONTENT_SID


def readme_table():
    """The README's table, as DEFAULTS gives it."""
    rows = ["| message | sent | variables, in this order |", "|---|---|---|"]
    for key, kind in DEFAULTS.items():
        variables = ", ".join(f"`{{{{{number}}}}}` {name}"
                              for number, name in kind.content_variables.items())
        rows.append(f"| `{key}` | {kind.description} | {variables} |")
    return "\n".join(rows)


def test_the_readme_lists_every_kinds_variables_as_defaults_declares_them():
    readme = README.read_text()
    section = readme[readme.index("### WhatsApp content templates"):]
    assert readme_table() in section, "regenerate the table with readme_table()"


def test_the_computed_columns_are_not_offered_for_sorting(login_as):
    """They are computed for the screen (views/columns.py), with no column to sort by."""
    listing = login_as("admin").get("/messagetemplateview/list/").get_data(as_text=True)
    assert "_oc_MessageTemplateView=key" in listing
    assert "_oc_MessageTemplateView=content_variables" not in listing
