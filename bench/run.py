"""`make bench`: one fresh PostgreSQL database per scale (by default 1,000 and 1,000,000
applications, 15 history events each), the pages measured with requests alternating
between the scales; prints the table and writes bench/RESULTS.md with the verdicts.

BENCH_SCALES=1000,20000 picks other scales (the first is the baseline of the ratios);
BENCH_SAMPLES the requests per page and scale (200); BENCH_KEEP=1 keeps the databases
(siap_bench_<scale>) after the run and measures those it finds instead of generating them
again (migrated to head first) — for measuring again after a change of the pages."""

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SCALES = tuple(int(scale) for scale in os.environ.get("BENCH_SCALES", "1000,1000000")
               .split(","))
KEEP = os.environ.get("BENCH_KEEP") == "1"
TARGET_P95_MS = 50
MAX_RATIO = 1.3
MAX_QUERIES = {"staff": 6, "public": 3}
TARGETED = ("staff inbox", "file page", "public tracking", "statistics",
            "statistics, one month")
RESULTS = Path(__file__).with_name("RESULTS.md")


def psql(sql):
    subprocess.run(["psql", ADMIN_URL, "-q", "-c", sql], check=True)


def flask(*args, env):
    subprocess.run([sys.executable, "-m", "flask", "--app", "run.py", *args], env=env,
                   check=True, stdout=subprocess.DEVNULL)


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text()
                         .splitlines() if line.startswith("MemTotal")))
    server = subprocess.run(["psql", ADMIN_URL, "-tAc", "SHOW server_version"],
                            capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} × {cpu}, {memory_kb / 1024 / 1024:.0f} GiB RAM, "
            f"PostgreSQL {server}, Python {platform.python_version()}")


def database_url(name):
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def exists(name):
    found = subprocess.run(["psql", ADMIN_URL, "-tAc",
                            f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                           capture_output=True, text=True, check=True).stdout.strip()
    return found == "1"


def prepare(scale, name):
    """A database with the schema, the demo data and `scale` generated files; with
    BENCH_KEEP, the one an earlier run kept (generation time None)."""
    from sqlalchemy import create_engine

    from bench.generate import fill_front_office_inbox, generate

    url = database_url(name)
    env = {**os.environ, "DATABASE_URL": url, "SIAP_ENV": "development",
           "DEMO_PASSWORD": "Rahasia123", "NOTIFICATION_BACKEND": "console"}
    if KEEP and exists(name):
        flask("db", "upgrade", env=env)
        with create_engine(url).begin() as connection:
            fill_front_office_inbox(connection)  # an earlier run's throughput took some
        print(f"{scale:>9} applications: database {name} kept from an earlier run")
        return url, None
    psql(f"CREATE DATABASE {name}")
    flask("db", "upgrade", env=env)
    flask("siap", "seed-demo", env=env)
    started = time.perf_counter()
    counts = generate(url, scale, seed=scale)
    print(f"{scale:>9} applications generated in {time.perf_counter() - started:.0f} s "
          f"({counts['events']} events)")
    return url, time.perf_counter() - started


def main():
    os.environ.update({"SIAP_ENV": "development", "DEMO_PASSWORD": "Rahasia123",
                       "NOTIFICATION_BACKEND": "console"})
    names = {scale: f"siap_bench_{scale}" if KEEP else f"siap_bench_{os.getpid()}_{scale}"
             for scale in SCALES}
    started = time.perf_counter()
    try:
        urls, generation = {}, {}
        for scale, name in names.items():
            urls[scale], generation[scale] = prepare(scale, name)
        from bench.measure import (
            make_app,
            measure_interleaved,
            notifications_per_second,
            seconds_per_signed_decree,
            transitions_per_second,
        )

        apps = {scale: make_app(url) for scale, url in urls.items()}
        measured = measure_interleaved(apps)
        largest = apps[SCALES[-1]]
        throughput = attempt(transitions_per_second, largest)
        signing = attempt(seconds_per_signed_decree, largest)
        notifications = attempt(notifications_per_second, largest)
        report = render(measured, generation, throughput, signing, notifications,
                        time.perf_counter() - started)
    finally:
        for name in names.values() if not KEEP else ():
            psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    RESULTS.write_text(report)
    print(report)


def attempt(measure, app):
    """A throughput figure, or the error that stopped it (the pages' results stand)."""
    try:
        return measure(app)
    except Exception as error:  # noqa: BLE001  (written into the report)
        return f"failed: {error!r}"


def _scale_name(scale):
    return f"{scale // 1_000_000}M" if scale % 1_000_000 == 0 else f"{scale // 1000}k" \
        if scale % 1000 == 0 else str(scale)


def verdicts(measured):
    """{page: [misses]} against the targets, at the largest scale (ratios to the first)."""
    from bench.measure import INBOX, PAGE_KINDS, PEER

    small, large = measured[SCALES[0]], measured[SCALES[-1]]
    found = {}
    for name, kind in PAGE_KINDS.items():
        misses = []
        p50_small, _, _ = small[name]
        p50_large, p95_large, queries = large[name]
        if name in TARGETED and p95_large >= TARGET_P95_MS:
            misses.append(f"p95 {p95_large:.0f} ms ≥ {TARGET_P95_MS} ms")
        ratio = p50_large / p50_small
        if ratio >= MAX_RATIO:
            misses.append(f"ratio {ratio:.2f} ≥ {MAX_RATIO}")
        limit = MAX_QUERIES.get(kind)
        if limit is not None and round(queries) > limit:
            misses.append(f"{queries:.0f} queries > {limit}")
        if name == INBOX and p95_large > large[PEER][1]:
            misses.append(f"p95 above the plain FAB list's {large[PEER][1]:.0f} ms")
        found[name] = misses
    return found


def render(measured, generation, throughput, signing, notifications, seconds):
    from bench.measure import SAMPLES, WARMUP

    small, large = SCALES[0], SCALES[-1]
    names = [_scale_name(scale) for scale in SCALES]
    header = " | ".join(f"p50 @{n} (ms) | p95 @{n} (ms)" for n in names)
    lines = [
        "# Benchmark results", "",
        f"Machine: {machine()}. One in-process worker per database (Flask test client), "
        f"warm caches; the scales ({', '.join(f'{s:,}' for s in SCALES)} applications, 15 "
        f"history events each) measured in one run, requests alternating between their "
        f"databases; {SAMPLES} requests per page and scale after {WARMUP} warm-up "
        f"requests. Run took {seconds / 60:.1f} min; generating took "
        + ", ".join(f"{_minutes(generation[s])} at {_scale_name(s)}" for s in SCALES)
        + ".", "",
        f"| page | {header} | {names[-1]}/{names[0]} (p50) | queries | verdict |",
        "|---|" + "---:|---:|" * len(SCALES) + "---:|---:|---|",
    ]
    found = verdicts(measured)
    for name, misses in found.items():
        cells = " | ".join(f"{measured[s][name][0]:.1f} | {measured[s][name][1]:.1f}"
                           for s in SCALES)
        ratio = measured[large][name][0] / measured[small][name][0]
        verdict = "meets targets" if not misses else "misses: " + "; ".join(misses)
        lines.append(f"| {name} | {cells} | {ratio:.2f} | {measured[large][name][2]:.0f} "
                     f"| {verdict} |")
    missed = {name: misses for name, misses in found.items() if misses}
    lines += [
        "",
        f"Targets at {names[-1]}: inbox, file page, tracking and statistics p95 under "
        f"{TARGET_P95_MS} ms; every page's {names[-1]}/{names[0]} ratio (of medians) under "
        f"{MAX_RATIO}; the inbox no slower than the plain Flask-AppBuilder list of the same "
        f"table at p95; staff pages at most {MAX_QUERIES['staff']} queries, public pages at "
        f"most {MAX_QUERIES['public']}.",
        "",
        "## Misses and why" if missed else "All targets met.",
        "",
        *(f"- {name}: {'; '.join(misses)}. Why: {WHY.get(name, 'not analysed yet')}"
          for name, misses in missed.items()),
        "",
        "| throughput (largest scale) | result |",
        "|---|---:|",
        f"| transitions per second, 16 concurrent clients | {_transitions(throughput)} |",
        f"| decree render + local PAdES signature | "
        f"{_figure(signing, '{:.2f} s per document')} |",
        f"| notification worker (fake Twilio) | "
        f"{_figure(notifications, '{:.0f} messages per second')} |",
    ]
    return "\n".join(lines) + "\n"


def _minutes(seconds):
    return "(an earlier run's database)" if seconds is None else f"{seconds / 60:.1f} min"


def _figure(value, text):
    return value if isinstance(value, str) else text.format(value)


def _transitions(throughput):
    if isinstance(throughput, str):
        return throughput
    rate, consistent, count = throughput
    return (f"{rate:.0f} on {count} files "
            f"({'history and status consistent' if consistent else 'INCONSISTENT'})")


# What is known of each page's cost, shown beside a miss (kept with the code that decides
# the verdicts; the lead updates it after the run at a million files). On the run of
# 2026-12-01 (Intel Xeon) every page of the app met its targets.
WHY = {
    "staff inbox": "renders what the plain list has not: each row's service clock (working "
                   "days against the targets), times in WIB and links, around "
                   "Flask-AppBuilder's list and search widgets (about two thirds of the "
                   "time is rendering; 4 statements). Flat from 1k to 1M. The AMD EPYC of "
                   "2026-11-30, 3–4× slower than this Xeon on the same pages, measured 56 ms "
                   "there before the statements were kept prepared.",
    "plain FAB list (peer)": "Flask-AppBuilder's OFFSET page and count(*) of every file "
                             "grow with the table (the peer, not a page of the app).",
    "file page": "loads the file with its requirements, documents, artifacts and history "
                 "(15 events) and renders the history, the documents and the actions' "
                 "forms; its main statement (ten joins) is prepared on each connection "
                 "(app/prepared_statements.py: about 1 ms against 7 ms planned afresh).",
    "statistics": "four statements over the summaries (built once per process for each "
                  "set of permissions and filter shape, the filter's values bound), the "
                  "user and the menu's counts; the figures are computed and rendered again "
                  "only when the rows read change. Flat from 1k to 1M.",
    "statistics, one month": "as the statistics without a range, on the month's rows.",
    "all files, page 1": "above 1,000 files the capped count reads 1,001 keys where 1k "
                         "reads all its files, and PostgreSQL's estimate (an EXPLAIN) is "
                         "made once a minute per user and search. At 1k the count is exact.",
    "all files, deep page": "as page 1; a keyset page does the same work at any depth.",
}

if __name__ == "__main__":
    main()
