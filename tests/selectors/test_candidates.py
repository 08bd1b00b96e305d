"""Candidate claims previewed from a text (nothing stored): dates, stance, entities, what is left out, matches."""
import datetime as dt
from kb.selectors.candidates import preview_candidates
from kb.importing import structure as st


def preview(text, fmt="markdown", **metadata):
    return preview_candidates(text, st.parse(text, fmt), metadata=metadata)


def proposal_for(proposals, fragment):
    matching = [p for p in proposals if fragment in p.quote]
    assert matching, f"no proposal holds {fragment!r}: {[p.quote for p in proposals]}"
    return matching[0]


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
    # the plain part ("… hosted a conference in Tehran in 1990", its relative clause a part of its
    # own) restates a curated claim cited by an independent source: one step better than B's 2
    assert plain.quote == "Iran hosted a conference in Tehran in 1990" and plain.match_relation == "restates"
    assert hedged.credibility > plain.credibility == 1
    assert any("stated also by an independent source" in reason for reason in plain.reasons)
    assert any("hedged wording (reportedly)" in reason for reason in hedged.reasons)
    assert any("precise figure with no stated source" in reason for reason in hedged.reasons)


def test_candidates_carry_known_entities_and_new_names(db, seeds):
    text = "# Talks\n\nIn 1990 Iran hosted Mousa Abu Marzouk and a Hamas delegation in Tehran.\n"
    proposal = proposal_for(preview(text), "Mousa Abu Marzouk")
    assert {"iran", "hamas", "tehran", "mousa-abu-marzouk"} <= set(proposal.entities)
    assert proposal.new_names == []  # every name here is a known entity
    other = proposal_for(preview("# Talks\n\nIn 1990 Iran hosted Yusuf Al Qaradawi in Tehran.\n"), "Qaradawi")
    assert other.new_names == ["Yusuf Al Qaradawi"]


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


def test_short_or_different_sentences_do_not_match(seeds):
    text = ("Iran and Hamas\n\nIran is a patron of many groups across the region, from Yemen to Iraq, "
            "and of several political parties.\n")
    proposals = preview_candidates(text, st.parse(text, "plain"))
    assert [p.match_claim_id for p in proposals] == [None]


def test_preview_writes_nothing(db_snapshot, seeds):
    before = db_snapshot()
    text = seeds["blog"].text
    proposals = preview_candidates(text, st.parse(text, "plain"), metadata={"reliability": "E"})
    assert len(proposals) > 50
    assert db_snapshot() == before
