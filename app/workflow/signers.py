"""Who signs a decree, and in which capacity: the interface the decree renderer calls.

    identity = signing_identity(user, on_date)
    # SignerIdentity(capacity="plt", prefix="Plt.", name="Rina Wulandari",
    #                nip="197805122003121002", rank="Pembina (IV/a)",
    #                letter_number="800/112/409.110/2026")

- capacity "definitif": the user's own roles hold the signature (`tandatangani` in a
  workflow), prefix "". A head of office who is also appointed Plt. signs as definitif.
- capacity "plt" / "plh": the user acts as head of office on `on_date` through a
  delegation (models/delegation.py), prefix "Plt." / "Plh.", `letter_number` the
  appointing letter (nomor surat perintah).
- name is the account's full name; nip the 18 digits (None when the profile has none);
  rank the rank with its grade as printed, "Pembina Utama Muda (IV/c)" (or None).
- `on_date` is the office's date (a datetime.date, Asia/Jakarta) the decree is signed on.

`signing_identity` raises NotASigner for a user who cannot sign on that date;
`can_sign_in_capacity(user, on_date)` asks first. Both read the database only."""

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from app.errors import Forbidden, InvalidInput
from app.security.roles import is_workflow_permission
from app.workflow import delegation
from app.workflow.clock import office_date

DEFINITIVE = "definitif"
SIGNATURE = "tandatangani"


@dataclass(frozen=True)
class SignerIdentity:
    capacity: str  # "definitif", "plt" or "plh"
    prefix: str  # "", "Plt." or "Plh."
    name: str
    nip: str | None
    rank: str | None  # "Pembina Utama Muda (IV/c)"
    letter_number: str | None = None  # the delegation's nomor surat perintah


class NotASigner(Forbidden):
    """The user holds no signature on that date (neither by role nor by delegation)."""


def _signs_by_role(user):
    return any(
        pv.permission and pv.view_menu and pv.permission.name == SIGNATURE
        and is_workflow_permission(pv.view_menu.name)
        for role in user.roles for pv in role.permissions)


def _delegation_signs():
    return any(permission == SIGNATURE and is_workflow_permission(view)
               for permission, view in delegation.head_of_office_permissions())


def _active_signing_delegation(user, on_date):
    found = delegation.active_delegation(user, on_date)
    return found if found is not None and _delegation_signs() else None


def can_sign_in_capacity(user, on_date):
    """Whether `user` may sign decrees on `on_date`: by their own role, or as the head of
    office's Plt./Plh. appointed for that day."""
    return _signs_by_role(user) or _active_signing_delegation(user, on_date) is not None


def signing_identity(user, on_date):
    """The SignerIdentity `user` signs with on `on_date`; NotASigner when they may not."""
    if _signs_by_role(user):
        return SignerIdentity(DEFINITIVE, "", user.full_name, user.nip, user.rank_label)
    appointment = _active_signing_delegation(user, on_date)
    if appointment is None:
        raise NotASigner(_l("%(name)s may not sign decrees on %(date)s.",
                            name=user.full_name, date=format_date(on_date, "d MMMM yyyy")))
    return SignerIdentity(appointment.kind, appointment.prefix, user.full_name, user.nip,
                          user.rank_label, appointment.letter_number)


def capacity_record(user, when):
    """What the history keeps of a signature taken at `when` (a stored UTC moment): the
    capacity, and for a delegate the appointing letter."""
    identity = signing_identity(user, office_date(when))
    record = {"kapasitas": identity.capacity}
    if identity.letter_number:
        record["surat_perintah"] = identity.letter_number
    return record


def identity_complete(user):
    """Guard of the signature: the decree prints the signer's NIP and rank."""
    if not (user.nip and user.pangkat_golongan):
        raise InvalidInput(message=_l(
            "The decree prints your NIP and rank/grade under your signature: fill both in "
            "under Edit my profile before signing."))
