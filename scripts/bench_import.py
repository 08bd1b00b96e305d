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

With --corpus-claims N it measures instead what grows with the knowledge base (issue 15): a
synthetic corpus of N claims in N / --claims-per-source sources (seed_synthetic, every source's
shingles indexed with their holder counts, as imports leave them), then --imports imports of a
20 KB document (part real article, part sentences shared with the corpus, so the copy check
and the candidate matching both have work), each timed with its stages and the process's
peak memory. DATABASE_URL picks the database (default: a new SQLite file; an empty
PostgreSQL database works too):

    python scripts/bench_import.py --corpus-claims 100000 --claims-per-source 10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cb_bench python scripts/bench_import.py --corpus-claims 100000
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
    parser.add_argument("--corpus-claims", type=int, default=0, help="import a 20 KB document into a corpus this big")
    parser.add_argument("--claims-per-source", type=int, default=10)
    parser.add_argument("--imports", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="claimbook-bench-")
    if args.corpus_claims:
        return corpus_import(args, folder)
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


def index_corpus_shingles() -> int:
    """Every source's winnowed shingles and the holder counts, as the import's copy check leaves them."""
    from django.db import connection

    from kb.models import Passage, ShingleHolders, Source, SourceShingle
    from kb.text.sentences import CONTENT_KINDS
    from kb.text.shingles import fingerprints

    rows = 0
    pending = []
    for source_id, text in Source.objects.filter(shingles__isnull=True).values_list("id", "text").iterator(chunk_size=200):
        ranges = Passage.objects.filter(source_id=source_id, kind__in=CONTENT_KINDS).values_list("start", "end")
        pending += [SourceShingle(source_id=source_id, hash=h) for h in fingerprints(text, list(ranges))]
        if len(pending) > 20000:
            rows += len(SourceShingle.objects.bulk_create(pending, batch_size=5000))
            pending = []
    rows += len(SourceShingle.objects.bulk_create(pending, batch_size=5000))
    ShingleHolders.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {ShingleHolders._meta.db_table} (hash, sources) "
                       f"SELECT hash, COUNT(*) FROM {SourceShingle._meta.db_table} GROUP BY hash")
    return rows


def twenty_kb_document(number: int) -> bytes:
    """12 KB of the seed article, then 8 KB of sentences that synthetic sources hold."""
    from kb.models import Source

    article = ARTICLE.read_text(encoding="utf-8")[:12_000]
    shared = []
    for text in Source.objects.filter(is_synthetic=True).order_by("?").values_list("text", flat=True)[:200]:
        shared.append(text.split("\n\n", 2)[1])
        if sum(map(len, shared)) > 8_000:
            break
    return (f"# Bench report {number}\n\n{article}\n\n" + "\n\n".join(shared) + "\n").encode("utf-8")


def corpus_import(args, folder):
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kb.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kb.models import Claim, ShingleHolders, Source, SourceShingle
    from kb.services.sources import source_import

    call_command("migrate", verbosity=0)
    call_command("seed_synthetic", up_to=args.corpus_claims, claims_per_source=args.claims_per_source,
                 allow_mixed=True)
    began = time.perf_counter()
    indexed = index_corpus_shingles()
    print(f"corpus: {indexed:,} shingle rows indexed in {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        # As a loaded database has them (autovacuum on PostgreSQL): without statistics the planner
        # may scan every claim per candidate instead of probing the full-text index.
        cursor.execute("ANALYZE")
    stock = ShingleHolders.objects.filter(sources__gt=25).count()
    print(f"corpus ({connection.vendor}): {Claim.objects.count():,} claims, {Source.objects.count():,} sources, "
          f"{SourceShingle.objects.count():,} shingle rows, {ShingleHolders.objects.count():,} distinct hashes "
          f"({stock:,} stock phrases held by more than 25 sources)")
    for number in range(1, args.imports + 1):
        data = twenty_kb_document(number)
        baseline = peak_rss_mb()
        began, cpu = time.perf_counter(), time.process_time()
        result = source_import(data=data, name=f"bench-{number}.md", metadata={"slug": f"bench-report-{number}-{time.time_ns()}"})
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        stages = ", ".join(f"{stage} {spent:.2f} s" for stage, spent in result.timings.items())
        candidates = Claim.objects.filter(citations__source=result.source, status="candidate").count()
        print(f"import {number}: {len(data) / 1024:.1f} KB in {seconds:.2f} s, {cpu:.2f} CPU-s in this process "
              f"(load average {os.getloadavg()[0]:.1f}) ({stages}); {candidates} candidates; "
              f"peak RSS {peak_rss_mb():.0f} MB ({baseline:.0f} MB before)")
    if connection.vendor == "sqlite":
        print(f"database: {connection.settings_dict['NAME']}")


if __name__ == "__main__":
    main()
