#!/usr/bin/env python
"""How long checking one new document for shared text takes as the knowledge base grows.

Generates stored sources (synthetic text drawn from a Zipf-distributed vocabulary, a few of
them sharing sentences with the new document), indexes them as an import would, and times,
at each size: candidate retrieval (one indexed `hash__in` query), the whole check of the new
text (`find_overlaps`: retrieval plus the full comparison of each candidate), and recording
the links for a stored source (`record_overlaps`: index it, check, write). Everything runs in
one transaction that is rolled back: the database is left as it was.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python scripts/bench_overlap.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimbook_bench python scripts/bench_overlap.py --sizes 1000 5000
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from kb import overlap  # noqa: E402
from kb.importing import structure as st  # noqa: E402
from kb.models import Passage, Source, SourceShingle  # noqa: E402

VOCABULARY = 20_000
PARAGRAPHS = 8
SENTENCES_PER_PARAGRAPH = 5
COPIES = 3  # stored sources that copy two sentences of the new document


class Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words = [f"w{i}" for i in range(VOCABULARY)]
        weights = [1 / (rank + 1) for rank in range(VOCABULARY)]
        total = sum(weights)
        self.cumulative, acc = [], 0.0
        for weight in weights:
            acc += weight / total
            self.cumulative.append(acc)

    def sentence(self) -> str:
        count = self.rng.randint(12, 28)
        chosen = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        return " ".join(chosen).capitalize() + "."

    def document(self, extra: list[str] = ()) -> str:
        paragraphs = [" ".join(self.sentence() for _ in range(SENTENCES_PER_PARAGRAPH)) for _ in range(PARAGRAPHS)]
        for index, sentence in enumerate(extra):
            paragraphs[index % PARAGRAPHS] += " " + sentence
        return "\n\n".join(paragraphs) + "\n"


def store(texts: list[str], first_number: int) -> list[Source]:
    """Sources with their passages and index rows, in bulk (what an import stores for them)."""
    sources = Source.objects.bulk_create([
        Source(slug=f"bench-{first_number + i}", title=f"Bench {first_number + i}", text=text,
               text_length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest(), is_synthetic=True)
        for i, text in enumerate(texts)
    ], batch_size=500)
    passages, shingles = [], []
    for source in sources:
        at, ranges = 0, []
        for order, paragraph in enumerate(source.text.split("\n\n"), start=1):
            start, end = at, at + len(paragraph)
            ranges.append((start, end))
            passages.append(Passage(source=source, order=order, kind="paragraph", anchor=f"p-{order}",
                                    start=start, end=end))
            at = end + 2
        shingles.extend(SourceShingle(source=source, hash=h) for h in overlap.fingerprints(source.text, ranges))
    Passage.objects.bulk_create(passages, batch_size=2000)
    SourceShingle.objects.bulk_create(shingles, batch_size=5000)
    return sources


def timed(function, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    writer = Writer(args.seed)
    shared = [writer.sentence() for _ in range(2)]
    new_text = writer.document(extra=shared)
    new_structure = st.parse(new_text, "plain")
    print(f"database: {connection.vendor}; new document: {len(new_text.split()):,} words; "
          f"stored documents: ~{PARAGRAPHS * SENTENCES_PER_PARAGRAPH * 20:,} words each, {COPIES} copy the new one")
    with transaction.atomic():
        stored = 0
        copies_made = False
        for size in sorted(args.sizes):
            began = time.perf_counter()
            texts = []
            while stored + len(texts) < size:
                copy = not copies_made and len(texts) < COPIES
                texts.append(writer.document(extra=shared if copy else ()))
            copies_made = True
            store(texts, stored)
            stored = size
            if connection.vendor == "postgresql":
                # Planner statistics, as autovacuum keeps them in a running database; without them
                # PostgreSQL scans the whole index table instead of using its index.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE kb_sourceshingle; ANALYZE kb_source; ANALYZE kb_passage")
            build = time.perf_counter() - began
            rows = SourceShingle.objects.count()
            doc = overlap.as_doc(new_text, new_structure)
            hashes = overlap.sampled_hashes(doc)
            retrieval, candidates = timed(lambda: overlap.candidate_sources(hashes))
            check, findings = timed(lambda: overlap.find_overlaps(new_text, structure=new_structure))
            newcomer = store([writer.document(extra=shared)], 10_000_000 + size)[0]
            record, links = timed(lambda: overlap.record_overlaps(newcomer), repeat=3)
            derived = sum(1 for f in findings if f.derived)
            print(
                f"{size:>6,} stored sources ({rows:,} index rows, generated in {build:.1f}s): "
                f"candidate retrieval {retrieval * 1000:.1f} ms ({len(candidates)} candidates, "
                f"{len(hashes)} hashes queried); check of the new text {check * 1000:.1f} ms "
                f"({derived} copies found); record_overlaps for a stored source {record * 1000:.1f} ms "
                f"({len(links)} links)"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
