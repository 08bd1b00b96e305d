"""Benchmark a batch import: 1,000 small documents into a database already holding 1,000.

Generates varied documents (2-20 KB each: headings, paragraphs with dates, figures, names
and attributions, some lists; no two alike), imports 1,000 of them as the existing
collection, then times `import_source` on a folder of 1,000 more: the command path, with
the post-import steps the pipeline runs (overlap check and candidate proposals, where
installed). Goal: the batch in under 2 minutes.

    python scripts/bench_batch.py [--existing 1000] [--batch 1000] [--seed 7]
"""
import argparse
import io
import os
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE = ["Ismail Haniyeh", "Qasem Soleimani", "Yahya Sinwar", "Khaled Mashal", "Ali Khamenei",
          "Mohammed Deif", "Ahmed Yassin", "Hassan Nasrallah", "Marwan Issa", "Saleh al-Arouri"]
ORGS = ["Hamas", "the IRGC", "the Quds Force", "Hezbollah", "Islamic Jihad", "the PLO", "the UN",
        "the European Union", "the State Department", "the Arab League"]
PLACES = ["Gaza", "Tehran", "Beirut", "Damascus", "Doha", "Cairo", "Rafah", "Khan Younis", "Jenin", "Amman"]
SOURCES = ["an Israeli security source", "a 2020 US Department of State report", "Reuters",
           "officials familiar with the matter", "a UN panel", "local media", "the group's spokesman"]
VERBS = ["transferred", "pledged", "delivered", "smuggled", "allocated", "promised", "sent", "withheld"]
THINGS = ["rockets", "drones", "funds", "weapons", "fuel", "medical supplies", "training", "advisers"]
SEEDS = [ROOT / "sources" / "001_47f5397719def2c0.txt", ROOT / "sources" / "000_58f979856ac02d7a.txt"]
# Prose filler from the seeds' own vocabulary, drawn at random: realistic words, but no long
# runs shared between documents (real collections share a few phrases, not every sentence).
VOCABULARY = sorted({word.lower() for path in SEEDS for word in re.findall(r"[A-Za-z]{3,}", path.read_text())})


def sentence(rng: random.Random) -> str:
    """A dated, attributed fact (with a few random words, as real wording varies), or prose."""
    year = rng.randint(1985, 2024)
    amount = rng.choice([f"${rng.randint(1, 900)} million", f"{rng.randint(2, 5000):,} {rng.choice(THINGS)}",
                         f"about {rng.randint(10, 990)} km of tunnels"])

    def words(low=1, high=3):
        return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(low, high)))

    def source():
        return " ".join([rng.choice(SOURCES), words(0, 2)]).strip()

    shape = rng.choice([0, 1, 2, 3, 4, 4, 4, 4])  # half prose, half dated, attributed facts
    if shape == 0:
        text = (f"In {year}, {rng.choice(ORGS)} {words()} {rng.choice(VERBS)} {amount} to {rng.choice(PLACES)} "
                f"{words()}, according to {source()}.")
    elif shape == 1:
        text = (f"{rng.choice(PEOPLE)} said in {rng.choice(['March', 'June', 'October'])} {year} that "
                f"{rng.choice(ORGS)} {words()} had {rng.choice(VERBS)} {amount}.")
    elif shape == 2:
        text = f"Reportedly, {rng.choice(ORGS)} met {rng.choice(PEOPLE)} {words()} in {rng.choice(PLACES)} during {year}."
    elif shape == 3:
        text = f"By {year} the {words(1, 2)} figure had reached {amount}, {source()} estimated."
    else:
        text = words(8, 24).capitalize() + "."
    return text


def document(rng: random.Random, number: int) -> str:
    target = rng.randint(2 * 1024, 20 * 1024)
    parts = [f"= Report {number}: {rng.choice(ORGS)} and {rng.choice(PLACES)} ="]
    while sum(len(p) + 2 for p in parts) < target:
        if rng.random() < 0.12:
            parts.append(f"== {rng.choice(['Background', 'Funding', 'Attacks', 'Talks', 'Aftermath'])} "
                         f"{rng.randint(1, 99)} ==")
        elif rng.random() < 0.08:
            parts.append("\n".join(f"- {rng.choice(PEOPLE)} in {rng.choice(PLACES)}" for _ in range(rng.randint(2, 5))))
        else:
            parts.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 7))))
    return "\n\n".join(parts) + "\n"


def write_documents(folder: Path, rng: random.Random, first: int, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(first, first + count):
        data = document(rng, number).encode("utf-8")
        (folder / f"report-{number:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="claimbook-batch-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"  # never the shared database
    os.environ["DJANGO_SETTINGS_MODULE"] = "kb.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from kb.models import Claim, Source

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    existing_bytes = write_documents(folder / "existing", rng, 1, args.existing)
    batch_bytes = write_documents(folder / "batch", rng, args.existing + 1, args.batch)

    began = time.perf_counter()
    call_command("import_source", str(folder / "existing"), "--no-progress", "--no-candidates",
                 verbosity=0, stdout=io.StringIO())
    setup = time.perf_counter() - began
    print(f"setup: {args.existing:,} documents ({existing_bytes / 1024 / 1024:.1f} MB) imported in {setup:.1f} s")

    try:
        from kb.overlap import find_overlaps  # noqa: F401

        overlap_note = "with the overlap check"
    except ImportError:
        overlap_note = "without an overlap check (kb.overlap.find_overlaps not installed)"
    out = io.StringIO()
    began = time.perf_counter()
    call_command("import_source", str(folder / "batch"), "--no-progress", "--no-candidates", verbosity=2, stdout=out)
    seconds = time.perf_counter() - began
    lines = out.getvalue().splitlines()
    total_line = [line for line in lines if line.startswith("Total:")][-1]
    stages: dict[str, float] = {}
    for line in lines:  # "  stages: decode+structure 0.00s, store 0.01s, ..."
        if line.strip().startswith("stages:"):
            for part in line.split(":", 1)[1].split(","):
                stage, spent = part.strip().rsplit(" ", 1)
                stages[stage] = stages.get(stage, 0.0) + float(spent.rstrip("s"))
    print(f"batch: {args.batch:,} documents ({batch_bytes / 1024 / 1024:.1f} MB, 2-20 KB each) into a "
          f"database of {args.existing:,}: {seconds:.1f} s = {seconds / args.batch * 1000:.0f} ms per document, "
          f"{overlap_note}")
    print(f"batch: {total_line}")
    print("batch: time by stage, summed: " + ", ".join(f"{stage} {spent:.2f} s" for stage, spent in stages.items()))
    # Candidate claims for the batch, the step `--no-candidates` leaves for later.
    batch_slugs = list(Source.objects.current().order_by("-pk").values_list("slug", flat=True)[: args.batch])
    began = time.perf_counter()
    call_command("propose_candidates", *batch_slugs, verbosity=0, stdout=io.StringIO())
    mining = time.perf_counter() - began
    print(f"candidates: proposed for the {args.batch:,} batch documents in {mining:.1f} s "
          f"({mining / args.batch * 1000:.0f} ms per document); import and candidates together "
          f"{seconds + mining:.1f} s")
    print(f"database now: {Source.objects.count():,} sources, {Claim.objects.count():,} claims "
          f"(candidates included); peak resident memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"files and database: {folder}")


if __name__ == "__main__":
    main()
