#!/usr/bin/env python
"""How long matching a new document's candidates against published claims takes as the
knowledge base grows (kb.selectors.candidates.claim_shortlist plus the re-rank).

Adds synthetic published claims (statements of real English words drawn by a Zipf law from the
gold texts' and seeds' vocabulary, each naming one of a few entities) to the database in DATABASE_URL, in one transaction that is rolled back at the
end, so the database is left as it was; then, at each size, mines the gold documents
(fixtures/gold/) without matching and times the shortlist and the re-rank for each document.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cb_bench python scripts/bench_matching.py --sizes 10000 100000
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python scripts/bench_matching.py --sizes 10000
(run `manage.py migrate` on that database first)
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from kb.extraction.candidates import Context, extract  # noqa: E402
from kb.extraction.entities import EntityIndex  # noqa: E402
from kb.extraction.segment import blocks_from_structure  # noqa: E402
from kb.importing.prepare import prepare  # noqa: E402
from kb.models import Claim, Entity  # noqa: E402
from kb.selectors.candidates import claim_shortlist  # noqa: E402

def _vocabulary() -> list[str]:
    """Real English words, most frequent first: the gold texts' and the seeds' own."""
    import re
    from collections import Counter

    counts = Counter()
    for path in list((ROOT / "fixtures" / "gold").glob("*.txt")) + list((ROOT / "sources").glob("*.txt")):
        counts.update(w.lower() for w in re.findall(r"[A-Za-z][a-z]{1,}", path.read_text(encoding="utf-8")))
    return [word for word, _ in counts.most_common()]


VOCABULARY = _vocabulary()
NAMES = ["Hamas", "Iran", "Hezbollah", "Israel", "Lebanon", "Gaza", "Treasury", "Qatar"]


class Rollback(Exception):
    pass


def _statement(rng: random.Random) -> str:
    words = [VOCABULARY[min(int(rng.paretovariate(1.1)) - 1, len(VOCABULARY) - 1)] for _ in range(rng.randint(8, 25))]
    words.insert(rng.randint(0, len(words)), rng.choice(NAMES))
    return " ".join(words).capitalize() + "."


def grow(to: int, rng: random.Random, entities: list[Entity]) -> None:
    have = Claim.objects.count()
    through = Claim.entities.through
    while have < to:
        batch = [Claim(statement=_statement(rng), status=Claim.Status.PUBLISHED, is_synthetic=True)
                 for _ in range(min(5000, to - have))]
        created = Claim.objects.bulk_create(batch)
        through.objects.bulk_create([through(claim_id=c.pk, entity_id=rng.choice(entities).pk) for c in created])
        have += len(batch)


def documents():
    index = EntityIndex(Entity.objects.values_list("slug", "name", "aliases"))
    for path in sorted((ROOT / "fixtures" / "gold").glob("*.txt")):
        prepared = prepare(path.read_bytes(), path.name)
        yield path.stem, extract(prepared.text, blocks_from_structure(prepared.structure), Context(entity_index=index))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    rng = random.Random(7)
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            entities = [Entity.objects.get_or_create(slug=name.lower(), defaults={"name": name, "kind": "organisation"})[0]
                        for name in NAMES]
            docs = list(documents())
            for size in args.sizes:
                began = time.perf_counter()
                grow(size, rng, entities)
                built = time.perf_counter() - began
                if connection.vendor == "postgresql":
                    # Bulk inserts land in the GIN indexes' pending lists, which every search scans
                    # until (auto)vacuum merges them; a live database has them merged, so do it here.
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE kb_claim; ANALYZE kb_citation")
                        for index in ("claim_statement_fts", "citation_quote_fts"):
                            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
                timings, rerank, held = [], [], []
                for _, proposals in docs:
                    began = time.perf_counter()
                    matcher = claim_shortlist(proposals)
                    timings.append((time.perf_counter() - began) * 1000)
                    held.append(len({row.claim_id for row in matcher.rows}))
                    began = time.perf_counter()
                    for proposal in proposals:
                        matcher.best(proposal.statement, proposal.date_edtf)
                    rerank.append((time.perf_counter() - began) * 1000)
                print(f"{Claim.objects.count():>9,} claims (built in {built:.0f} s): shortlist median "
                      f"{statistics.median(timings):.0f} ms, max {max(timings):.0f} ms per document "
                      f"({sum(len(p) for _, p in docs) / len(docs):.0f} candidates); re-rank median "
                      f"{statistics.median(rerank):.0f} ms; claims shortlisted median {statistics.median(held):.0f}, "
                      f"max {max(held)}")
            raise Rollback
    except Rollback:
        print("rolled back: the database is as it was")


if __name__ == "__main__":
    main()
