"""Rarely changing data kept per process between requests: role grants, Plt./Plh.
appointments, days off, stage targets, the permit catalogue, and what is derived from
them alone (the navbar's menu of each set of permissions).

Every change of those tables bumps one counter in the database (migration
0031_cache_generation: triggers, so Flask-AppBuilder's screens and plain SQL count too).
A request reads the counter once — with the signed-in user, or on first use — and a
process that sees a new value forgets everything it kept: a revoked grant is gone on the
next request in every process. Outside a request (jobs, the command line) nothing is
kept: each call reads the database, as before."""

import threading
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, g, has_request_context
from sqlalchemy import select

from app.extensions import db
from models import CacheGeneration

EXTENSION = "siap_process_cache"
_BYPASSED = ContextVar("siap_process_cache_bypassed", default=False)
_READ_GENERATION = select(CacheGeneration.value).where(CacheGeneration.id == 1)


def generation_column():
    """The counter as a scalar subquery, to read it with another query."""
    return _READ_GENERATION.scalar_subquery()


def note_generation(value):
    """The counter read with another query (the signed-in user's) in this request."""
    if has_request_context():
        g._siap_cache_generation = value


def _request_generation():
    if "_siap_cache_generation" not in g:
        g._siap_cache_generation = db.session.scalar(_READ_GENERATION)
    return g._siap_cache_generation


def kept(key, compute):
    """`compute(reader)`, computed once per process while the counter stays as it is.
    `reader` (a Session or Connection: `execute`, `scalars`) reads only committed data in
    a request — a request's own unfinished change must not be kept for others — and is
    the current session outside one (computed on every call) or in a dry run. The value is
    shared between threads: return immutable data (frozensets, tuples, dicts nobody
    changes), never ORM objects."""
    if not has_request_context() or _BYPASSED.get():
        return compute(db.session)

    def read():
        with db.engine.connect() as connection:
            return compute(connection)

    return _kept_in_store(key, read)


def kept_derived(key, make):
    """`make()`, made once per process while the counter stays as it is: for a value
    derived from what is kept without reading the database (a menu rendered for a set of
    permissions). `key` must name everything the value depends on."""
    if not has_request_context() or _BYPASSED.get():
        return make()
    return _kept_in_store(key, make)


def _kept_in_store(key, make):
    generation = _request_generation()
    store = _store()
    with store.lock:
        if store.generation != generation:
            store.values.clear()
            store.generation = generation
        if key in store.values:
            return store.values[key]
    value = make()
    with store.lock:
        if store.generation == generation:
            store.values[key] = value
    return value


@contextmanager
def bypassed():
    """Nothing kept is read or written within: a dry run's users and grants exist only
    in its own transaction (app/services/dry_run.py)."""
    token = _BYPASSED.set(True)
    try:
        yield
    finally:
        _BYPASSED.reset(token)


class _Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}
        self.generation = None


def _store():
    """The app's own store: two apps in one process (tests) keep apart, as two
    processes do."""
    return current_app.extensions.setdefault(EXTENSION, _Store())
