"""Shingle holder counts (kb.models.ShingleHolders): kept by the service that writes shingles,
read by the copy check's stock-phrase filter instead of counting rows; 64-bit hashes."""
import importlib
from collections import Counter
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.db.models import Count

from kb.models import ShingleHolders, SourceShingle
from kb.selectors import overlaps as overlap
from kb.services.overlaps import source_shingles_index
from kb.services.sources import source_import
from kb.text import shingles

TEXT = (
    "The commission found that the northern canal was dredged twice in the spring, that the contractor was "
    "paid for a third dredging that never happened, and that the harbour master signed every invoice himself. "
    "Its report also says the pumping station was left without power for eleven days in the summer."
)


def _counted() -> dict[int, int]:
    """The holder counts as a full count of the index would give them (what the table replaces)."""
    return dict(SourceShingle.objects.values("hash").annotate(n=Count("id")).values_list("hash", "n"))


def _kept() -> dict[int, int]:
    return dict(ShingleHolders.objects.exclude(sources=0).values_list("hash", "sources"))


def _import(text, slug):
    return source_import(data=text.encode(), name=f"{slug}.md", metadata={"slug": slug}).source


def test_hashes_are_64_bit_signed_and_stable():
    value = shingles.shingle_hash("the northern canal was dredged")
    assert value == shingles.shingle_hash("the northern canal was dredged")
    assert -(2**63) <= value < 2**63
    hashes = shingles.shingle_hashes(shingles.words(TEXT))
    assert len(set(hashes)) == len(hashes) and any(abs(h) >= 2**32 for h in hashes)


def test_imports_new_versions_and_reindexing_keep_the_counts_exact(seeds):
    assert _kept() == _counted()
    first = _import(f"# Canal\n\n{TEXT}\n", "canal-report")
    copy = _import(f"# Canal again\n\n{TEXT}\n\nA line of its own about the weather in the port.\n", "canal-copy")
    assert _kept() == _counted()
    shared = set(SourceShingle.objects.filter(source=first).values_list("hash", flat=True))
    assert {ShingleHolders.objects.get(hash=h).sources for h in shared} == {2}
    _import(f"# Canal\n\n{TEXT.replace('eleven', 'twelve')} A new closing sentence about the audit.\n",
            "canal-report")  # a new version: the old version's hashes leave the index
    assert _kept() == _counted()
    source_shingles_index(source=copy)  # indexing the same text again changes nothing
    assert _kept() == _counted()


def test_reindexing_runs_a_fixed_number_of_queries(seeds, django_assert_num_queries):
    source = _import(f"# Canal\n\n{TEXT}\n", "canal-report")
    # its savepoint, passages, the index's old hashes, delete, insert, release; no holder count
    # changes, so none is written (a changed text adds: per 900 hashes, create, lock, and an
    # update per distinct amount)
    with django_assert_num_queries(6):
        source_shingles_index(source=source)


def test_the_stock_phrase_filter_reads_the_kept_counts(seeds):
    source = _import(f"# Canal\n\n{TEXT}\n", "canal-report")
    hashes = shingles.sampled_hashes(overlap.as_doc(source))
    assert [sid for sid, _ in overlap.candidate_sources(hashes)] == [source.pk]
    ShingleHolders.objects.filter(hash__in=hashes).update(sources=shingles.COMMON_HASH_SOURCES + 1)
    assert overlap.candidate_sources(hashes) == []  # every hash is now a stock phrase


def test_the_migration_rehashes_stored_rows_from_the_text(seeds):
    migration = importlib.import_module("kb.migrations.0017_shingle_hashes_64_bit_and_holder_counts")
    expected = {s.pk: shingles.sampled_hashes(overlap.as_doc(s)) for s in seeds.values()}
    for source in seeds.values():  # rows as the 32-bit hash wrote them
        SourceShingle.objects.filter(source=source).delete()
        SourceShingle.objects.bulk_create(SourceShingle(source=source, hash=n) for n in range(1, 50))
    ShingleHolders.objects.all().delete()
    migration.rehash(apps, SimpleNamespace(connection=connection))
    for source in seeds.values():
        assert set(SourceShingle.objects.filter(source=source).values_list("hash", flat=True)) == expected[source.pk]
    assert _kept() == _counted() == dict(Counter(h for hs in expected.values() for h in hs))
