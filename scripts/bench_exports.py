"""Benchmark the streamed exports at scale (issue 15, goal 4: constant memory, 20,000 rows/s).

Builds a synthetic corpus (seed_synthetic) of --claims claims unless the database already has
them, then streams, as a signed-in user (no anonymous limit), /claims/export.csv (in the list's
date order, and in its confidence order), /claims/export.jsonld and the API's CSV (in id order)
through the WSGI handler, reading the body as a
client would, and prints for each: time to the first bytes, total time, rows (CSV lines or
claims) per second, bytes. A second pass of the CSV export under tracemalloc prints the peak
of Python allocations while streaming (the memory the export holds, whatever its size).
DATABASE_URL picks the database (default: a new SQLite file):

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
    began = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200 and response.streaming, (url, response.status_code)
    first = None
    size = lines = 0
    for piece in response.streaming_content:
        if first is None:
            first = time.perf_counter() - began
        size += len(piece)
        lines += piece.count(b"\n")
    return first or 0.0, time.perf_counter() - began, size, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--claims-per-source", type=int, default=10)
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
    have = Claim.objects.count()
    if have < args.claims:
        began = time.perf_counter()
        call_command("seed_synthetic", claims=args.claims - have, claims_per_source=args.claims_per_source,
                     allow_mixed=True, verbosity=0)
        print(f"corpus: {args.claims - have:,} synthetic claims in {time.perf_counter() - began:.1f} s")
    claims, citations = Claim.objects.filter(status="published").count(), Citation.objects.count()
    print(f"corpus ({connection.vendor}): {claims:,} published claims, {citations:,} citations")
    user, _ = get_user_model().objects.get_or_create(username="bench-exporter")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    # The page's downloads walk the list's sort as a keyset (date by default; confidence is a
    # three-column key); the API's CSV walks ids, without relation columns: side by side.
    for url, unit in (("/claims/export.csv", "rows"), ("/claims/export.csv?sort=confidence", "rows"),
                      ("/claims/export.jsonld", "claims"), ("/api/exports/claims.csv", "rows")):
        baseline = peak_rss_mb()
        first, total, size, lines = stream(client, url)
        count = lines - 1 if unit == "rows" else claims
        print(f"{url}: first bytes after {first * 1000:.0f} ms, {count:,} {unit} in {total:.1f} s = "
              f"{count / total:,.0f} {unit}/s, {size / 1024 / 1024:.1f} MB; peak RSS {peak_rss_mb():.0f} MB "
              f"({baseline:.0f} MB before)")
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
