"""Benchmark one large import and the reader page.

1. Imports a ~5 MB text (the seed article repeated) into a fresh SQLite database through
   `source_import` (the whole pipeline: decode, structure, store, then the post-import
   overlap check and candidate proposals), and prints the time, the throughput and the
   peak memory (the process's peak resident size; with --tracemalloc also the peak of
   Python allocations, measured in a second run, since tracing slows Python down).
2. Bootstraps the two seeds with their curated claims and times the reader page of each
   (django.test.Client, no test instrumentation), median of 20 runs.

Goals: the import under 10 s and 400 MB; each reader page under 100 ms.

    python scripts/bench_import.py [--megabytes 5] [--runs 20] [--tracemalloc]
"""
import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARTICLE = ROOT / "sources" / "001_47f5397719def2c0.txt"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def big_text(megabytes: float) -> bytes:
    article = ARTICLE.read_bytes()
    copies = max(int(megabytes * 1024 * 1024 / len(article)), 1)
    return article * copies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tracemalloc", action="store_true", help="also measure Python allocations (slow)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="claimbook-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"  # never the shared database
    os.environ["DJANGO_SETTINGS_MODULE"] = "kb.settings"
    os.environ.setdefault("CLAIMBOOK_MAX_IMPORT_BYTES", str(64 * 1024 * 1024))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from kb.services.sources import source_import

    call_command("migrate", verbosity=0)
    data = big_text(args.megabytes)
    size_mb = len(data) / 1024 / 1024
    baseline = peak_rss_mb()
    began = time.perf_counter()
    result = source_import(data=data, name="big-article.txt", metadata={"slug": "big-article"})
    seconds = time.perf_counter() - began
    print(f"import: {size_mb:.2f} MB, {result.characters:,} characters, {result.sections:,} sections, "
          f"{result.passages:,} passages in {seconds:.2f} s = {size_mb / seconds:.2f} MB/s")
    print(f"import: peak resident memory {peak_rss_mb():.0f} MB (process; {baseline:.0f} MB before the import)")
    stages = ", ".join(f"{stage} {spent:.2f} s" for stage, spent in result.timings.items())
    print(f"import: stages: {stages}")

    if args.tracemalloc:
        import tracemalloc

        class Rollback(Exception):
            pass

        tracemalloc.start()
        try:
            with transaction.atomic():
                source_import(data=data.replace(b"Hamas", b"Hamas ", 1), name="big-article-2.txt",
                              metadata={"slug": "big-article-2"})
                raise Rollback
        except Rollback:
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"import: peak Python allocations {peak / 1024 / 1024:.0f} MB (tracemalloc, second run)")

    call_command("bootstrap", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    for slug in ("iranian-support-for-hamas", "hamas-iran-unraveling-a-complex-relationship"):
        url = f"/sources/{slug}/"
        assert client.get(url).status_code == 200  # warm caches
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        print(f"reader {url}: median {statistics.median(times):.1f} ms, "
              f"max {max(times):.1f} ms over {args.runs} runs ({len(response.content):,} bytes)")
    print(f"database: {folder}/bench.sqlite3")


if __name__ == "__main__":
    main()
