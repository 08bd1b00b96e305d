"""Benchmark the API's claim list at scale: median and 95th percentile server time per page.

Builds a database (SQLite in a temporary folder, or DATABASE_URL if given, e.g. PostgreSQL),
loads the real data with `bootstrap`, adds N synthetic claims with `seed_synthetic`, then asks
for first pages, pages deep in the list (a cursor taken at the middle of the sort order),
filtered pages and a search, through Django's test client, and prints the figures. Usage:

    python scripts/bench_api.py [--claims 200000] [--runs 30] [--db PATH]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python scripts/bench_api.py --claims 1000000

`--skip-build` measures the database as it is, e.g. the corpus `scripts/bench_scale.py` builds
(a million claims on PostgreSQL in minutes):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cb_bench_1m python scripts/bench_api.py --skip-build
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", help="reuse this SQLite file if it exists")
    parser.add_argument("--skip-build", action="store_true", help="measure the database as it is")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        db = args.db or os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    os.environ.setdefault("CLAIMBOOK_API_RATE_PER_ADDRESS", "100000000")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from kb.api import cursors
    from kb.models import Claim, Entity
    from kb.selectors.claims import SORTS

    if not args.skip_build:
        call_command("migrate", verbosity=0)
    if not args.skip_build and not Claim.objects.filter(is_synthetic=True).exists():
        began = time.perf_counter()
        call_command("bootstrap", verbosity=0)
        call_command("seed_synthetic", claims=args.claims, allow_mixed=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"setup: {time.perf_counter() - began:.1f}s")
    published = Claim.objects.published().filter(merged_into__isnull=True)
    total = published.count()
    print(f"{total:,} published claims on {connection.vendor}")

    def middle_cursor(sort):
        ordering = SORTS[sort]
        row = published.order_by(*ordering)[total // 2 : total // 2 + 1].get()
        return cursors.encode("claims", sort, values=cursors.key_values(row, ordering))

    # A grown corpus's entity: seed_synthetic's (is_synthetic) or bench_scale's (bench-*), else any.
    grown = Entity.objects.filter(is_synthetic=True) | Entity.objects.filter(slug__startswith="bench-")
    entity = (grown.order_by("id").values_list("slug", flat=True).first()
              or Entity.objects.order_by("id").values_list("slug", flat=True).first())
    client = Client(HTTP_HOST="127.0.0.1")
    pages = {
        "first page (date)": "/api/claims/",
        "middle page (date)": f"/api/claims/?cursor={middle_cursor('date')}",
        "middle page (-date)": f"/api/claims/?sort=-date&cursor={middle_cursor('-date')}",
        "middle page (confidence)": f"/api/claims/?sort=confidence&cursor={middle_cursor('confidence')}",
        "middle page (updated)": f"/api/claims/?sort=updated&cursor={middle_cursor('updated')}",
        "100 a page": "/api/claims/?limit=100",
        "entity": f"/api/claims/?entity={entity}",
        "tag + credibility": "/api/claims/?tag=funding&credibility=2&credibility=3",
        "date range, newest": "/api/claims/?date_from=1990&date_to=2005&sort=-date",
        "contested": "/api/claims/?contested=yes",
        "search": "/api/claims/?q=weapons+border",
    }
    print(f"{'GET /api/claims/':28} {'median ms':>10} {'p95 ms':>8}")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url  # warm
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{name:28} {statistics.median(times):10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
