#!/usr/bin/env python
"""How fast candidate claims are mined from text: milliseconds per 10 KB, and a batch of
1,000 documents of 10 KB on all cores.

The documents are 10 KB slices of the gold corpus (fixtures/gold/*.txt) and the seeds
(sources/*.txt), cycled; each is prepared as an import would (decode, format, structure) and
mined by `kb.extraction.candidates.extract` with the entities of the knowledge base left out
and no matching (both are database reads, timed by scripts/bench_import.py). Nothing is stored.

Times are CPU time (`time.process_time()`) of the mining process(es), not wall time: the machine
is shared, and wall time measures the neighbours as much as the miner. The batch also prints its
wall time, which is only a bound when other work is running.

    python scripts/bench_extraction.py            # ms per 10 KB, then 1,000 x 10 KB on every core
    python scripts/bench_extraction.py --docs 200 --workers 2
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")

import django  # noqa: E402

django.setup()

from kb.extraction.candidates import Context, extract  # noqa: E402
from kb.extraction.dates import event_date  # noqa: E402
from kb.extraction.segment import blocks_from_structure  # noqa: E402
from kb.importing.prepare import prepare  # noqa: E402

SIZE = 10_000


def documents() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "gold").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "sources").glob("*.txt"))]
    corpus = "\n\n".join(texts)
    slices = []
    for at in range(0, len(corpus) - SIZE, SIZE):
        piece = corpus[at : at + SIZE]
        cut = piece.find("\n\n")  # start at a paragraph, as a document would
        slices.append(piece[cut + 2 :] if 0 <= cut < 2000 else piece)
    return slices


def mine(text: str) -> int:
    prepared = prepare(text.encode("utf-8"), "bench.txt")
    context = Context(reliability="C", published=event_date("2024-05-29"))
    return len(extract(prepared.text, blocks_from_structure(prepared.structure), context))


def _mine_many(texts: list[str]) -> tuple[int, float]:
    """Candidates found and the CPU seconds this worker spent finding them."""
    began = time.process_time()
    found = sum(mine(text) for text in texts)
    return found, time.process_time() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000, help="documents in the batch (default 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    parser.add_argument("--rounds", type=int, default=5, help="times each slice is timed (default 5)")
    args = parser.parse_args()
    slices = documents()
    for text in slices[:3]:  # warm caches (compiled regular expressions, parsed dates)
        mine(text)
    timings = []
    for _ in range(args.rounds):
        for text in slices:
            began = time.process_time()
            mine(text)
            timings.append((time.process_time() - began) * 1000 * SIZE / max(len(text), 1))
    print(f"{len(slices)} slices of about 10 KB x {args.rounds} rounds, CPU time: median "
          f"{statistics.median(timings):.1f} ms per 10 KB, p95 {sorted(timings)[int(len(timings) * 0.95) - 1]:.1f} ms, "
          f"max {max(timings):.1f} ms")
    batch = [slices[i % len(slices)] for i in range(args.docs)]
    chunks = [batch[i :: args.workers] for i in range(args.workers)]
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(_mine_many, chunks))
    elapsed = time.perf_counter() - began
    candidates = sum(found for found, _ in results)
    busiest = max(cpu for _, cpu in results)
    print(f"{args.docs} documents of 10 KB on {args.workers} processes: {busiest:.1f} s of CPU time in the "
          f"busiest process ({sum(cpu for _, cpu in results) * 1000 / args.docs:.1f} ms CPU per document), "
          f"{elapsed:.1f} s wall time on the shared machine ({candidates} candidates)")


if __name__ == "__main__":
    main()
