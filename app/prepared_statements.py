"""PostgreSQL keeps its plans from one request to the next.

psycopg prepares a statement on the server once a connection has run it a few times, and
forgets every prepared statement at a ROLLBACK (one prepared inside the rolled-back
transaction would be gone). Every request ends its session with a ROLLBACK, so no
statement ever stayed prepared: PostgreSQL planned each one on every request (the file
page's main statement: 7 ms planned, 1 ms prepared).

A transaction that wrote nothing ends the same way with COMMIT as with ROLLBACK, so such a
transaction is committed just before its rollback (which then finds nothing to undo), and
its connection keeps the statements. Any statement other than a SELECT (or the EXPLAIN of
one, as the keyset lists' estimate) counts as writing — savepoints and `SET` included — and
keeps the ROLLBACK; the app runs no SELECT that writes.
"""

import re
from contextlib import suppress

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import event

_WROTE = "siap_transaction_wrote"
_READING = re.compile(r"\s*(EXPLAIN\s+(\([^)]*\)\s*|ANALYZE\s+|VERBOSE\s+)*)?SELECT\b",
                      re.IGNORECASE)


def keep_prepared_statements(engine):
    """Commit, instead of rolling back, the read-only transactions of `engine` (psycopg
    only: other drivers prepare nothing to lose)."""
    if engine.dialect.driver != "psycopg":
        return
    event.listen(engine, "begin", _transaction_began)
    event.listen(engine, "before_cursor_execute", _statement_runs)
    event.listen(engine, "rollback", _commit_if_only_read)


def _transaction_began(connection):
    connection.info[_WROTE] = False


def _statement_runs(connection, cursor, statement, parameters, context, executemany):
    if not _READING.match(statement):
        connection.info[_WROTE] = True


def _commit_if_only_read(connection):
    """Runs before the rollback itself; a committed transaction leaves psycopg's rollback
    nothing to do (it returns at once when no transaction is open)."""
    if connection.info.get(_WROTE, True) or connection.invalidated or connection.closed:
        return
    driver_connection = connection.connection.dbapi_connection
    # A transaction a failed statement aborted is left to the rollback.
    if driver_connection.info.transaction_status != TransactionStatus.INTRANS:
        return
    # A broken connection: the rollback that follows meets it and handles it.
    with suppress(psycopg.Error):
        driver_connection.commit()
