"""Benchmark the researcher pages at scale: per-page median and 95th percentile server time.

Builds a fresh SQLite database (or uses DATABASE_URL if given), loads the real data with
`bootstrap`, adds N synthetic claims with `seed_synthetic`, then requests every page through
Django's test client and prints the figures. Usage:

    python scripts/bench_pages.py [--claims 50000] [--runs 30] [--keep PATH]
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
    parser.add_argument("--claims", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", help="reuse this SQLite file if it exists")
    args = parser.parse_args()
    db = args.db or os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    reuse = os.path.exists(db)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from kb.models import Claim, Entity

    if not reuse:
        began = time.perf_counter()
        call_command("bootstrap", verbosity=0)
        call_command("seed_synthetic", claims=args.claims, allow_mixed=True)
        print(f"setup: {time.perf_counter() - began:.1f}s, {Claim.objects.count():,} claims in {db}")
    # No test instrumentation: templates render as they do in production.
    client = Client(HTTP_HOST="127.0.0.1")
    synthetic_claim = Claim.objects.filter(is_synthetic=True).order_by("-id").values_list("id", flat=True).first()
    entity = Entity.objects.filter(is_synthetic=True).values_list("slug", flat=True).first()
    pages = {
        "/": "/",
        "/claims/": "/claims/",
        "/claims/ page 500": "/claims/?page=500",
        "/claims/?q=": "/claims/?q=weapons+border",
        "/claims/ filtered": "/claims/?tag=funding&credibility=2&credibility=3&date_from=1990&date_to=2005&sort=-confidence",
        "/claims/?contested=yes": "/claims/?contested=yes",
        "/claims/1/": "/claims/1/",
        "/claims/<synthetic>/": f"/claims/{synthetic_claim}/",
        "/sources/": "/sources/",
        "/sources/article/": "/sources/iranian-support-for-hamas/?claim=1",
        "/sources/blog/": "/sources/hamas-iran-unraveling-a-complex-relationship/",
        "/entities/iran/": "/entities/iran/",
        "/entities/<synthetic>/": f"/entities/{entity}/",
        "/tags/funding/": "/tags/funding/",
        "/timeline/": "/timeline/",
        "/timeline/ filtered": "/timeline/?tag=tunnels",
    }
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8}")
    for name, url in pages.items():
        client.get(url)  # warm
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
