"""Fill a PostgreSQL database with regency-scale data for the benchmarks: applications
of every permit type (IN_PROCESS_FILES of the last two months in every stage, the older
rest finished), their history (15 events each), document metadata and applicant accounts; then the
statistics' summaries are rebuilt from them. Uses COPY in chunks of CHUNK files (memory
stays flat).

    python -m bench.generate --applications 100000   (DATABASE_URL names the database)

The schema must exist (flask db upgrade) with the demo data (flask siap seed-demo)."""

import argparse
import io
import random
from datetime import datetime, timedelta

from sqlalchemy import create_engine, text

from app.workflow.registry import WORKFLOWS

EVENTS_PER_FILE = 15
DOCUMENTS_PER_FILE = 3
FILES_PER_APPLICANT = 5
IN_PROCESS_DAYS = 60
# An office's work in progress is bounded by its staff, not by its archive: about this
# many files are in process at any scale (all of them at 1k); the rest are finished, so a
# bigger scale means a longer archive, as years of service make one.
IN_PROCESS_FILES = 800
PASSWORD_HASH = "scrypt:32768:8:1$bench$0"  # nobody logs in as a generated applicant
CHUNK = 50_000
# Files waiting for the front office at every scale: the inbox shows a full page at 1k too.
FRONT_OFFICE_FILES = 30


def _copy(connection, table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        copy.write(buffer.read())


def _age_and_status(workflow, in_process_share, rng):
    """(age in days, status): a file in process (the share given) is of the last two
    months; an older one is finished, mostly granted."""
    if rng.random() < in_process_share:
        return rng.randint(1, IN_PROCESS_DAYS), rng.choice(
            [s.value for s in workflow.states
             if s != workflow.initial and s not in workflow.terminal])
    return rng.randint(IN_PROCESS_DAYS + 1, 700), rng.choices(
        ["selesai", "ditolak", "dibatalkan"], weights=(85, 10, 5))[0]


def _path(workflow, status, rng):
    """A plausible list of statuses from submission to `status`."""
    order = [s.value for s in workflow.states if s not in workflow.terminal]
    order.remove(workflow.initial.value)
    if status in order:
        return order[: order.index(status) + 1]
    return order[: rng.randint(1, len(order))] + [status]


def rebuild_summaries(connection, database_url):
    """The statistics' summaries from the rows loaded, in the loading transaction (the
    configured processes' workflows are read inside an app context)."""
    from flask import has_app_context

    from app import create_app
    from app.workflow.summaries import rebuild

    if has_app_context():
        return rebuild(connection)
    with create_app("development", SQLALCHEMY_DATABASE_URI=database_url).app_context():
        return rebuild(connection)


def generate(database_url, count, seed=7):
    rng = random.Random(seed)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        # The built-in workflows' permit types (a configured process's states live in
        # its published version, not in WORKFLOWS).
        types = [row for row in connection.execute(text(
            "SELECT id, code, workflow_kind FROM permit_type WHERE active"))
            if row.workflow_kind in WORKFLOWS]
        requirements = {}
        for permit_type_id, requirement_id, mandatory in connection.execute(text(
                "SELECT permit_type_id, id, mandatory FROM permit_requirement WHERE active")):
            requirements.setdefault(permit_type_id, []).append((requirement_id, mandatory))
        assets = {}
        for permit_type_id, asset_id in connection.execute(text(
                "SELECT permit_type_id, id FROM asset")):
            assets.setdefault(permit_type_id, []).append(asset_id)
        staff = [row[0] for row in connection.execute(text("SELECT id FROM ab_user"))]
        applicant_role = connection.execute(text(
            "SELECT id FROM ab_role WHERE name = 'Pemohon'")).scalar_one()
        first_user = connection.execute(text("SELECT coalesce(max(id), 0) FROM ab_user")) \
            .scalar_one() + 1
        first_file = connection.execute(text(
            "SELECT coalesce(max(id), 0) FROM application")).scalar_one() + 1

        applicants = max(count // FILES_PER_APPLICANT, 1)
        user_ids = list(range(first_user, first_user + applicants))
        _copy(connection, "ab_user",
              ["id", "first_name", "last_name", "username", "password", "active", "email",
               "login_count", "fail_login_count", "whatsapp"],
              ((uid, "Pemohon", f"Bench {uid}", f"bench{uid}", PASSWORD_HASH, "true",
                f"bench{uid}@example.id", 0, 0, f"+62812{uid:08d}") for uid in user_ids))
        _copy(connection, "ab_user_role", ["user_id", "role_id"],
              ((uid, applicant_role) for uid in user_ids))

        now = datetime(2026, 11, 27, 3, 0)
        event_id = connection.execute(text(
            "SELECT coalesce(max(id), 0) FROM application_event")).scalar_one() + 1
        document_id = connection.execute(text(
            "SELECT coalesce(max(id), 0) FROM application_document")).scalar_one() + 1
        totals = {"applications": 0, "events": 0, "documents": 0}
        last_file = first_file + count
        for chunk_start in range(first_file, last_file, CHUNK):
            chunk = range(chunk_start, min(chunk_start + CHUNK, last_file))
            rows = _chunk_rows(chunk, types, requirements, assets, staff, user_ids, now, rng,
                               event_id, document_id, min(1, IN_PROCESS_FILES / count))
            _copy_chunk(connection, rows)
            event_id += len(rows["events"])
            document_id += len(rows["documents"])
            for name in totals:
                totals[name] += len(rows[name])
        fill_front_office_inbox(connection)
        for table in ("ab_user", "application", "application_event", "application_document"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))
        # COPY bypasses the ORM session that keeps the statistics' summaries in step.
        rebuild_summaries(connection, database_url)
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE"))
    return {**totals, "applicants": len(user_ids)}


def _chunk_rows(chunk, types, requirements, assets, staff, user_ids, now, rng, event_id,
                document_id, in_process_share):
    """The rows of the files numbered `chunk`, by table."""
    files, pkkpr, asset_uses, events, documents, requirement_sets = [], [], [], [], [], []
    for file_id in chunk:
        permit_type_id, code, kind = rng.choice(types)
        workflow = WORKFLOWS[kind]
        owner = rng.choice(user_ids)
        age, status = _age_and_status(workflow, in_process_share, rng)
        created = now - timedelta(days=age, minutes=rng.randint(0, 600))
        path = _path(workflow, status, rng)
        steps = max(EVENTS_PER_FILE - 1, len(path))
        moments = sorted(created + timedelta(hours=rng.randint(1, 24 * 60))
                         for _ in range(steps))
        changed = moments[-1]
        terminal = status in {s.value for s in workflow.terminal}
        files.append((
            file_id, permit_type_id, kind, status, 1 + steps,
            f"{code}/{created.year}/B{file_id:07d}", owner, owner, "Pemohon Bench",
            f"35050{file_id:011d}", "Kabupaten Blitar", f"+62812{owner:08d}", "false",
            created, created, changed, rng.randint(0, 30),
            None if terminal else changed, changed if terminal else None,
        ))
        if kind == "pkkpr_nb":
            pkkpr.append((file_id, "Jl. Bench", "Kanigoro", "Kanigoro", "-8.1", "112.16",
                          250, "SHM", "Rumah tinggal", 2, 180))
        elif assets.get(permit_type_id):
            start = created.date() + timedelta(days=30)
            asset_uses.append((file_id, rng.choice(assets[permit_type_id]), "sewa",
                               "Bench", start, start + timedelta(days=2), 0))
        events.append((event_id, file_id, "buat", None, "draft", owner, created, 0, "{}"))
        event_id += 1
        previous = "draft"
        for index, moment in enumerate(moments):
            to_status = path[min(index, len(path) - 1)] if index < len(path) else None
            action = "ajukan" if index == 0 else ("terima" if to_status else
                                                  "unggah_dokumen")
            events.append((event_id, file_id, action,
                           previous if to_status else None, to_status,
                           rng.choice(staff), moment, rng.randint(0, 5), "{}"))
            previous = to_status or previous
            event_id += 1
        requirement_sets += [(file_id, requirement_id, str(mandatory).lower())
                             for requirement_id, mandatory in requirements.get(permit_type_id,
                                                                               [])]
        for requirement_id, _ in requirements.get(permit_type_id, [])[:DOCUMENTS_PER_FILE]:
            documents.append((document_id, file_id, requirement_id, owner, created,
                              "accepted", f"{file_id}-{requirement_id}.pdf",
                              "dokumen.pdf", "application/pdf", 1024))
            document_id += 1
    return {"applications": files, "pkkpr": pkkpr, "asset_uses": asset_uses,
            "events": events, "documents": documents, "requirement_sets": requirement_sets}


def _copy_chunk(connection, rows):
    _copy(connection, "application",
          ["id", "permit_type_id", "kind", "status", "version", "registration_number",
           "owner_id", "created_by_id", "applicant_name", "applicant_nik",
           "applicant_address", "applicant_whatsapp", "acts_for_organisation",
           "created_at", "submitted_at", "status_changed_at", "clock_days",
           "clock_running_since", "finished_at"], rows["applications"])
    _copy(connection, "pkkpr_detail",
          ["application_id", "location_address", "desa", "kecamatan", "latitude",
           "longitude", "land_area_m2", "land_title_status", "activity",
           "planned_floors", "planned_floor_area_m2"], rows["pkkpr"])
    _copy(connection, "asset_use",
          ["application_id", "asset_id", "use_form", "purpose", "period_start",
           "period_end", "fee_estimate"], rows["asset_uses"])
    _copy(connection, "application_event",
          ["id", "application_id", "action", "from_status", "to_status", "actor_id",
           "created_at", "working_days", "data"], rows["events"])
    _copy(connection, "application_requirement",
          ["application_id", "requirement_id", "mandatory"], rows["requirement_sets"])
    _copy(connection, "application_document",
          ["id", "application_id", "requirement_id", "uploaded_by_id", "uploaded_at",
           "verdict", "stored_name", "original_name", "content_type", "size_bytes"],
          rows["documents"])


def _submit(connection, files):
    connection.execute(text(
        "UPDATE application SET status = 'diajukan', finished_at = NULL, "
        f"clock_running_since = status_changed_at WHERE id IN ({files})"))


def fill_front_office_inbox(connection):
    """The first pkkpr files wait for the front office (a full inbox page at any scale);
    again on a kept database, whatever became of them."""
    _submit(connection, "SELECT id FROM application WHERE kind = 'pkkpr_nb' "
                        f"ORDER BY id LIMIT {FRONT_OFFICE_FILES}")


def submit_for_throughput(database_url, count):
    """The ids of `count` pkkpr files, the newest, put back to "submitted" for the
    throughput measure to accept (the front office's inbox files stay as they are, so
    every run measures the pages on the same rows)."""
    files = ("SELECT id FROM application WHERE kind = 'pkkpr_nb' "
             f"ORDER BY id DESC LIMIT {count}")
    with create_engine(database_url).begin() as connection:
        _submit(connection, files)
        return connection.execute(text(files)).scalars().all()


def main():
    import os

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=1000)
    arguments = parser.parse_args()
    print(generate(os.environ["DATABASE_URL"], arguments.applications))


if __name__ == "__main__":
    main()
