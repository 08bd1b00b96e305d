"""Editors' pages over HTTP: claims from selections, stale edits, merges, review, annotations, logins."""
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import common as edits
from kb.models import Annotation, ReviewDecision
from kb.selectors.selection import selection_find
from kb.models import Claim, Passage
from kb.text.ranges import visible_range
from tests.factories import SECOND_PHRASE, THIRD_PHRASE, UNIQUE_PHRASE, article, client_for, make_candidate, make_claim


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html)[1]


# Claims from a selection


def test_reader_selection_arrives_filled_and_creates_a_claim(editor):
    source = article()
    passage = Passage.objects.filter(source=source, kind="paragraph").order_by("order")[3]
    first, _ = visible_range(source.text, passage.start, passage.end)
    quote = source.text[first + 5 : first + 60]
    client = client_for(editor)
    page = client.get(reverse("claim-new", args=[source.slug]), {"from": f"{passage.anchor}:5", "to": f"{passage.anchor}:60", "quote": quote})
    html = page.content.decode()
    assert page.status_code == 200
    assert (_hidden(html, "start"), _hidden(html, "end")) == (str(first + 5), str(first + 60))
    assert source.text[: first + 5].endswith(page.context["selection_form"].preview()["prefix"])
    response = client.post(reverse("claim-new", args=[source.slug]), {
        "start": first + 5, "end": first + 60, "quote": quote, "prefix": source.text[first - 10 : first + 5],
        "statement": "Made from a selection.", "kind": "event", "date_edtf": "199X", "date_wording": "in the 1990s",
        "credibility": "3", "rationale": "One source.", "stance": "hedged", "attribution": "",
        "create_anyway": "1",  # a curated claim cites words of this paragraph (tests/views/test_duplicates.py)
    })
    claim = Claim.objects.get(statement="Made from a selection.")
    assert response["Location"] == claim.get_absolute_url()
    citation = claim.citations.get()
    assert (citation.start, citation.end, citation.quote, citation.stance) == (first + 5, first + 60, quote, "hedged")
    assert (claim.date_edtf, str(claim.date_earliest), str(claim.date_latest)) == ("199X", "1990-01-01", "1999-12-31")


def test_quote_that_does_not_match_the_text_is_refused(editor, db_snapshot):
    source = article()
    start = source.text.index(UNIQUE_PHRASE)
    before = db_snapshot()
    response = client_for(editor).post(reverse("claim-new", args=[source.slug]), {
        "start": start, "end": start + len(UNIQUE_PHRASE), "quote": "Seven Israeli soldiers and NO settler were killed.",
        "statement": "Forged.", "kind": "event", "stance": "states",
    })
    assert response.status_code == 200
    assert "does not match the source text" in response.content.decode()
    assert db_snapshot() == before


def test_without_javascript_a_pasted_quote_is_found(editor):
    source = article()
    client = client_for(editor)
    page = client.get(reverse("claim-new", args=[source.slug]), {"quote": " Seven Israeli soldiers and one\nsettler were killed. "})
    html = page.content.decode()
    start = source.text.index(UNIQUE_PHRASE)
    assert _hidden(html, "start") == str(start) and "<mark" in html
    response = client.post(reverse("claim-new", args=[source.slug]), {
        "quote": UNIQUE_PHRASE, "statement": "Pasted.", "kind": "event", "stance": "states",
        "create_anyway": "1",  # a curated claim cites these words
    })
    assert response.status_code == 302
    assert Claim.objects.get(statement="Pasted.").citations.get().start == start
    ambiguous = client.get(reverse("claim-new", args=[source.slug]), {"quote": "Hamas"})
    assert "occur" in ambiguous.content.decode() and 'name="start"' not in ambiguous.content.decode()


def test_selection_annotation_shows_beside_its_text(editor, researcher):
    source = article()
    start = source.text.index(SECOND_PHRASE)
    response = client_for(editor).post(reverse("selection-annotate", args=[source.slug]), {
        "start": start, "end": start + len(SECOND_PHRASE), "quote": SECOND_PHRASE,
        "kind": "context", "body": "See **the report**.", "ref_url": "https://example.org/r", "ref_title": "The report",
    })
    annotation = Annotation.objects.get(source=source)
    assert response["Location"] == f"{source.get_absolute_url()}#annotation-{annotation.pk}"
    passage = Passage.objects.get(source=source, start__lte=start, end__gte=start + len(SECOND_PHRASE))
    reader = client_for(researcher).get(source.get_absolute_url()).content.decode()
    assert f'id="annotation-{annotation.pk}"' in reader and f'href="#{passage.anchor}"' in reader
    assert "<strong>the report</strong>" in reader and 'href="https://example.org/r" rel="nofollow noopener"' in reader


def test_hostile_annotation_is_inert_on_every_page(editor, client):
    claim = make_claim(editor)
    body = '<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>'
    client_for(editor).post(reverse("claim-annotate", args=[claim.pk]), {"kind": "dispute", "body": body})
    for url in (claim.get_absolute_url(), reverse("home")):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html and 'href="javascript:' not in html


# Edits


def test_stale_edit_is_refused_with_the_other_change_shown(editor, other_editor):
    claim = make_claim(editor, statement="Original wording.")
    url = reverse("claim-edit", args=[claim.pk])
    eddie, edna = client_for(editor), client_for(other_editor)
    token = _hidden(eddie.get(url).content.decode(), "version")
    fields = {"kind": "event", "date_edtf": "", "date_wording": "", "credibility": "", "rationale": ""}
    assert edna.post(url, {**fields, "statement": "Edna's wording.", "version": _hidden(edna.get(url).content.decode(), "version")}).status_code == 302
    response = eddie.post(url, {**fields, "statement": "Eddie's wording.", "version": token})
    html = response.content.decode()
    assert response.status_code == 200 and "Changed by someone else" in html
    assert "edna" in html and "Edna&#x27;s" in html and "Eddie&#x27;s wording." in html
    assert Claim.objects.get(pk=claim.pk).statement == "Edna's wording."
    # Having seen it, Eddie can save on top of Edna's version.
    response = eddie.post(url, {**fields, "statement": "Eddie's wording.", "version": _hidden(html, "version")})
    assert response.status_code == 302 and Claim.objects.get(pk=claim.pk).statement == "Eddie's wording."


def test_claim_page_shows_history_with_differences(editor, client):
    claim = make_claim(editor, statement="Iran gave $30M a year to Hamas in the early years.", credibility=3, rationale="r")
    claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim), note="newer figure",
                          fields=claim_services.ClaimFields(statement="Iran gave $100M a year to Hamas in the early years.",
                                                      credibility=2, rationale="Two reports."))
    html = client.get(claim.get_absolute_url()).content.decode()
    history = html[html.index('id="history"'):]
    assert "<del>$30M</del>" in history and "<ins>$100M</ins>" in history
    assert "possibly true" in history and "probably true" in history and "newer figure" in history and "eddie" in history


def test_merge_redirects_the_old_permalink_and_keeps_citations(editor, client):
    target = make_claim(editor, statement="Target.")
    duplicate = make_claim(editor, phrase=SECOND_PHRASE, statement="Duplicate.")
    moved = list(duplicate.citations.values_list("pk", flat=True))
    response = client_for(editor).post(reverse("claim-merge", args=[duplicate.pk]), {"into": target.pk, "reason": "same"})
    assert response["Location"] == target.get_absolute_url()
    assert set(moved) <= set(target.citations.values_list("pk", flat=True))
    old = client.get(f"/claims/{duplicate.pk}/")
    assert old.status_code in (301, 302) and old["Location"] == target.get_absolute_url()


def test_retract_records_the_reason(editor, client):
    claim = make_claim(editor)
    client_for(editor).post(reverse("claim-retract", args=[claim.pk]), {"reason": "Misquoted."})
    claim.refresh_from_db()
    assert (claim.status, claim.status_reason) == ("retracted", "Misquoted.")
    assert "Misquoted." in client.get(claim.get_absolute_url()).content.decode()


def test_citation_and_relation_added_through_forms(editor):
    claim, other = make_claim(editor, date_edtf="2005"), make_claim(editor, phrase=THIRD_PHRASE, date_edtf="2020")
    client = client_for(editor)
    response = client.post(reverse("citation-add", args=[claim.pk]), {"source": article().slug, "quote": SECOND_PHRASE, "stance": "disputes"})
    assert response.status_code == 302 and claim.citations.filter(quote=SECOND_PHRASE, stance="disputes").exists()
    client.post(reverse("relation-add", args=[claim.pk]), {"type": "updates", "other": other.pk, "direction": "in", "note": "newer"})
    assert other.relations_out.filter(to_claim=claim, type="updates").exists()
    duplicate = client.post(reverse("relation-add", args=[claim.pk]), {"type": "updates", "other": other.pk, "direction": "in"})
    assert duplicate.status_code == 200 and "already related" in duplicate.content.decode()


# Review


def _candidates(n: int, suggested=None):
    text = article().text
    start = text.index(THIRD_PHRASE)
    return [make_candidate(start=start, end=start + len(THIRD_PHRASE), statement=f"Candidate {i}.", suggested_match=suggested,
                           date_edtf="2005") for i in range(n)]


def test_review_queue_shows_quote_in_context_with_suggestions(editor):
    target = make_claim(editor, statement="Existing claim.")
    candidate = _candidates(1, suggested=target)[0]
    html = client_for(editor).get(reverse("review-queue")).content.decode()
    block = html[html.index(f'id="candidate-{candidate.pk}"'):]
    assert f'<mark class="quote">{escape(THIRD_PHRASE)}</mark>' in block
    assert "<code>2005</code>" in block and "possibly true" in block
    assert "Existing claim." in block and f'value="{target.pk}"' in block


def test_review_decisions_are_recorded(editor, db_snapshot):
    target = make_claim(editor, statement="Existing claim.")
    accept, merge, reject = _candidates(3, suggested=target)
    client = client_for(editor)
    client.post(reverse("review-accept", args=[accept.pk]), {
        f"c{accept.pk}-statement": "Edited on acceptance.", f"c{accept.pk}-kind": "event", f"c{accept.pk}-date_edtf": "2005",
        f"c{accept.pk}-credibility": "3", f"c{accept.pk}-rationale": "suggested by the extractor",
    })
    client.post(reverse("review-merge", args=[merge.pk]), {"into": target.pk})
    before = db_snapshot()
    client.post(reverse("review-reject", args=[reject.pk]), {"reason": ""})
    assert db_snapshot() == before  # a rejection needs a reason
    client.post(reverse("review-reject", args=[reject.pk]), {"reason": "Not a claim."})
    for claim in (accept, merge, reject):
        claim.refresh_from_db()
    assert (accept.status, accept.statement) == ("published", "Edited on acceptance.")
    assert (merge.status, merge.merged_into_id) == ("merged", target.pk)
    assert target.citations.filter(quote=THIRD_PHRASE).exists()
    assert (reject.status, reject.status_reason) == ("rejected", "Not a claim.")
    decisions = {d.claim_id: (d.decision, d.editor_id) for d in ReviewDecision.objects.all()}
    assert decisions == {accept.pk: ("accepted", editor.pk), merge.pk: ("merged", editor.pk), reject.pk: ("rejected", editor.pk)}
    # A second decision on the same candidate is refused.
    response = client.post(reverse("review-reject", args=[accept.pk]), {"reason": "late"}, follow=True)
    assert "already decided" in response.content.decode()
    assert Claim.objects.get(pk=accept.pk).status == "published"


# Query counts: the same number of queries whatever the number of rows


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _annotate_claim(claim, editor, n):
    for i in range(n):
        annotation = annotation_services.annotation_create(by=editor, kind="context", body=f"Note {i}.", claim=claim,
                                                references=[annotation_services.ReferenceFields(f"https://example.org/{i}", "R")])
        annotation_services.annotation_update(annotation=annotation, by=editor, kind="support", body=f"Note {i}, edited.",
                                   version=edits.version_token(annotation))


def test_claim_page_queries_do_not_grow_with_annotations_or_history(editor):
    claim = make_claim(editor)
    client = client_for(editor)
    _annotate_claim(claim, editor, 1)
    client.get(claim.get_absolute_url())
    one = _queries(client, claim.get_absolute_url())
    _annotate_claim(claim, editor, 6)
    claim_services.citation_add(claim=claim, by=editor, selection=selection_find(source=article(), quote=SECOND_PHRASE))
    assert _queries(client, claim.get_absolute_url()) == one


def test_review_queue_queries_do_not_grow_with_candidates(editor):
    client = client_for(editor)
    target = make_claim(editor)
    _candidates(1, suggested=target)
    client.get(reverse("review-queue"))
    one = _queries(client, reverse("review-queue"))
    _candidates(5, suggested=target)
    assert _queries(client, reverse("review-queue")) == one


def test_reader_queries_do_not_grow_with_annotations(editor):
    source = article()
    client = client_for(editor)
    selection = selection_find(source=source, quote=UNIQUE_PHRASE)
    annotation_services.annotation_create(by=editor, kind="question", body="?", selection=selection)
    client.get(source.get_absolute_url())
    one = _queries(client, source.get_absolute_url())
    for _ in range(7):
        annotation_services.annotation_create(by=editor, kind="question", body="?", selection=selection)
    annotation_services.annotation_create(by=editor, kind="support", body="!", citation=make_claim(editor, phrase=SECOND_PHRASE).citations.get())
    assert _queries(client, source.get_absolute_url()) == one


# Accounts


# Annotations across versions of a source


def test_annotations_follow_a_new_version_and_orphans_stay_visible(editor, client):
    from kb.services.sources import source_import

    paragraphs = ["Tunnels under Gaza run for hundreds of kilometres.", "Engineers from abroad helped to dig them.",
                  "The network was expanded after 2007."]
    v1 = source_import(data=("\n\n".join(paragraphs) + "\n").encode(), name="tunnels.txt", metadata={"slug": "tunnels"}).source
    kept = annotation_services.annotation_create(by=editor, kind="question", body="Which kilometres?",
                                      selection=selection_find(source=v1, quote="hundreds of kilometres"))
    lost = annotation_services.annotation_create(by=editor, kind="dispute", body="Who were the engineers?",
                                      selection=selection_find(source=v1, quote="Engineers from abroad"))
    v2 = source_import(data=(paragraphs[0] + "\n\n" + paragraphs[2] + "\n").encode(), name="tunnels.txt",
                       metadata={"slug": "tunnels"}).source
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert (kept.source_id, v2.text[kept.start : kept.end]) == (v2.pk, "hundreds of kilometres")
    assert (lost.source_id, lost.anchoring) == (v1.pk, "orphaned")
    html = client.get(v2.get_absolute_url()).content.decode()
    assert "Which kilometres?" in html and "Who were the engineers?" in html and "not found in this version" in html
