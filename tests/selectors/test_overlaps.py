"""Reads about shared text: previews that write nothing, and independent sources per claim."""
from django.db.models import Prefetch
from kb.selectors import overlaps as overlap
from kb.text import shingles
from kb.importing import structure as st
from kb.models import Citation, Claim, SourceLink
from tests.factories import CitationFactory, SourceFactory


def test_find_overlaps_previews_a_text_without_writing(seeds, db_snapshot):
    before = db_snapshot()
    text = seeds["blog"].text
    # as the admin preview of a re-import of the blog: its own stored version is left out
    (finding,) = overlap.find_overlaps(text, structure=st.parse(text, "plain"), exclude_slug=seeds["blog"].slug)
    assert finding.other == seeds["article"]
    assert finding.derived and finding.copies_other
    assert len(finding.runs) == 3 and finding.hits >= shingles.MIN_HITS
    assert {run["passage"] for run in finding.runs} <= {p.anchor for p in seeds["blog"].passages.all()}
    assert db_snapshot() == before


def test_sources_that_copy_each_other_count_once(curated):
    claim = Claim.objects.get(key="art-iran-key-patron-of-hamas")
    assert set(claim.citations.values_list("source__slug", flat=True)) == {curated["article"].slug,
                                                                           curated["blog"].slug}
    assert overlap.independent_source_count(claim) == 1
    SourceLink.objects.all().delete()
    assert overlap.independent_source_count(claim) == 2


def test_an_unrelated_source_counts_as_independent(curated):
    claim = Claim.objects.get(key="art-iran-key-patron-of-hamas")
    CitationFactory(claim=claim, source=SourceFactory(slug="independent-source"))
    assert overlap.independent_source_count(claim) == 2


def test_bulk_independent_counts_run_no_queries_when_prefetched(curated, django_assert_num_queries):
    claims = list(Claim.objects.filter(key__startswith="art-").prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source").only(
            "id", "claim_id", "source_id", "source__slug"))))
    pairs = overlap.derived_pairs()
    with django_assert_num_queries(0):
        counts = overlap.independent_source_counts(claims, pairs)
    assert counts[Claim.objects.get(key="art-iran-key-patron-of-hamas").pk] == 1
    assert set(counts.values()) == {1}  # the blog copies the article: nothing is confirmed twice
