"""Candidate claims stored by an import: one exact citation each, details kept, matches suggested, never twice."""
from kb.selectors.candidates import curated_source_slugs
from kb.services.candidates import candidates_propose
from kb.services.sources import source_import
from kb.models import CandidateDetail, Claim


def test_a_restated_published_claim_becomes_a_suggested_new_citation(seeds):
    claim = Claim.objects.get(key="art-iran-key-patron-of-hamas")
    text = ("Iran and Hamas\n\nA regional analyst wrote that Iran has remained a key patron of Hamas, providing "
            "it with funds, weapons, and training.\n\nThe weather in Gaza was mild throughout the spring of 2019. "
            "Farmers in the south planted citrus and olives early, and the harvest in the autumn was larger than "
            "in any year of the previous decade. Fishermen reported good catches along the whole coast, and "
            "markets in the towns were busy until the first storms of the winter arrived in December.\n")
    result = source_import(data=text.encode(), name="analyst.txt",
                           metadata={"slug": "analyst-note", "reliability": "C", "kind": "analysis"})
    candidates = Claim.objects.filter(citations__source=result.source, status="candidate")
    matched = candidates.get(citations__quote__contains="key patron")
    assert matched.suggested_match == claim
    assert matched.extraction.match_score >= 85
    assert "proposed as a new citation" in matched.rationale
    # an independent source saying the same raises the suggestion; the blog that copies the
    # article is no second confirmation
    assert ("stated also by an independent source (Iranian support for Hamas (and 1 copy of it))"
            in matched.rationale)
    # C starts at 3; an unnamed analyst lowers it one step, the independent source raises it one
    assert "anonymous attribution (A regional analyst)" in matched.rationale
    assert matched.credibility == 3
    unrelated = candidates.get(citations__quote__contains="weather")
    assert unrelated.suggested_match is None


def test_import_stores_candidates_with_one_exact_citation_each(db):
    text = (
        "# Funding report\n\n"
        "According to a 2020 US Department of State report, Iran provides about $100 million annually to "
        "Palestinian militant groups. It has been alleged that Syria helped plan the 1996 bombings.\n\n"
        "What should readers make of this?\n"
    )
    result = source_import(data=text.encode(), name="report.md",
                           metadata={"slug": "funding-report", "reliability": "B", "published": "2021-03"})
    claims = list(Claim.objects.filter(citations__source=result.source).order_by("pk"))
    assert len(claims) == 2
    for claim in claims:
        assert (claim.status, claim.origin) == ("candidate", "import")
        (citation,) = claim.citations.all()
        assert citation.is_anchored() and citation.passage is not None
        assert citation.source.text[citation.start - len(citation.prefix) : citation.start] == citation.prefix
        assert claim.credibility and claim.rationale
    funding, alleged = claims
    assert funding.date_edtf == "2020" and funding.kind == "quantity"
    assert funding.citations.get().attribution == "a 2020 US Department of State report"
    assert {"iran", "us-department-of-state"} <= set(funding.entities.values_list("slug", flat=True))
    assert alleged.citations.get().stance == "hedged"
    assert alleged.extraction.hedges == ["it has been alleged"]
    assert alleged.date_edtf == "1996"


def test_proposing_twice_adds_nothing(db):
    text = "# Note\n\nIran hosted a conference in Tehran in 1990 that was attended by Hamas leaders.\n"
    result = source_import(data=text.encode(), name="note.md", metadata={"slug": "note"})
    before = Claim.objects.count()
    assert candidates_propose(source=result.source) == []
    assert Claim.objects.count() == before


def test_curated_seeds_get_no_candidates(curated):
    """Bootstrap imports the seeds before their curated claims load: no duplicate candidates."""
    assert {curated["article"].slug, curated["blog"].slug} <= curated_source_slugs()
    assert not Claim.objects.filter(status="candidate", citations__source__in=curated.values()).exists()
    assert candidates_propose(source=curated["article"]) == []


def test_candidate_details_keep_what_the_extractor_found(db):
    text = ("# Talks\n\nAccording to an Israeli security source, Mousa Abu Marzouk reportedly met "
            "officials in Tehran in December 2006.\n")
    result = source_import(data=text.encode(), name="talks.md", metadata={"slug": "talks", "reliability": "C"})
    detail = CandidateDetail.objects.get(claim__citations__source=result.source)
    assert detail.anonymous_attribution is True
    assert "reportedly" in detail.hedges
    assert detail.date_basis == "explicit"
    assert detail.claim.date_edtf == "2006-12"
    assert any("anonymous attribution" in reason for reason in detail.reasons)
