"""Candidate claims proposed by an import: sentences, dates, attribution, hedging, entities,
credibility, matching published claims, and the score against the curated seeds."""
import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from kb.extraction import attribution as attr
from kb.selectors.candidates import curated_source_slugs, entity_index, preview_candidates
from kb.services.candidates import candidates_propose
from kb.extraction.checkable import rejection
from kb.extraction.dates import Reference, envelope, find_dates
from kb.extraction.entities import EntityIndex
from kb.importing import structure as st
from kb.services.sources import source_import
from kb.models import CandidateDetail, Claim


def edtf(text, reference=None):
    found = envelope(find_dates(text, reference))
    return found[0] if found else None


def preview(text, fmt="markdown", **metadata):
    return preview_candidates(text, st.parse(text, fmt), metadata=metadata)


def proposal_for(proposals, fragment):
    matching = [p for p in proposals if fragment in p.quote]
    assert matching, f"no proposal holds {fragment!r}: {[p.quote for p in proposals]}"
    return matching[0]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("sentence, expected", [
    ("After Israel assassinated Ayyash on 5 January 1996, Deif organised a campaign.", "1996-01-05"),
    ("The meeting on February 8, 2025 confirmed the ties.", "2025-02-08"),
    ("During a December 2006 visit to Tehran, Iran pledged $250 million.", "2006-12"),
    ("In 2000, families of the victims filed a lawsuit.", "2000"),
    ("During the 2008–2009 Gaza War, missiles were used.", "2008/2009"),
    ("Between 2005 and 2007 the support grew.", "2005/2007"),
    ("Relations were close in the 1990s.", "199X"),
    ("Ties deepened in the 1980s–1990s.", "198X/199X"),
    ("During the early 1990s, a delegation visited Tehran.", "1990/1993"),
    ("In the mid-1990s the office opened.", "1994/1996"),
    ("By late 2023 the tunnels were finished.", "2023-09/2023-12"),
    ("Since the early 1990s, Iran has sponsored Hamas.", "1990/.."),
    ("As of 2023, funding had increased.", "2023"),
    ("Fighting on 5–7 January 1996 killed many.", "1996-01-05/1996-01-07"),
])
def test_explicit_dates_become_edtf(sentence, expected):
    assert edtf(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Iran gave $350 million a year.",
    "Palestinian militants killed 1,200 Israelis.",
    "There are 2000 fighters and 240 mm rockets with a range of 1500 km.",
    "Officials may meet again.",
])
def test_numbers_and_modals_are_not_dates(sentence):
    assert edtf(sentence) is None


def test_relative_dates_resolve_from_the_nearest_explicit_date():
    # "on Wednesday" after a day-precise date: the Wednesday on or before it.
    assert edtf("He was killed on Wednesday.", Reference(2024, 7, 31)) == "2024-07-31"
    assert edtf("He was killed on Wednesday.", Reference(2024, 8, 2)) == "2024-07-31"
    # known to the month only: the month, not an invented day
    assert edtf("He was killed on Wednesday.", Reference(2024, 7)) == "2024-07"
    assert edtf("The office opened the following year.", Reference(1990)) == "1991"
    assert edtf("Funding grew last year.", Reference(2020)) == "2019"
    assert edtf("A mural appeared in mid-October.", Reference(2024, 8)) == "2024-10-11/2024-10-20"
    assert edtf("It gave the green light on 2 October.", Reference(2023)) == "2023-10-02"
    # within the sentence, an explicit date is the reference for what follows it
    assert edtf("The attack of 7 October 2023 was approved on 2 October.") == "2023-10-02/2023-10-07"
    # "the October 7 attacks" names an event; it is not the date of the sentence
    assert edtf("Sinwar was killed in mid-October, after the October 7 attacks.", Reference(2024)) == \
        "2024-10-11/2024-10-20"
    # without any reference a relative expression is left undated rather than guessed
    assert edtf("The office opened the following year.") is None


def test_dates_resolve_from_passage_section_title_and_publication_date(db):
    text = (
        "# Report\n\n## 1995 bus attack\n\nSeven Israeli soldiers and one settler were killed in Gaza.\n\n"
        "## Aftermath\n\nIn July 2024 Hamas announced the death of its leader Ismail Haniyeh in Tehran. "
        "Haniyeh was killed on Wednesday by an explosive device planted in Tehran.\n\n"
        "## Later\n\nThe Hamas office in Doha was closed last year by the Qatari government.\n"
    )
    proposals = preview(text, published="2025-03-14")
    from_section = proposal_for(proposals, "Seven Israeli soldiers")
    assert (from_section.date_edtf, from_section.date_basis) == ("1995", "section")
    from_passage = proposal_for(proposals, "on Wednesday")
    assert (from_passage.date_edtf, from_passage.date_basis, from_passage.date_wording) == \
        ("2024-07", "relative", "on Wednesday")
    from_publication = proposal_for(proposals, "last year")
    assert from_publication.date_edtf == "2024"
    assert from_publication.date.earliest == dt.date(2024, 1, 1)


# ---------------------------------------------------------------- attribution and hedging


@pytest.mark.parametrize("sentence, who, anonymous", [
    ("According to a 2020 US Department of State report, Iran provides $100 million.",
     "a 2020 US Department of State report", False),
    ("As of 2023, according to an Israeli security source, funding rose to $350 million.",
     "an Israeli security source", True),
    ("According to Mike Kelly, Hassan Salameh was trained in Iran.", "Mike Kelly", False),
    ("In 2021 senior Hamas representative to Lebanon, Ahmad Abd al-Hadi said that tunnels exist.",
     "senior Hamas representative to Lebanon, Ahmad Abd al-Hadi", False),
    ("As early as 2015, The Sunday Telegraph reported that Iran was funding rockets.",
     "The Sunday Telegraph", False),
    ("The attack was planned in Tehran, officials said.", "officials", True),
    ("Iran funds the group, according to a report by the RAND Corporation.",
     "a report by the RAND Corporation", False),
    ("According to a report, the minister instructed his commander.", "a report", True),
])
def test_attribution_names_who_said_it(sentence, who, anonymous):
    found = attr.find_attribution(sentence)
    assert (found.who, found.anonymous) == (who, anonymous)


@pytest.mark.parametrize("sentence", [
    "The scale of the commitment is well-documented by international reports.",
    "While the U.S. has not announced an operation, the risk grows.",
    "Iran cannot directly provide weapons to Gaza.",
])
def test_no_attribution_where_nobody_speaks(sentence):
    assert attr.find_attribution(sentence) is None


@pytest.mark.parametrize("sentence, cue", [
    ("Iran then committed, with reportedly $30 million per year.", "reportedly"),
    ("The weapons were allegedly smuggled through Sudan.", "allegedly"),
    ("It has been alleged that both Syria and Iran helped.", "it has been alleged"),
    ("The group may have received training in Iran.", "may"),
    ("Iran might increase its support.", "might"),
    ("This suggests a broader strategic alignment.", "suggests"),
    ("As of 2023, according to a source, funding rose.", "according to a source"),
])
def test_hedging_cues_are_found(sentence, cue):
    assert cue in attr.hedges(sentence)


def test_month_may_and_plain_statements_are_not_hedged():
    assert attr.hedges("In May 2020 Iran sent $30 million to Hamas.") == []
    assert attr.hedges("Iran has remained a key patron of Hamas.") == []


def test_hedged_or_anonymous_candidates_get_hedged_stance_and_lower_credibility(db):
    text = (
        "# Funding\n\n"
        "Iran provided reportedly $30 million per year to Hamas in the early 1990s. "
        "Iran hosted a conference in Tehran in 1990 that was attended by Hamas leaders.\n"
    )
    proposals = preview(text, reliability="B")
    hedged = proposal_for(proposals, "reportedly")
    plain = proposal_for(proposals, "hosted a conference")
    assert hedged.stance == "hedged" and plain.stance == "states"
    assert hedged.credibility > plain.credibility == 2
    assert any("hedged wording (reportedly)" in reason for reason in hedged.reasons)
    assert any("precise figure with no stated source" in reason for reason in hedged.reasons)


# ---------------------------------------------------------------- entities


def test_entities_match_names_and_aliases_on_word_boundaries():
    index = EntityIndex([
        ("iran", "Iran", ["Islamic Republic of Iran", "Iranian"]),
        ("united-states", "United States", ["US", "U.S."]),
        ("hamas", "Hamas", []),
    ])
    text = "The Islamic Republic of Iran and the U.S. differ; Iranian aid reached Hamas's wing, not us."
    found = index.find(text)
    assert [(m.slug, m.surface) for m in found] == [
        ("iran", "Islamic Republic of Iran"), ("united-states", "U.S."), ("iran", "Iranian"), ("hamas", "Hamas"),
    ]
    # short aliases are case-sensitive; longer names are not; no match inside a word
    assert index.slugs("they told us about hamas") == []
    assert index.slugs("the united states and the IRANIANS") == ["united-states"]
    assert index.slugs("Iranshahr is a city") == []


def test_new_capitalised_names_are_proposed():
    index = EntityIndex([("hamas", "Hamas", []), ("iran", "Iran", ["Iranian"])])
    text = ("A delegation from Hamas, headed by Mousa Abu Marzouk, met Iranian Minister of "
            "Intelligence Ali Fallahian at Tehran's Palestine Square.")
    assert index.new_names(text) == ["Mousa Abu Marzouk", "Ali Fallahian", "Palestine Square"]


def test_candidates_carry_known_entities_and_new_names(db, seeds):
    text = "# Talks\n\nIn 1990 Iran hosted Mousa Abu Marzouk and a Hamas delegation in Tehran.\n"
    proposal = proposal_for(preview(text), "Mousa Abu Marzouk")
    assert {"iran", "hamas", "tehran", "mousa-abu-marzouk"} <= set(proposal.entities)
    assert proposal.new_names == []  # every name here is a known entity
    other = proposal_for(preview("# Talks\n\nIn 1990 Iran hosted Yusuf Al Qaradawi in Tehran.\n"), "Qaradawi")
    assert other.new_names == ["Yusuf Al Qaradawi"]


# ---------------------------------------------------------------- what is not a candidate


@pytest.mark.parametrize("sentence, reason", [
    ("What was Iran's role in the October 7 attacks on Israel?", "question"),
    ("Do you believe Iran's influence on Hamas will continue to grow?", "question"),
    ("We invite you to share your thoughts on this relationship in the comments below.", "call-to-action"),
    ("For more insights into Middle Eastern geopolitics, follow our latest updates here.", "call-to-action"),
    ("Subscribe to our newsletter for weekly analysis.", "call-to-action"),
    ("In this article, we will explore the ties between Iran and Hamas.", "meta"),
    ("This episode is crucial for understanding the nuances of the alliance.", "meta"),
    ("This distinction is critical.", "rhetoric"),
    ("I won't go into details on this.", "rhetoric"),
])
def test_questions_calls_to_action_meta_and_rhetoric_are_not_candidates(sentence, reason):
    assert rejection(sentence) == reason


def test_reported_questions_are_statements():
    assert rejection("He said to them: 'Why are you sitting idly by?'") is None


def test_preview_leaves_out_questions_calls_to_action_headings_and_boilerplate(db):
    text = (
        "Iran and Hamas\n"
        "Iran has funded Hamas since the early 1990s, providing weapons and training to its fighters.\n"
        "Table of Contents\n- Funding\n- Weapons\n"
        "Funding\n"
        "What was Iran's role in the October 7 attacks on Israel? "
        "According to a 2020 US Department of State report, Iran provides about $100 million annually "
        "to Palestinian militant groups, including Hamas.\n"
        "We invite you to share your thoughts in the comments below. Follow our latest updates here.\n"
        "- Victoria Digiorgio The Ultimate Guide\n- Awkwafinas Love Life Whos She Dating\n"
    )
    structure = st.parse(text, "plain")
    proposals = preview_candidates(text, structure)
    quotes = [p.quote for p in proposals]
    assert quotes == [
        "Iran has funded Hamas since the early 1990s, providing weapons and training to its fighters.",
        "According to a 2020 US Department of State report, Iran provides about $100 million annually "
        "to Palestinian militant groups, including Hamas.",
    ]
    for proposal in proposals:
        assert text[proposal.start : proposal.end] == proposal.quote


def test_a_meta_sentence_keeps_its_claim_clause(db):
    text = ("# Haniyeh\n\nThe incident directly answers the question of \"Is Hamas in Iran?\" in a tragic sense, "
            "demonstrating that its top leadership was physically present within Iranian borders.\n")
    (proposal,) = preview(text)
    assert proposal.quote == "its top leadership was physically present within Iranian borders"
    assert text[proposal.start : proposal.end] == proposal.quote


def test_statement_is_the_sentence_without_markdown_bold(db):
    text = "# Lead\n\n**Since the early 1990s, Iran has been sponsoring Hamas with military aid and training.**\n"
    (proposal,) = preview(text)
    assert proposal.statement == "Since the early 1990s, Iran has been sponsoring Hamas with military aid and training."
    assert "**" not in proposal.quote and text[proposal.start : proposal.end] == proposal.quote


def test_quotations_inherit_speaker_and_date_from_their_introduction(db):
    text = (
        "# Tunnels\n\nIn 2021 senior Hamas representative to Lebanon, Ahmad Abd al-Hadi said:\n\n"
        "> Today there are 360 kilometers of tunnels in Gaza. Two people came up with the idea of digging them.\n"
    )
    proposal = proposal_for(preview(text), "360 kilometers")
    assert proposal.attribution == "senior Hamas representative to Lebanon, Ahmad Abd al-Hadi"
    assert (proposal.date_edtf, proposal.date_basis) == ("2021", "introduction")
    assert proposal.kind == "quantity"


# ---------------------------------------------------------------- matching published claims


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


def test_short_or_different_sentences_do_not_match(seeds):
    text = ("Iran and Hamas\n\nIran is a patron of many groups across the region, from Yemen to Iraq, "
            "and of several political parties.\n")
    proposals = preview_candidates(text, st.parse(text, "plain"))
    assert [p.match_claim_id for p in proposals] == [None]


# ---------------------------------------------------------------- storing candidates


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


def test_preview_writes_nothing(db_snapshot, seeds):
    before = db_snapshot()
    text = seeds["blog"].text
    proposals = preview_candidates(text, st.parse(text, "plain"), metadata={"reliability": "E"})
    assert len(proposals) > 50
    assert db_snapshot() == before


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


# ---------------------------------------------------------------- the score


def test_score_command_prints_recall_and_precision_for_each_seed(curated):
    out = io.StringIO()
    call_command("extraction_score", "--seeds", stdout=out)
    lines = out.getvalue().splitlines()
    figures = {}
    for line in lines:
        match = re.match(r"(\S+): recall ([\d.]+)% .* precision ([\d.]+)%", line)
        if match:
            figures[match.group(1)] = (float(match.group(2)), float(match.group(3)))
    assert set(figures) == {curated["article"].slug, curated["blog"].slug, "overall"}
    recall, precision = figures["overall"]
    assert recall >= 85 and precision >= 70


def test_score_command_refuses_an_unknown_slug(curated):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no-such-source"):
        call_command("extraction_score", "--seeds", "no-such-source", stdout=io.StringIO())

