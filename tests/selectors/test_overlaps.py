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


def test_copy_links_among_some_sources_group_them_as_all_links_do(db, django_assert_num_queries):
    """derived_pairs_among reads only the links of the given sources' groups (followed through
    sources not given, and around cycles), in one query, and groups them as derived_pairs() does."""
    from kb.models import Source
    from kb.text.independence import SourceGroups

    def source(n):  # bare rows: an import's copy check would link these texts by itself
        return Source.objects.create(slug=f"among-{n}", title=f"Among {n}", text=f"Text {n}.",
                                     text_length=len(f"Text {n}."), sha256=f"{n:064d}")

    a, b, c, d, e, f, g, unrelated = (source(n) for n in range(8))

    def link(copy, original):
        SourceLink.objects.create(source=copy, target=original, shared_share=0.5)

    link(a, c)  # a and b copy c, which no claim cites: a and b are one voice
    link(b, c)
    link(d, e)  # d, e, f copy one another in a cycle
    link(e, f)
    link(f, d)
    link(g, unrelated)
    with django_assert_num_queries(1):
        pairs = overlap.derived_pairs_among([a.pk, b.pk, d.pk])
    assert pairs == {(a.pk, c.pk), (b.pk, c.pk), (d.pk, e.pk), (e.pk, f.pk), (f.pk, d.pk)}
    everything = overlap.derived_pairs()
    assert pairs < everything
    cited = [(s.pk, s.slug) for s in Source.objects.filter(pk__in=[a.pk, b.pk, d.pk, f.pk])]
    assert SourceGroups(pairs).count(cited) == SourceGroups(everything).count(cited) == 2
    with django_assert_num_queries(0):
        assert overlap.derived_pairs_among([]) == set()
