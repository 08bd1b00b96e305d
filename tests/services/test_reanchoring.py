"""Re-anchoring: citations, non-claim marks and annotations follow a source to its new version."""
import re

import pytest

from kb.text.anchoring import FUZZY_THRESHOLD
from kb.services.sources import source_import
from kb.models import Citation, NonClaim
from tests.factories import ARTICLE_SLUG, AnnotationFactory, CitationFactory, ClaimFactory, UserFactory

PARAGRAPHS = [
    "= Tunnels of Gaza =",
    "The first tunnels were dug in the 1980s to smuggle goods under the border at Rafah.",
    "By 2014 the network was said to run for about 400 km, according to Israeli officials.",
    "A later estimate put it at 500 km, though independent engineers doubted the figure.",
    "Hamas leaders have praised the tunnels as a strategic weapon in several speeches.",
    "In 2021 the army claimed to have destroyed over 100 km of tunnels in eleven days.",
]


def text_of(paragraphs):
    return "\n\n".join(paragraphs) + "\n"


def import_text(text, slug="tunnels-of-gaza", user=None):
    return source_import(data=text.encode("utf-8"), name=f"{slug}.txt", metadata={"slug": slug}, user=user)


def cite(source, quote, *, occurrence=0):
    """A published claim citing `quote` in `source` (its n-th occurrence), with context."""
    citation = CitationFactory(claim=ClaimFactory(statement=f"Claim about: {quote[:60]}"), source=source,
                               quote=quote, occurrence=occurrence)
    assert citation.passage is not None and citation.prefix == source.text[max(citation.start - 60, 0) : citation.start]
    return citation


def assert_anchored(citation, source):
    citation.refresh_from_db()
    assert citation.source_id == source.pk
    assert source.text[citation.start : citation.end] == citation.quote
    passage = citation.passage
    assert passage.source_id == source.pk and passage.start <= citation.start < passage.end
    assert citation.prefix == source.text[max(citation.start - 60, 0) : citation.start]
    assert citation.suffix == source.text[citation.end : citation.end + 60]


@pytest.fixture
def v1(db):
    return import_text(text_of(PARAGRAPHS)).source


def test_unchanged_paragraphs_keep_exact_anchors(v1):
    kept = [cite(v1, PARAGRAPHS[1][:40]), cite(v1, "independent engineers doubted the figure"),
            cite(v1, "over 100 km of tunnels")]
    edited = PARAGRAPHS.copy()
    edited[2] = edited[2].replace("about 400 km", "roughly 400 km")  # a paragraph none of them cite
    result = import_text(text_of(edited))
    v2 = result.source
    assert result.status == "version" and v2.version == 2
    # (The import also proposes candidate claims, whose citations move too: count only ours.)
    assert result.reanchored["orphaned"] == 0 and result.reanchored["position"] >= 3
    for citation in kept:
        before = (citation.start, citation.end, citation.quote)
        assert_anchored(citation, v2)
        assert citation.anchoring == "exact" and citation.anchoring_score is None
        assert citation.quote == before[2]
    # Offsets after the edit moved by the length difference; those before it did not.
    assert kept[0].start == v1.text.index(PARAGRAPHS[1][:40])
    assert kept[2].start == v1.text.index("over 100 km") + len("roughly") - len("about")


def test_edited_sentence_reanchors_fuzzily_with_score_and_history(v1):
    old_quote = "By 2014 the network was said to run for about 400 km, according to Israeli officials."
    citation = cite(v1, old_quote)
    edited = PARAGRAPHS.copy()
    edited[2] = "By 2014 the network was said to run for roughly 400 km, according to Israeli military officials."
    result = import_text(text_of(edited))
    v2 = result.source
    assert result.reanchored["fuzzy"] >= 1
    assert_anchored(citation, v2)
    assert citation.anchoring == "fuzzy"
    assert FUZZY_THRESHOLD <= citation.anchoring_score < 1
    assert citation.quote == edited[2]  # the new text's words, whole
    # The old quote is kept in the citation's history, with the reason for the move.
    history = list(citation.history.order_by("history_date", "history_id"))
    assert history[0].quote == old_quote and history[0].source_id == v1.pk
    assert history[-1].quote == edited[2] and "fuzzy" in history[-1].history_change_reason


def test_deleted_paragraph_citation_is_orphaned_and_kept_on_the_old_version(v1, client):
    citation = cite(v1, "Hamas leaders have praised the tunnels as a strategic weapon")
    edited = [p for p in PARAGRAPHS if not p.startswith("Hamas leaders")]
    result = import_text(text_of(edited))
    assert result.reanchored["orphaned"] >= 1
    citation.refresh_from_db()
    assert citation.anchoring == "orphaned"
    assert citation.source_id == v1.pk and v1.text[citation.start : citation.end] == citation.quote
    assert Citation.objects.filter(pk=citation.pk).exists()
    # Listed for editors on the source page; not shown to readers.
    page = client.get(result.source.get_absolute_url()).content.decode()
    assert "Orphaned citations" not in page
    editor = UserFactory(username="editor-anchoring", permissions=["change_claim"])
    client.force_login(editor)
    page = client.get(result.source.get_absolute_url()).content.decode()
    assert re.search(r"Orphaned citations \(\d+\)", page)
    assert f"/claims/{citation.claim_id}/" in page


def test_moved_paragraph_is_found_by_quote(v1):
    citation = cite(v1, "A later estimate put it at 500 km")
    moved = [PARAGRAPHS[0], PARAGRAPHS[3], PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[4], PARAGRAPHS[5]]
    result = import_text(text_of(moved))
    assert_anchored(citation, result.source)
    assert citation.anchoring == "exact"
    assert result.source.text.index("A later estimate") == citation.start


def test_repeated_quote_goes_to_the_occurrence_with_the_matching_context(db):
    paragraphs = [
        "= Two reports =",
        "The first report said the group received weapons from abroad in 2006.",
        "The second report said the group received weapons from abroad in 2012.",
    ]
    v1 = import_text(text_of(paragraphs), slug="two-reports").source
    citation = cite(v1, "the group received weapons from abroad", occurrence=1)
    # A new paragraph at the top moves everything, and a changed word breaks the position.
    changed = [paragraphs[0], "An introduction was added.", paragraphs[1],
               paragraphs[2].replace("The second report", "The later report")]
    v2 = import_text(text_of(changed), slug="two-reports").source
    assert_anchored(citation, v2)
    assert v2.text[citation.end :].startswith(" in 2012")


def test_orphaned_citation_returns_when_a_later_version_restores_its_text(v1):
    citation = cite(v1, "Hamas leaders have praised the tunnels as a strategic weapon")
    import_text(text_of([p for p in PARAGRAPHS if not p.startswith("Hamas leaders")]))
    citation.refresh_from_db()
    assert citation.anchoring == "orphaned"
    v3 = import_text(text_of(PARAGRAPHS + ["A closing paragraph was added later."])).source
    assert v3.version == 3
    assert_anchored(citation, v3)
    assert citation.anchoring == "exact"


def test_non_claims_and_annotations_move_too(v1):
    non_claim = NonClaim.objects.create(
        source=v1, start=v1.text.index("Hamas leaders"), end=v1.text.index("several speeches.") + 17,
        quote=PARAGRAPHS[4], reason="opinion",
    )
    author = UserFactory(username="annotator-anchoring")
    start = v1.text.index("independent engineers")
    annotation = AnnotationFactory(body="Which engineers?", source=v1, quote="independent engineers",
                                   prefix=v1.text[start - 30 : start], author=author)
    changed = [PARAGRAPHS[0], "A new first paragraph.", *PARAGRAPHS[1:]]
    v2 = import_text(text_of(changed)).source
    non_claim.refresh_from_db()
    annotation.refresh_from_db()
    assert non_claim.source_id == v2.pk and v2.text[non_claim.start : non_claim.end] == non_claim.quote
    assert annotation.source_id == v2.pk and v2.text[annotation.start : annotation.end] == "independent engineers"


def test_article_figure_change_reanchors_every_curated_citation(curated):
    article = curated["article"]
    count = Citation.objects.filter(source=article).count()
    changed = article.text.replace("about $100 million annually", "about $110 million annually")
    result = source_import(data=changed.encode("utf-8"), name="article-v2.txt", metadata={"slug": ARTICLE_SLUG})
    v2 = result.source
    assert sum(result.reanchored.values()) >= count
    moved = Citation.objects.filter(source=v2)
    assert moved.count() == count and not Citation.objects.filter(source=article).exists()
    for citation in moved.select_related("passage"):
        assert v2.text[citation.start : citation.end] == citation.quote
        assert citation.passage.source_id == v2.pk
    fuzzy = moved.filter(anchoring="fuzzy")
    assert all("$110 million" in c.quote for c in fuzzy)
    assert result.reanchored["orphaned"] == 0


# ---- the placement itself, without the database ------------------------------------------


