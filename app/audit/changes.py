"""Changes to users, roles and the configuration recorded as they are flushed, whatever
screen, API or service made them: the columns before and after, the related rows by
name (a permit type's category, a user's roles, a role's permissions).

The entries join the session of the change after its flush, so they commit with it and
vanish with it on a rollback. Only changes made while serving a request are recorded:
the seed commands and the test fixtures write configuration from the command line,
where whoever runs them already holds the server and its database.

Why not a row-history library such as SQLAlchemy-Continuum (which does run on
SQLAlchemy 2.1): it shadows every versioned table with a `<table>_version` copy that every
later migration of that table must change alike, it cannot version Flask-AppBuilder's own
role and permission tables without redefining them, and its history would be a second log
beside this one, which the admin filters and exports."""

from dataclasses import dataclass

from flask import has_request_context
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import MANYTOMANY, MANYTOONE

from app.audit import events
from app.audit.entries import json_value, label_of, new_entry
from app.logs import mask_numbers
from models import (
    Agency,
    AgencyRetribution,
    Asset,
    DocumentTemplate,
    DocumentTemplateVersion,
    Holiday,
    Letterhead,
    MessageTemplate,
    PermitCategory,
    PermitType,
    Process,
    ProcessVersion,
    Requirement,
    SiapUser,
    SigningDelegation,
    StageTarget,
)

PENDING = "siap_audit_pending"
UNRECORDED = "siap_audit_unrecorded"
# Bookkeeping columns and relations that say nothing an auditor needs.
BOOKKEEPING = frozenset({"created_on", "changed_on", "created_by_fk", "changed_by_fk",
                         "created_by", "changed_by", "created_at", "created_by_id"})


@dataclass(frozen=True)
class Tracked:
    created: str
    updated: str
    deleted: str
    ignored: frozenset = frozenset()
    masked: frozenset = frozenset()  # personal numbers: kept as logs keep them
    relations: tuple | None = None  # None: every many-to-one and many-to-many relation


CONFIG = Tracked(events.CONFIG_CREATED, events.CONFIG_UPDATED, events.CONFIG_DELETED)
CONFIG_MODELS = (PermitCategory, PermitType, Requirement, Agency, Asset, DocumentTemplate,
                 DocumentTemplateVersion, Letterhead, AgencyRetribution, Process,
                 ProcessVersion, Holiday, StageTarget, MessageTemplate, SigningDelegation)
TRACKED = {
    SiapUser: Tracked(
        events.USER_CREATED, events.USER_UPDATED, events.USER_DELETED,
        # The password has its own events; sign-in counters change at every sign-in.
        ignored=frozenset({"password", "login_count", "last_login", "fail_login_count",
                           "locked_until"}),
        masked=frozenset({"nik", "whatsapp"}),
        relations=("roles", "groups", "agency")),
    Role: Tracked(events.ROLE_CREATED, events.ROLE_UPDATED, events.ROLE_DELETED,
                  relations=("permissions",)),
    **{model: CONFIG for model in CONFIG_MODELS},
}


def tracked(obj):
    for model, spec in TRACKED.items():
        if isinstance(obj, model):
            return spec
    return None


def _relations(mapper, spec):
    for relation in mapper.relationships:
        if relation.key in BOOKKEEPING or relation.key in spec.ignored:
            continue
        if spec.relations is not None:
            if relation.key in spec.relations:
                yield relation
        elif relation.direction in (MANYTOONE, MANYTOMANY):
            yield relation


def _columns(mapper, spec):
    """Column attributes worth recording: not the key, not bookkeeping, not ignored, and
    not the foreign key of a recorded relation (the relation names the row instead)."""
    by_relation = {column for relation in _relations(mapper, spec)
                   if relation.direction is MANYTOONE for column in relation.local_columns}
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if column.primary_key or prop.key in BOOKKEEPING or prop.key in spec.ignored:
            continue
        if column in by_relation:
            continue
        yield prop


def _value(spec, key, value):
    value = json_value(value)
    if key in spec.masked and value is not None:
        return mask_numbers(str(value))
    return value


def _label(obj):
    return None if obj is None else label_of(obj)


def _related(session, relation, key):
    """The row a many-to-one foreign key names (or None)."""
    if key is None or None in key:
        return None
    return session.get(relation.mapper.class_, key if len(key) > 1 else key[0])


def _snapshot(obj, spec):
    """Every recorded column and relation of a new or deleted row."""
    mapper = inspect(obj).mapper
    values = {prop.key: _value(spec, prop.key, getattr(obj, prop.key))
              for prop in _columns(mapper, spec)}
    for relation in _relations(mapper, spec):
        related = getattr(obj, relation.key)
        if relation.direction is MANYTOMANY:
            values[relation.key] = sorted(_label(item) for item in related or ())
        else:
            if related is None:  # only the foreign key was set on a new row
                key = tuple(getattr(obj, mapper.get_property_by_column(column).key)
                            for column in relation.local_columns)
                related = _related(inspect(obj).session, relation, key)
            values[relation.key] = _label(related)
    return values


def _stored_row(session, obj):
    """The row as the database still holds it (before this flush)."""
    mapper = inspect(obj).mapper
    identity = inspect(obj).identity
    condition = [column == value for column, value in zip(mapper.primary_key, identity,
                                                          strict=True)]
    return session.execute(select(*mapper.local_table.c).where(*condition)).mappings().first()


def _changes(session, obj, spec):
    """{name: [before, after]} of the changed columns and many-to-one relations, and
    {name: {"added": […], "removed": […]}} of the changed many-to-many ones."""
    state = inspect(obj)
    mapper = state.mapper
    columns = [prop for prop in _columns(mapper, spec)
               if state.attrs[prop.key].history.has_changes()]
    relations = list(_relations(mapper, spec))
    many_to_one = [relation for relation in relations if relation.direction is MANYTOONE
                   and (state.attrs[relation.key].history.has_changes()
                        or any(state.attrs[mapper.get_property_by_column(c).key]
                               .history.has_changes() for c in relation.local_columns))]
    changes = {}
    stored = _stored_row(session, obj) if columns or many_to_one else None
    for prop in columns:
        before = stored[prop.columns[0].name] if stored is not None else None
        after = getattr(obj, prop.key)
        if json_value(before) != json_value(after):
            changes[prop.key] = [_value(spec, prop.key, before), _value(spec, prop.key, after)]
    for relation in many_to_one:
        before_key = tuple(stored[column.name] for column in relation.local_columns) \
            if stored is not None else None
        history = state.attrs[relation.key].history
        if history.has_changes():
            after = history.added[0] if history.added else None
        else:  # the foreign key itself was set
            after = _related(session, relation, tuple(
                getattr(obj, mapper.get_property_by_column(c).key)
                for c in relation.local_columns))
        after_key = inspect(after).identity if after is not None else None
        if (after_key or None) != (before_key if before_key and None not in before_key
                                   else None):
            changes[relation.key] = [_label(_related(session, relation, before_key)),
                                     _label(after)]
    for relation in relations:
        if relation.direction is not MANYTOMANY:
            continue
        history = state.attrs[relation.key].history
        added = sorted(_label(item) for item in history.added)
        removed = sorted(_label(item) for item in history.deleted)
        if added or removed:
            changes[relation.key] = {"added": added, "removed": removed}
    return changes


class Pending:
    """What a transaction did to one tracked row, over all its flushes: created, the
    changes merged (the first "before", the last "after"), or deleted."""

    def __init__(self, obj, spec):
        self.obj, self.spec = obj, spec
        self.created = False
        self.deleted = None  # (label, snapshot) once deleted
        self.changes = {}

    def merge(self, changes):
        for key, change in changes.items():
            if isinstance(change, dict):  # a many-to-many relation: net additions, removals
                added, removed = self.changes.setdefault(key, (set(), set()))
                for label in change["removed"]:
                    _move(label, added, removed)
                for label in change["added"]:
                    _move(label, removed, added)
            elif key in self.changes:
                self.changes[key][1] = change[1]
            else:
                self.changes[key] = list(change)

    def entry(self):
        """The audit entry of this row, or None when nothing remains to say."""
        if self.deleted is not None:
            if self.created:
                return None  # made and removed in one transaction: nothing happened
            label, snapshot = self.deleted
            entry = new_entry(self.spec.deleted, object=self.obj, details=snapshot)
            entry.object_label = label
            return entry
        if self.created:
            return new_entry(self.spec.created, object=self.obj,
                             details=_snapshot(self.obj, self.spec))
        changes = {}
        for key, change in self.changes.items():
            if isinstance(change, tuple):
                added, removed = sorted(change[0]), sorted(change[1])
                if added or removed:
                    changes[key] = {"added": added, "removed": removed}
            elif change[0] != change[1]:
                changes[key] = change
        return new_entry(self.spec.updated, object=self.obj,
                         details={"changes": changes}) if changes else None


def _move(label, undone, done):
    """A relation change: undoes an opposite change of the same transaction, or adds."""
    if label in undone:
        undone.discard(label)
    else:
        done.add(label)


def _pending(session, obj, spec):
    rows = session.info.setdefault(PENDING, {})
    if id(obj) not in rows:
        rows[id(obj)] = Pending(obj, spec)
    return rows[id(obj)]


def not_column_by_column(session, obj):
    """Record no column-by-column change of `obj` in this transaction: its caller writes
    one entry of its own instead, without the old values (an account deleted at its
    owner's request must not live on in the log of its changes)."""
    session.info.setdefault(UNRECORDED, set()).add(id(obj))
    session.info.get(PENDING, {}).pop(id(obj), None)


@event.listens_for(Session, "before_flush")
def _collect_changes(session, flush_context, instances):
    if not has_request_context():
        return
    unrecorded = session.info.get(UNRECORDED, set())

    def tracked_here(obj):
        return None if id(obj) in unrecorded else tracked(obj)

    for obj in session.new:  # described at the commit: defaults filled in, keys synced
        if spec := tracked_here(obj):
            _pending(session, obj, spec).created = True
    for obj in session.dirty:
        if (spec := tracked_here(obj)) and session.is_modified(obj):
            changes = _changes(session, obj, spec)
            if changes:
                _pending(session, obj, spec).merge(changes)
    for obj in session.deleted:
        if spec := tracked_here(obj):
            _pending(session, obj, spec).deleted = (label_of(obj), _snapshot(obj, spec))


@event.listens_for(Session, "before_commit")
def _write_entries(session):
    """One entry per row the transaction changed, added to it before it commits (the
    commit flushes them with the rest)."""
    if not has_request_context():
        return
    session.flush()  # the last changes, and the keys of new rows
    session.info.pop(UNRECORDED, None)
    for pending in session.info.pop(PENDING, {}).values():
        entry = pending.entry()
        if entry is not None:
            session.add(entry)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session):
    session.info.pop(PENDING, None)
    session.info.pop(UNRECORDED, None)
