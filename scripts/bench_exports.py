"""Benchmark the streamed exports at scale (issue 15, goal 4: constant memory, 20,000 rows/s).

Builds a synthetic corpus (seed_synthetic) of --claims claims unless the database already has
them (then ANALYZE, so the planner walks the indexes as a loaded database's statistics let it),
then streams, as a signed-in user (no anonymous limit), /claims/export.csv (in the list's date
order, and in its confidence order), /claims/export.jsonld and the API's CSV (in id order)
through the WSGI handler, reading the body as a
client would, and prints for each: time to the first bytes, total time, rows (CSV lines or
claims) per second of wall time and per CPU-second of this process (the database's own CPU
is in the process on SQLite, in the server on PostgreSQL), bytes, and the growth of the
process's peak resident memory. The page's downloads (a keyset walk in the list's sort) and
the API's CSV (an id walk, the same row code and three more columns) stand side by side.
One empty export first loads what a server's worker loads once (the URLconf, the API's
schemas: about 0.3 s), so the first export measured does not pay for it; `--rounds N` streams
each N times and prints the round that took the least CPU (a shared machine's noise only ever
adds). Beside them, what a user would run instead to dump the same
rows (a claim joined with its citation and source, as CSV): `COPY (...) TO STDOUT` on
PostgreSQL, the sqlite3 module's rows through csv.writer on SQLite. A second pass of the CSV
export under tracemalloc prints the peak of Python allocations while streaming (the memory the
export holds, whatever its size). DATABASE_URL picks the database (default: a new SQLite file):

    python scripts/bench_exports.py --claims 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cb_bench python scripts/bench_exports.py --claims 200000
"""
import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream(client, url):
    began, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200 and response.streaming, (url, response.status_code)
    first = None
    size = lines = 0
    for piece in response.streaming_content:
        if first is None:
            first = time.perf_counter() - began
        size += len(piece)
        lines += piece.count(b"\n")
    return first or 0.0, time.perf_counter() - began, time.process_time() - cpu, size, lines


BASELINE_SQL = """
    SELECT c.id, c.key, c.statement, c.kind, c.status, c.date_edtf, c.date_earliest, c.date_latest,
           c.date_precision, c.date_wording, c.credibility, c.rationale, ci."order", s.slug, s.title, s.sha256,
           s.reliability, ci.start, ci."end", ci.quote, ci.prefix, ci.suffix, ci.attribution, ci.stance
    FROM kb_claim c JOIN kb_citation ci ON ci.claim_id = c.id JOIN kb_source s ON s.id = ci.source_id
    WHERE c.status = 'published' ORDER BY c.id, ci."order", ci.id
"""


def baseline(connection):
    """The same rows dumped as CSV the way a user would without Claimbook: (seconds, CPU seconds, rows, bytes)."""
    import csv
    import io

    began, cpu = time.perf_counter(), time.process_time()
    size = rows = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY ({BASELINE_SQL}) TO STDOUT WITH CSV") as copy:
                for block in copy:
                    size += len(block)
            rows = cursor.cursor.rowcount  # records, not lines: quotes may hold line breaks
    else:
        import sqlite3

        out = io.StringIO()
        writer = csv.writer(out)
        database = sqlite3.connect(connection.settings_dict["NAME"])
        for row in database.execute(BASELINE_SQL):
            writer.writerow(row)
            rows += 1
            if out.tell() > 32768:
                size += len(out.getvalue().encode())
                out.seek(0)
                out.truncate()
        size += len(out.getvalue().encode())
        database.close()
    return time.perf_counter() - began, time.process_time() - cpu, rows, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--claims-per-source", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1, help="stream each export this many times; print the best")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="claimbook-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kb.settings"
    os.environ["CLAIMBOOK_PAGE_CACHE"] = "0"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from kb.models import Citation, Claim

    call_command("migrate", verbosity=0)
    call_command("seed_synthetic", up_to=args.claims, claims_per_source=args.claims_per_source, allow_mixed=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    claims, citations = Claim.objects.filter(status="published").count(), Citation.objects.count()
    print(f"corpus ({connection.vendor}): {claims:,} published claims, {citations:,} citations")
    user, _ = get_user_model().objects.get_or_create(username="bench-exporter")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared: read the CPU-second figures and the ratios)")
    stream(client, "/claims/export.csv?date_to=0001-01-01")  # warm: the URLconf and views load once per worker
    seconds, cpu, rows, size = baseline(connection)
    dump = "COPY ... TO STDOUT WITH CSV" if connection.vendor == "postgresql" else "sqlite3 rows through csv.writer"
    print(f"{'baseline: ' + dump:<42} {rows:>9,} rows {seconds:6.1f} s {rows / seconds:>9,.0f} rows/s "
          f"{rows / max(cpu, 1e-9):>9,.0f} rows/CPU-s {size / 1024 / 1024:6.1f} MB")
    # Rows written (cells may hold line breaks, so lines are not rows): a CSV row per citation of
    # a published claim; the API's CSV also gives a claim without citations a row.
    # The page's downloads walk the list's sort as a keyset (date by default; confidence is a
    # three-column key); the API's CSV walks ids with the same row code: side by side.
    cited = Citation.objects.filter(claim__status="published").count()
    uncited = Claim.objects.filter(status="published", citations__isnull=True).count()
    for url, unit, count in (("/claims/export.csv", "rows", cited), ("/claims/export.csv?sort=confidence", "rows", cited),
                             ("/claims/export.jsonld", "claims", claims),
                             ("/api/exports/claims.csv", "rows", cited + uncited)):
        baseline_rss = peak_rss_mb()
        first, total, cpu, size, lines = min((stream(client, url) for _ in range(args.rounds)), key=lambda r: r[2])
        print(f"{url:<42} {count:>9,} {unit:<4} {total:6.1f} s {count / total:>9,.0f} {unit}/s "
              f"{count / cpu:>9,.0f} {unit}/CPU-s {size / 1024 / 1024:6.1f} MB; first bytes {first * 1000:.0f} ms; "
              f"peak RSS +{peak_rss_mb() - baseline_rss:.0f} MB ({peak_rss_mb():.0f} MB)")
    import tracemalloc

    tracemalloc.start()
    stream(client, "/claims/export.csv")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"/claims/export.csv: peak Python allocations while streaming {peak / 1024 / 1024:.1f} MB (tracemalloc)")
    if connection.vendor == "sqlite":
        print(f"database: {connection.settings_dict['NAME']}")


if __name__ == "__main__":
    main()
